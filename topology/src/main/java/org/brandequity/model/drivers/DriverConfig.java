package org.brandequity.model.drivers;

import java.time.Duration;
import java.util.Objects;

/**
 * How key drivers are derived ({@code drivers.*} keys).
 *
 * @param halfLife H of each predictor's decay ({@code drivers.half.life}): an event one half-life
 *                 older than another weighs half as much in the customer's experience-weighted mean
 *                 at a touchpoint
 */
public record DriverConfig(Duration halfLife) {
    public static final DriverConfig DEFAULTS = new DriverConfig(Duration.ofDays(90));

    public DriverConfig {
        Objects.requireNonNull(halfLife, "halfLife");
        if (halfLife.isZero() || halfLife.isNegative()) throw new IllegalArgumentException("drivers.half.life must be > 0");
    }
}
