package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.avro.internal.PendingContribution;
import org.brandequity.avro.internal.ScoredInteraction;
import org.brandequity.config.PipelineConfig;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.junit.jupiter.api.Test;

/** The pre-aggregator's pending cells: kept as objects beside the store, and the store still the truth after a restart. */
class EquityPreAggregatorTest {
    private final PipelineConfig config = PipelineConfig.defaults();
    private final AppSerdes serdes = new AppSerdes(new InMemorySchemaRegistry());
    private final MockProcessorContext<String, EquityLedger> context = new MockProcessorContext<>();
    private final KeyValueStore<String, PendingContribution> store = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(BrandEquityTopology.PENDING_EQUITY_STORE), serdes.string(), serdes.pending())
            .withLoggingDisabled().build();

    EquityPreAggregatorTest() {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    private EquityPreAggregator started() {
        EquityPreAggregator p = new EquityPreAggregator(BrandEquityTopology.PENDING_EQUITY_STORE, config.brandId(),
                config.equityFlushInterval(), config.model(), config.equityMaxSegments(), config.history());
        p.init(context);
        return p;
    }

    private static Record<String, ScoredInteraction> event(String id, long t) {
        return new Record<>("c", new ScoredInteraction(id, "c", t, Touchpoint.DELIVERY, LifecycleStage.PURCHASE, "broad-base", 1.0, 0.5, 1.0,
                false, null, null, null, null, null), t);
    }

    private List<EquityLedger> flushed() {
        context.resetForwards();
        context.scheduledPunctuators().get(context.scheduledPunctuators().size() - 1).getPunctuator().punctuate(0L);
        return context.forwarded().stream().map(f -> (EquityLedger) f.record().value()).toList();
    }

    @Test
    void everyEventIsWrittenToThePendingStoreAtOnce() {
        EquityPreAggregator p = started();
        p.process(event("e1", 1_000L));
        p.process(event("e2", 2_000L));
        try (var it = store.all()) {
            assertEquals(2L, it.next().value.getEvents());
        }
    }

    @Test
    void aRestartedPreAggregatorFoldsTheCellsPendingBeforeTheRestart() {
        started().process(event("e1", 1_000L));
        // A new instance over the same store, as after a crash, a rebalance or an exactly-once revival.
        EquityPreAggregator restarted = started();
        restarted.process(event("e2", 2_000L));
        List<EquityLedger> deltas = flushed();
        assertEquals(1, deltas.size());
        assertEquals(2L, deltas.get(0).getEvents(), "the cell from before the restart and the new event");
        try (var it = store.all()) {
            assertEquals(false, it.hasNext(), "a folded cell leaves the store");
        }
    }
}
