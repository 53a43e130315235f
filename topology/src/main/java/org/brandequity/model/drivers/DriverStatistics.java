package org.brandequity.model.drivers;

import java.util.Arrays;
import java.util.Objects;
import org.brandequity.model.Decay;

/**
 * Decayed, pairwise-complete sufficient statistics of key-driver observations: everything
 * {@link KeyDriverAnalysis} needs for the correlations of the drivers with each other and with
 * the outcome, kept exactly as observations arrive, in any order. Mutable (one array, updated in
 * place: the bootstrap keeps a hundred of these per segment); not thread-safe.
 *
 * <p><b>Decay, lazily, like equity.</b> The sums are valued at {@link #asOf()}. An observation at
 * time t &le; asOf is added with weight v = 2^(-(asOf - t)/H); one at t &gt; asOf first revalues
 * every sum to t (each Σv·… by 2^(-(t - asOf)/H), each Σv² by its square) and is added with v = 1.
 * So the sums are the same whatever order observations arrive in. asOf only ever moves forward, to
 * the newest observation time: a common factor on every weight cancels in every correlation and in
 * Kish's effective n, so the analysis does not depend on asOf; keeping it at the newest observation
 * keeps the sums near 1 per observation instead of letting them underflow.
 *
 * <p><b>Pairwise-complete.</b> A driver the customer never met is missing (NaN), not zero. For
 * driver i the sums run over observations where i is present; for a pair i &lt; j over those where
 * both are present.
 *
 * <p><b>Retraction.</b> {@link #add} with multiplier -1 takes out exactly what +1 put in (a late
 * event changes a customer's experience before an answer already counted: retract the old
 * observation, add the new). The bootstrap folds with multiplier ±k (k ~ Poisson(1)).
 *
 * <p><b>Why y is shifted.</b> One-pass raw sums lose precision to cancellation when a mean is large
 * against its spread: Var = Σv·y²/Σv − (Σv·y/Σv)² subtracts two numbers of size mean². Recommend
 * answers are 0..10 with means typically 7–8, so y is stored as y − {@value #Y_SHIFT}; variances and
 * covariances do not change under a shift, and the stored sums are of the size of the spread. The
 * predictors are perceived experience in [-1, 1] with means near 0 and are stored as they are.
 *
 * <p><b>Layout</b> of {@link #toArray()} ({@link #LENGTH} doubles = {@link #BYTES} bytes for the 13
 * drivers of {@link DriverSet}, asOf kept beside it as a long); y means y − {@value #Y_SHIFT}:
 * <pre>
 *   [0]                          n: observations (sum of multipliers)
 *   driver i, at 1 + 7·i:        n_i, Σv, Σv·x_i, Σv·x_i², Σv·y, Σv·y², Σv·x_i·y
 *   pair (i &lt; j), at 1 + 7·p + 8·k (k = the pair's index in row order (0,1), (0,2), …, (1,2), …):
 *                                n_ij, Σv, Σv·x_i, Σv·x_j, Σv·x_i², Σv·x_j², Σv·x_i·x_j, Σv²
 * </pre>
 * With p = 13: 1 + 91 + 78·8 = 716 doubles, 5,728 bytes. Counts are whole numbers held in
 * doubles (exact below 2^53).
 */
public final class DriverStatistics {
    /** Subtracted from every outcome before it is summed (see the class comment). */
    public static final double Y_SHIFT = 7.5;
    static final int DRIVER_FIELDS = 7;
    static final int PAIR_FIELDS = 8;
    static final int P = DriverSet.size();
    static final int PAIRS = P * (P - 1) / 2;
    /** The length of {@link #toArray()}. */
    public static final int LENGTH = 1 + DRIVER_FIELDS * P + PAIR_FIELDS * PAIRS;
    /** The bytes of {@link #toArray()} as doubles. */
    public static final int BYTES = LENGTH * Double.BYTES;
    private static final long NEVER = Long.MIN_VALUE;

    /**
     * How far the sums may lag their valuation time before they are revalued, in half-lives: the
     * weights of newer observations then grow up to 2^64, far from overflow and with no loss of
     * relative precision.
     */
    private static final long MAX_LAG_HALF_LIVES = 64;

    private final Decay decay;
    private final long maxLagMs;
    private final double[] sums;
    private long asOf;
    /**
     * The time the stored sums are valued at. The sums as documented (valued at asOf) are the stored
     * ones times 2^(-(asOf - anchor)/H) (Σv² times its square): revaluing all 716 sums whenever a newer
     * observation comes would cost more than folding it, so it is done when they are read, or when the
     * lag passes {@link #MAX_LAG_HALF_LIVES}. A newer observation is folded with v = 2^((t - anchor)/H) &gt; 1.
     */
    private long anchor;

    private DriverStatistics(Decay decay, long asOf, double[] sums) {
        this.decay = Objects.requireNonNull(decay, "decay");
        this.maxLagMs = decay.halfLifeMillis() * MAX_LAG_HALF_LIVES;
        this.asOf = asOf;
        this.anchor = asOf;
        this.sums = sums;
    }

    /** No observations yet; {@code decay} is {@code drivers.half.life}. */
    public static DriverStatistics empty(Decay decay) {
        return new DriverStatistics(decay, NEVER, new double[LENGTH]);
    }

    /** Statistics as {@link #toArray()} and {@link #asOf()} gave them. */
    public static DriverStatistics fromArray(Decay decay, long asOf, double[] sums) {
        if (sums.length != LENGTH) throw new IllegalArgumentException("expected " + LENGTH + " sums, got " + sums.length);
        return new DriverStatistics(decay, asOf, sums.clone());
    }

