package org.brandequity.model.drivers;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.brandequity.model.Decay;

/**
 * An online Poisson bootstrap of {@link DriverStatistics}: B replicates, each folding every
 * observation with multiplier·k_b, k_b ~ Poisson(1). Poisson(1) counts approximate the
 * multinomial resampling of the classic bootstrap as n grows, and need no knowledge of n, so each
 * replicate is kept online beside the statistics (Oza and Russell; Chamandy et al., "Estimating
 * uncertainty for massive data streams", Google, 2012).
 *
 * <p><b>Deterministic weights.</b> k_b is drawn from a 64-bit hash of (observation id, b), not
 * from a random generator, so the same answer gets the same k_b in every replicate however often,
 * in whatever order and on whatever instance it is folded: a retraction takes out exactly what its
 * addition put in, and a restored state replays to the same replicates.
 *
 * <p><b>Memory:</b> B × {@link DriverStatistics#BYTES}: for the 13 drivers and B = 100, 572,800
 * bytes (about 560 KiB) per segment as doubles, beside the 5,728 bytes of the statistics
 * themselves. {@link #toArray()} is the B replicates' arrays one after the other; all replicates
 * are valued at one {@link #asOf()}.
 */
public final class Bootstrap {
    public static final int DEFAULT_REPLICATES = 100;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final double E_INV = Math.exp(-1);

    private final DriverStatistics[] replicates;

    private Bootstrap(DriverStatistics[] replicates) {
        this.replicates = replicates;
    }

    /** B empty replicates. */
    public static Bootstrap empty(Decay decay, int replicates) {
        if (replicates < 1) throw new IllegalArgumentException("replicates must be >= 1");
        DriverStatistics[] r = new DriverStatistics[replicates];
        for (int b = 0; b < replicates; b++) r[b] = DriverStatistics.empty(decay);
        return new Bootstrap(r);
    }

    /** The replicates as {@link #toArray()} and {@link #asOf()} gave them. */
    public static Bootstrap fromArray(Decay decay, int replicates, long asOf, double[] sums) {
        Objects.requireNonNull(decay, "decay");
        if (replicates < 1 || sums.length != replicates * DriverStatistics.LENGTH) {
            throw new IllegalArgumentException("expected " + replicates + " x " + DriverStatistics.LENGTH + " sums, got " + sums.length);
        }
        DriverStatistics[] r = new DriverStatistics[replicates];
        for (int b = 0; b < replicates; b++) {
            double[] one = new double[DriverStatistics.LENGTH];
            System.arraycopy(sums, b * DriverStatistics.LENGTH, one, 0, one.length);
            r[b] = DriverStatistics.fromArray(decay, asOf, one);
        }
        return new Bootstrap(r);
    }

    /** The bytes {@link #toArray()} holds for {@code replicates} replicates. */
    public static long bytes(int replicates) {
        return (long) replicates * DriverStatistics.BYTES;
    }

    /** The replicates' sums, replicate after replicate, each in {@link DriverStatistics}' layout. */
    public double[] toArray() {
        double[] out = new double[replicates.length * DriverStatistics.LENGTH];
        for (int b = 0; b < replicates.length; b++) {
            System.arraycopy(replicates[b].toArray(), 0, out, b * DriverStatistics.LENGTH, DriverStatistics.LENGTH);
        }
        return out;
    }

    public int replicates() {
        return replicates.length;
    }

    public long asOf() {
        return replicates[0].asOf();
    }

    /**
     * Folds {@code observation} into every replicate b with multiplier·k_b (+1 adds, -1 retracts).
     * Every replicate is revalued to the observation's time, also those with k_b = 0, so that all
     * stay at one asOf.
     */
    public void add(DriverObservation observation, double multiplier) {
        long id = hash64(observation.id());
        for (int b = 0; b < replicates.length; b++) {
            int k = poisson(id, b);
            if (k == 0) {
                replicates[b].advanceTo(observation.time());
            } else {
                replicates[b].add(observation, multiplier * k);
            }
        }
    }

    /** Replicate {@code b} (the live object: read, do not fold into it). */
    DriverStatistics replicate(int b) {
        return replicates[b];
    }

    /** k_b for observation {@code id} in replicate {@code b}: Poisson(1) by inversion of a hashed uniform. */
    static int poissonWeight(String id, int b) {
        return poisson(hash64(id), b);
    }

    private static int poisson(long idHash, int b) {
        double u = (mix64(idHash ^ mix64((b + 1L) * GOLDEN)) >>> 11) * 0x1.0p-53;
        // Inversion: the smallest k with P(K <= k) > u; P(K = k) = e^-1 / k!.
        int k = 0;
        double p = E_INV;
        double cdf = p;
        while (u >= cdf && k < 20) {
            k++;
            p /= k;
            cdf += p;
        }
        return k;
    }

    /**
     * A 64-bit hash of an id: FNV-1a over its UTF-8 bytes, then the SplitMix64 finaliser.
     * Hand-written: String.hashCode has 32 bits, no dependency of this module offers a 64-bit
     * string hash, and SplittableRandom's sequence for a seed is not promised across JDK versions
     * (replicates are persisted and replayed, so k_b must never change).
     */
    static long hash64(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte c : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= c & 0xff;
            h *= 0x100000001b3L;
        }
        return mix64(h);
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014), hand-written as above. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
