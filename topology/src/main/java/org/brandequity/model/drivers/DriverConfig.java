package org.brandequity.model.drivers;

import java.time.Duration;
import java.util.Objects;

/**
 * How key drivers are derived and published ({@code drivers.*} keys).
 *
 * @param halfLife H of each predictor's decay ({@code drivers.half.life}): an event one half-life
 *                 older than another weighs half as much in the customer's experience-weighted mean
 *                 at a touchpoint; the answers decay with it in the statistics too
 * @param minObservations {@code drivers.min.observations}: fewest answers per driver pair
 * @param emitInterval {@code drivers.emit.interval}: at most one analysis per segment per interval
 * @param replicates {@code drivers.bootstrap.replicates}: B of the Poisson bootstrap
 */
public record DriverConfig(Duration halfLife, long minObservations, Duration emitInterval, int replicates) {
    public static final DriverConfig DEFAULTS = new DriverConfig(Duration.ofDays(90), KeyDriverAnalysis.DEFAULT_MIN_OBSERVATIONS,
            Duration.ofMinutes(1), Bootstrap.DEFAULT_REPLICATES);

    public DriverConfig {
        Objects.requireNonNull(halfLife, "halfLife");
        Objects.requireNonNull(emitInterval, "emitInterval");
        if (halfLife.isZero() || halfLife.isNegative()) throw new IllegalArgumentException("drivers.half.life must be > 0");
        if (minObservations < 3) throw new IllegalArgumentException("drivers.min.observations must be >= 3");
        if (emitInterval.toMillis() < 1_000) throw new IllegalArgumentException("drivers.emit.interval must be >= 1s");
        if (replicates < 1) throw new IllegalArgumentException("drivers.bootstrap.replicates must be >= 1");
    }
}