    /** The sums in the documented layout, valued at {@link #asOf()} (a copy). */
    public double[] toArray() {
        revalue();
        return sums.clone();
    }

    /** The time the sums are valued at: the newest observation time folded in ({@link Long#MIN_VALUE} before any). */
    public long asOf() {
        return asOf;
    }

    public DriverStatistics copy() {
        revalue();
        return new DriverStatistics(decay, asOf, sums.clone());
    }

    /**
     * Folds {@code observation} in with {@code multiplier}: +1 adds it, -1 retracts it; the
     * bootstrap passes ±k. Every sum moves by multiplier·v·(its term), every count by multiplier.
     */
    public void add(DriverObservation observation, double multiplier) {
        long t = observation.time();
        advanceTo(t);
        double v = decay.factor(t, anchor);
        double w = multiplier * v;
        // Σv² carries multiplier·v² (frequency weights: k copies of v add k·v²), so -1 cancels +1.
        double w2 = multiplier * square(v);
        double y = observation.outcome() - Y_SHIFT;
        sums[0] += multiplier;
        for (int i = 0; i < P; i++) {
            double xi = observation.predictor(i);
            if (Double.isNaN(xi)) continue;
            int o = driverOffset(i);
            sums[o] += multiplier;
            sums[o + 1] += w;
            sums[o + 2] += w * xi;
            sums[o + 3] += w * xi * xi;
            sums[o + 4] += w * y;
            sums[o + 5] += w * y * y;
            sums[o + 6] += w * xi * y;
        }
        int o = pairOffset(0, 1);
        for (int i = 0; i < P; i++) {
            double xi = observation.predictor(i);
            if (Double.isNaN(xi)) {
                o += PAIR_FIELDS * (P - 1 - i);
                continue;
            }
            for (int j = i + 1; j < P; j++, o += PAIR_FIELDS) {
                double xj = observation.predictor(j);
                if (Double.isNaN(xj)) continue;
                sums[o] += multiplier;
                sums[o + 1] += w;
                sums[o + 2] += w * xi;
                sums[o + 3] += w * xj;
                sums[o + 4] += w * xi * xi;
                sums[o + 5] += w * xj * xj;
                sums[o + 6] += w * xi * xj;
                sums[o + 7] += w2;
            }
        }
    }

    /**
     * Values the sums at {@code t} when it is later than {@link #asOf()} (a no-op otherwise):
     * Σv·… by f = 2^(-(t - asOf)/H), Σv² by f², counts unchanged; the multiplication itself waits
     * until the sums are read (see {@link #anchor}). The bootstrap keeps its replicates at one asOf
     * with it.
     */
    public void advanceTo(long t) {
        if (asOf == NEVER) {
            asOf = t;
            anchor = t;
            return;
        }
        if (t <= asOf) return;
        asOf = t;
        if (asOf - anchor > maxLagMs) revalue();
    }

    /** Revalues the stored sums from {@link #anchor} to {@link #asOf}: Σv·… by f = 2^(-(asOf - anchor)/H), Σv² by f². */
    private void revalue() {
        if (anchor == asOf) return;
        double f = decay.factor(anchor, asOf);
        double f2 = f * f;
        for (int i = 0; i < P; i++) {
            int o = driverOffset(i);
            for (int k = 1; k < DRIVER_FIELDS; k++) sums[o + k] *= f;
        }
        for (int o = pairOffset(0, 1); o < LENGTH; o += PAIR_FIELDS) {
            for (int k = 1; k < PAIR_FIELDS - 1; k++) sums[o + k] *= f;
            sums[o + PAIR_FIELDS - 1] *= f2;
        }
        anchor = asOf;
    }

    /** Observations folded in (sum of multipliers). */
    public long observations() {
        return Math.round(sums[0]);
    }

    /** Observations where driver {@code i} is present (undecayed). */
    public long count(int i) {
        return Math.round(sums[driverOffset(i)]);
    }

    /** Observations where drivers {@code i} and {@code j} are both present (undecayed). */
    public long pairCount(int i, int j) {
        return Math.round(sums[pairOffset(i, j)]);
    }

    /** Driver {@code i}'s decayed sums: Σv, Σv·x, Σv·x², Σv·y, Σv·y², Σv·x·y (y shifted). */
    double[] driverSums(int i) {
        revalue();
        int o = driverOffset(i);
        return Arrays.copyOfRange(sums, o + 1, o + DRIVER_FIELDS);
    }

    /**
     * Pair sums oriented as (a, b): Σv, Σv·x_a, Σv·x_b, Σv·x_a², Σv·x_b², Σv·x_a·x_b, Σv².
     */
    double[] pairSums(int a, int b) {
        int i = Math.min(a, b);
        int j = Math.max(a, b);
        int o = pairOffset(i, j);
        revalue();
        double[] s = Arrays.copyOfRange(sums, o + 1, o + PAIR_FIELDS);
        if (a > b) {
            swap(s, 1, 2);
            swap(s, 3, 4);
        }
        return s;
    }

    static int driverOffset(int i) {
        return 1 + DRIVER_FIELDS * i;
    }

    /** Offset of pair (i &lt; j): pairs in row order, row i holding P - 1 - i pairs. */
    static int pairOffset(int i, int j) {
        if (i >= j) throw new IllegalArgumentException("pair needs i < j: " + i + ", " + j);
        int before = i * (2 * P - i - 1) / 2;
        return 1 + DRIVER_FIELDS * P + PAIR_FIELDS * (before + (j - i - 1));
    }

    private static void swap(double[] s, int a, int b) {
        double t = s[a];
        s[a] = s[b];
        s[b] = t;
    }

    private static double square(double v) {
        return v * v;
    }
}
