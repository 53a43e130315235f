package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.brandequity.avro.EquityHistoryPoint;
import org.brandequity.avro.internal.DecayedSums;
import org.brandequity.avro.internal.EquityHistoryEntry;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.EquityHistory.Point;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.junit.jupiter.api.Test;

/**
 * The history lives in its two stores and nowhere else: a processor started over the stores another
 * left (as after a crash, a rebalance or a restore from the changelogs) carries the history on; and
 * both stores are changelogged, so that Kafka Streams restores them on another instance.
 */
class EquityHistoryRestartTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Events.T0.toEpochMilli();
    private final PipelineConfig config = PipelineConfig.defaults().with(Map.of("equity.history.interval", "10m"));
    private final AppSerdes serdes = new AppSerdes(new InMemorySchemaRegistry());
    private final MockProcessorContext<String, EquityHistoryPoint> context = new MockProcessorContext<>();
    private final KeyValueStore<Long, EquityLedger> pending = store(BrandEquityTopology.EQUITY_HISTORY_PENDING_STORE, serdes.ledger());
    private final KeyValueStore<Long, EquityHistoryEntry> points = store(BrandEquityTopology.EQUITY_HISTORY_STORE, serdes.historyEntry());

    private <V> KeyValueStore<Long, V> store(String name, org.apache.kafka.common.serialization.Serde<V> values) {
        KeyValueStore<Long, V> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), serdes.longs(), values)
                .withLoggingDisabled().build();
        s.init(context.getStateStoreContext(), s);
        context.addStateStore(s);
        return s;
    }

    private EquityHistoryProcessor started() {
        EquityLedgers ledgers = new EquityLedgers(config.model(), config.equityMaxSegments());
        EquityHistoryProcessor p = new EquityHistoryProcessor(BrandEquityTopology.EQUITY_HISTORY_PENDING_STORE,
                BrandEquityTopology.EQUITY_HISTORY_STORE, config.brandId(), config.equityFlushInterval(), config.history(),
                ledgers, config.model().indexPrior());
        p.init(context);
        return p;
    }

    private static Record<String, EquityLedger> delta(long asOf, double signal) {
        return new Record<>("acme", new EquityLedger(asOf, 1L,
                Map.of("broad-base|DELIVERY|PURCHASE", new DecayedSums(signal, 1.0))), asOf);
    }

    private List<Point> stored() {
        List<Point> out = new ArrayList<>();
        try (var it = points.all()) {
            it.forEachRemaining(kv -> out.add(EquityHistories.point(EquityHistories.boundary(kv.key), kv.value)));
        }
        return out;
    }

    @Test
    void aProcessorStartedOverTheStoresCarriesTheHistoryOn() {
        EquityHistoryProcessor first = started();
        first.process(delta(T0 + 5 * MINUTE, 1.0));
        first.process(delta(T0 + 15 * MINUTE, -1.0));
        first.publish();
        assertEquals(List.of(T0 + 10 * MINUTE), stored().stream().map(Point::boundary).toList());

        // A new instance over the same stores: the open boundary (00:20) is still pending in its store.
        EquityHistoryProcessor restarted = started();
        restarted.process(delta(T0 + 8 * MINUTE, 0.5));   // late, into 00:10
        restarted.process(delta(T0 + 25 * MINUTE, 1.0));  // opens 00:30: 00:20 is passed
        restarted.publish();

        List<Point> after = stored();
        assertEquals(List.of(T0 + 10 * MINUTE, T0 + 20 * MINUTE), after.stream().map(Point::boundary).toList());
        assertEquals(2L, after.get(0).events(), "the point from before the restart, revised by the late delta");
        assertEquals(1, after.get(0).revisions());
        assertEquals(3L, after.get(1).events(), "00:20 holds 00:10's events and the pending one from before the restart");
        assertEquals(0, after.get(1).revisions(), "first published after the late delta arrived: nothing restated");
    }

    @Test
    void bothHistoryStoresAreChangelogged() {
        try (PipelineDriver p = new PipelineDriver(Map.of("equity.history.interval", "10m"))) {
            p.send(Events.rated("a", Events.minutes(1), 5));
            p.send(Events.rated("a", Events.minutes(12), 5));
            p.flushHistory();
            String prefix = p.config.applicationId() + "-";
            assertTrue(p.driver.producedTopicNames().contains(prefix + BrandEquityTopology.EQUITY_HISTORY_STORE + "-changelog"),
                    "produced: " + p.driver.producedTopicNames());
            assertTrue(p.driver.producedTopicNames().contains(prefix + BrandEquityTopology.EQUITY_HISTORY_PENDING_STORE + "-changelog"),
                    "produced: " + p.driver.producedTopicNames());
        }
    }
}
