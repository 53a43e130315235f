package org.brandequity.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.model.ScoringModel;
import org.brandequity.topology.AppSerdes;
import org.brandequity.topology.InteractionTimestampExtractor;

/**
 * The smallest Kafka Streams application that does the baseline's work: read the input with the
 * pipeline's own serde and timestamp extractor, score each event with {@link ScoringModel} and fold
 * the score into a per-task {@link HashMap}. No output and, unless asked, no state store, so that
 * what it costs beyond the raw baseline is the framework's own per-record cost (poll, task loop,
 * exactly-once commits, metrics). With {@code withStore}, each event also writes the customer's
 * running sum to one cached, changelogged RocksDB store: the cost of one state write per event.
 */
final class StreamsFloor {
    static final String SOURCE = "floor-source";
    static final String PROCESSOR = "floor-fold";
    static final String STORE = "floor-store";

    private StreamsFloor() {}

    /** Processed records and the {@link System#nanoTime()} of the first one, read by the bench thread. */
    static final class Progress {
        final AtomicLong processed = new AtomicLong();
        final AtomicLong firstAt = new AtomicLong();
    }

    static Topology build(String topic, AppSerdes serdes, ScoringModel scoring, boolean withStore, Progress progress) {
        Topology t = new Topology();
        t.addSource(AutoOffsetReset.earliest(), SOURCE, new InteractionTimestampExtractor(),
                serdes.string().deserializer(), serdes.interaction().deserializer(), topic);
        t.addProcessor(PROCESSOR, () -> new Fold(scoring, withStore, progress), SOURCE);
        if (withStore) {
            // Caching and logging as the pipeline's stores have them: writes reach RocksDB and the
            // changelog once per key and commit (or cache eviction), not once per put.
            t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Double())
                    .withCachingEnabled()
                    .withLoggingEnabled(Map.of()), PROCESSOR);
        }
        return t;
    }

    /** One per task: the HashMap is the task's own, as the baseline's is the consumer's. */
    private static final class Fold implements Processor<String, CustomerInteraction, Void, Void> {
        private final ScoringModel scoring;
        private final boolean withStore;
        private final Progress progress;
        private final Map<String, double[]> perCustomer = new HashMap<>();
        private KeyValueStore<String, Double> store;
        private boolean started;

        Fold(ScoringModel scoring, boolean withStore, Progress progress) {
            this.scoring = scoring;
            this.withStore = withStore;
            this.progress = progress;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            if (withStore) store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, CustomerInteraction> record) {
            if (!started) {
                started = true; // a plain field: the shared first-record time is touched once per task, not per record
                progress.firstAt.compareAndSet(0, System.nanoTime());
            }
            double[] sum = perCustomer.computeIfAbsent(record.key(), k -> new double[1]);
            sum[0] += scoring.score(record.value()).value();
            if (store != null) store.put(record.key(), sum[0]);
            progress.processed.incrementAndGet();
        }
    }
}
