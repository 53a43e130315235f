package org.brandequity.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Gauges that share one label set, read from a snapshot {@code key -> value} that is replaced as a
 * whole: one Micrometer {@link MultiGauge} per metric, whose rows are the snapshot's keys. A key that
 * leaves the snapshot loses its series (the multi-gauge removes rows that are not registered again),
 * so Prometheus stops seeing a cell that is gone instead of its last value forever.
 *
 * @param <K> the key of a row (its label values)
 * @param <V> what the row's gauges read
 */
final class GaugeTable<K, V> {
    private record Column<V>(MultiGauge gauge, ToDoubleFunction<V> value, Predicate<V> present) {}

    private final MeterRegistry registry;
    private final Function<K, Tags> tags;
    private final List<Column<V>> columns = new ArrayList<>();
    private volatile Map<K, V> snapshot = Map.of();

    /** {@code tags} gives a key's label values (always the same label names). */
    GaugeTable(MeterRegistry registry, Function<K, Tags> tags) {
        this.registry = registry;
        this.tags = tags;
    }

    /** A gauge with a row for every key of the snapshot. */
    GaugeTable<K, V> gauge(String name, String help, ToDoubleFunction<V> value) {
        return gauge(name, help, value, v -> true);
    }

    /**
     * A gauge with a row only for the keys whose value {@code present} accepts: a value that does not
     * exist (no answers yet, no promise configured) is an absent series, not a NaN one.
     */
    GaugeTable<K, V> gauge(String name, String help, ToDoubleFunction<V> value, Predicate<V> present) {
        columns.add(new Column<>(MultiGauge.builder(name).description(help).register(registry), value, present));
        return this;
    }

    /** Replaces the snapshot: rows appear for new keys, disappear for keys no longer in it. */
    void update(Map<K, V> next) {
        snapshot = Map.copyOf(next);
        for (Column<V> c : columns) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            next.forEach((key, v) -> {
                if (c.present().test(v)) rows.add(MultiGauge.Row.of(tags.apply(key), key, k -> read(k, c.value())));
            });
            // overwrite=false: a row registered before keeps its function, which reads the current snapshot.
            c.gauge().register(rows, false);
        }
    }

    /** The current snapshot. */
    Map<K, V> snapshot() {
        return snapshot;
    }

    private double read(K key, ToDoubleFunction<V> f) {
        V v = snapshot.get(key);
        return v == null ? Double.NaN : f.applyAsDouble(v);
    }
}
