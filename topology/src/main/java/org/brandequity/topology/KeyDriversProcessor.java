package org.brandequity.topology;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.brandequity.avro.KeyDrivers;
import org.brandequity.avro.internal.DriverObservationChange;
import org.brandequity.avro.internal.KeyDriverState;
import org.brandequity.model.drivers.KeyDriverAnalysis;

/**
 * Keeps each segment's and the brand's key-driver statistics and publishes their analysis
 * (docs/model.md "Key drivers").
 *
 * <p>Input: the observation changes of {@code key-driver-observation-changes}, keyed by segment; the
 * topic has one partition, so this one task sees every change. {@link #process} only appends a
 * change to the pending store (one small write, keyed by segment, input partition and offset, so
 * that a replay under exactly-once writes the same keys). Every {@code drivers.emit.interval} of
 * wall-clock time, {@link #emit} folds each pending change into its segment's statistics and into
 * the brand's ({@link KeyDriverStates#BRAND_KEY}), with the bootstrap's replicates (about 570 KB a segment: read and written once per interval, not per
 * answer), deletes them, and sends one {@link KeyDrivers} per key that changed: at most one record per
 * segment per interval. The fold is order-free (decayed sums valued at the newest answer), so what a
 * late answer or a retraction adds is what it would have added in order.
 */
final class KeyDriversProcessor implements Processor<String, DriverObservationChange, String, KeyDrivers> {
    private final String pendingStoreName;
    private final String statisticsStoreName;
    private final String brandId;
    private final Duration emitInterval;
    private final KeyDriverStates states;
    private final long minObservations;
    private final double[] configuredWeights;
    private ProcessorContext<String, KeyDrivers> context;
    private KeyValueStore<String, DriverObservationChange> pending;
    private KeyValueStore<String, KeyDriverState> statistics;

    KeyDriversProcessor(String pendingStoreName, String statisticsStoreName, String brandId, Duration emitInterval,
                        KeyDriverStates states, long minObservations, double[] configuredWeights) {
        this.pendingStoreName = pendingStoreName;
        this.statisticsStoreName = statisticsStoreName;
        this.brandId = brandId;
        this.emitInterval = emitInterval;
        this.states = states;
        this.minObservations = minObservations;
        this.configuredWeights = configuredWeights.clone();
    }

    @Override
    public void init(ProcessorContext<String, KeyDrivers> context) {
        this.context = context;
        this.pending = context.getStateStore(pendingStoreName);
        this.statistics = context.getStateStore(statisticsStoreName);
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    @Override
    public void process(Record<String, DriverObservationChange> change) {
        var meta = context.recordMetadata().orElseThrow();
        pending.put(pendingKey(change.key(), meta.partition(), meta.offset()), change.value());
    }

    /** segment, NUL, partition and offset zero-padded: a key's changes sort together, in input order. */
    static String pendingKey(String segment, int partition, long offset) {
        String p = Integer.toString(partition);
        String o = Long.toString(offset);
        StringBuilder key = new StringBuilder(segment.length() + 26).append(segment).append('\u0000');
        for (int i = p.length(); i < 5; i++) key.append('0');
        key.append(p);
        for (int i = o.length(); i < 20; i++) key.append('0');
        return key.append(o).toString();
    }

    private static String segmentOf(String pendingKey) {
        return pendingKey.substring(0, pendingKey.lastIndexOf('\u0000'));
    }

    void emit() {
        Map<String, KeyDriverStates.Held> folded = new LinkedHashMap<>();
        List<String> done = new java.util.ArrayList<>();
        try (KeyValueIterator<String, DriverObservationChange> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<String, DriverObservationChange> kv = it.next();
                String segment = segmentOf(kv.key);
                var observation = KeyDriverStates.observation(kv.value);
                folded.computeIfAbsent(segment, s -> states.read(statistics.get(s))).add(observation, kv.value.getMultiplier());
                folded.computeIfAbsent(KeyDriverStates.BRAND_KEY, s -> states.read(statistics.get(s))).add(observation, kv.value.getMultiplier());
                done.add(kv.key);
            }
        }
        for (String key : done) pending.delete(key);
        folded.forEach((segment, held) -> {
            statistics.put(segment, states.write(held));
            KeyDriverAnalysis.Result result = KeyDriverAnalysis.analyse(held.statistics(), held.bootstrap(), minObservations, configuredWeights);
            long asOf = held.statistics().asOf();
            boolean brand = segment.equals(KeyDriverStates.BRAND_KEY);
            context.forward(new Record<>(brand ? brandId : segment,
                    KeyDriverStates.toPublic(brandId, brand ? null : segment, asOf, result), asOf));
        });
    }
}
