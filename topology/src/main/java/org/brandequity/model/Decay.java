package org.brandequity.model;

import java.time.Duration;

/**
 * Exponential forgetting with half-life H: experience from time t counts 2^(-(now - t) / H) at
 * time now. Experience older by one half-life counts half.
 *
 * <p>Decay is applied lazily: a sum is stored with the time it is valued at ({@code asOf}) and is
 * rescaled by {@link #factor} only when it is read or merged at another time. No timer touches
 * stored sums, and the result does not depend on the order events arrive in.
 */
public final class Decay {
    private static final double LN2 = Math.log(2);
    private final double halfLifeMs;

    public Decay(Duration halfLife) {
        if (halfLife.isZero() || halfLife.isNegative()) throw new IllegalArgumentException("half-life must be > 0");
        this.halfLifeMs = halfLife.toMillis();
    }

    /** H in milliseconds. */
    public long halfLifeMillis() {
        return (long) halfLifeMs;
    }

    /** The factor that revalues a sum valued at {@code fromMs} to {@code toMs}: 2^(-(to - from) / H). */
    public double factor(long fromMs, long toMs) {
        return Math.exp(-LN2 * (toMs - fromMs) / halfLifeMs);
    }
}
