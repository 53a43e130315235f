package org.brandequity.model.drivers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.brandequity.avro.Touchpoint;

/**
 * Key drivers read off {@link DriverStatistics}: Johnson's relative weights (they sum to R²), the
 * regression coefficients with their significance, Poisson-bootstrap intervals and suggested
 * weights. Formulas in docs/model.md, "Key drivers".
 *
 * <ol>
 *   <li><b>Correlations, pairwise-complete and weighted</b> (weights v = the decay): r_ij from the
 *       observations where i and j are both present; r_iy, sd_i and sd_y(i) from those where i is.
 *   <li><b>Which drivers enter.</b> A driver needs {@code minObservations} observations and some
 *       variance of its own and of y; then, while some pair of the drivers in has fewer than
 *       {@code minObservations} observations together (or no variance together), the driver in the
 *       most such pairs leaves (ties: the one with fewer observations, then the later one).
 *       Then, while the correlation matrix of the drivers and y is not positive definite (smallest
 *       eigenvalue &le; {@value #SINGULAR}: collinear drivers, or pairwise-complete correlations
 *       that no single data set could have), the driver with the fewest observations leaves as
 *       COLLINEAR. Dropping keeps an answer coming for the rest; the dropped driver is reported with
 *       its reason. Fewer than 2 drivers left: "not enough data", no numbers.
 *   <li><b>Johnson's relative weights.</b> R = VΛVᵀ, Λ_half = VΛ^½Vᵀ, β = Λ_half⁻¹·r_y,
 *       ε_j = Σ_k Λ_half[j,k]²·β_k²; Σε_j = R² = r_yᵀR⁻¹r_y.
 *   <li><b>Coefficients.</b> Standardised b*_j = (R⁻¹r_y)_j, unstandardised b_j = b*_j·sd_y(j)/sd_j.
 *       t_j = b*_j / √((1 − R²)/(n_eff − k − 1) · [R⁻¹]_jj) with k drivers in, p two-sided from
 *       Student's t with n_eff − k − 1 degrees of freedom; significant when p &lt; {@value #ALPHA}.
 *       n_eff is the smallest Kish effective size (Σv)²/Σv² over the pairs in: never more than any
 *       pair's count (Cauchy–Schwarz), so it is conservative both for missing data and for decay
 *       (old answers weigh little and should not count as whole ones). With n_eff &le; k + 1 the
 *       p-value is NaN and nothing is significant.
 *   <li><b>Intervals.</b> Each bootstrap replicate is fitted with the drivers of the point fit (an
 *       interval is for the weight in this model); a replicate whose correlation matrix is not
 *       positive definite or lacks a variance is left out. The interval is the 2.5th and 97.5th
 *       percentile of the replicates' ε_j.
 *   <li><b>Suggested weights.</b> ε_j / R² times the sum of the configured weights of the drivers
 *       in: the same total, shared as the data share R². Shown, never applied.
 * </ol>
 */
public final class KeyDriverAnalysis {
    /** Significance level of the coefficients' t-tests. */
    public static final double ALPHA = 0.05;
    /** Default {@code drivers.min.observations}: per driver pair. */
    public static final long DEFAULT_MIN_OBSERVATIONS = 30;
    /** A smallest eigenvalue at or below this makes a correlation matrix singular or indefinite. */
    static final double SINGULAR = 1e-10;
    /** A weighted variance at or below this is none (x in [-1, 1], y shifted: both of order 1). */
    private static final double NO_VARIANCE = 1e-12;

    private KeyDriverAnalysis() {}

    /** Why a driver is in the fit or not. */
    public enum Status {
        IN,
        /** Below {@code drivers.min.observations} alone or with another driver in. */
        TOO_FEW_OBSERVATIONS,
        /** Its experience, or the answers where it is present, do not vary. */
        NO_VARIANCE,
        /** Left out so that the correlation matrix is positive definite. */
        COLLINEAR
    }

    /**
     * One driver's figures. For a driver not {@link Status#IN}: relativeWeight, share and
     * rankingWeight 0, the other figures NaN, significant false.
     *
     * @param n observations where the driver is present
     * @param correlation r_iy (NaN without variance)
     * @param relativeWeight ε_j, Johnson's relative weight
     * @param share ε_j / R²
     * @param low 2.5th percentile of the bootstrap's ε_j (NaN without a bootstrap)
     * @param high 97.5th percentile
     * @param standardizedCoefficient b*_j
     * @param coefficient b_j, answer points per unit of perceived experience
     * @param pValue two-sided, of b_j = 0
     * @param configuredWeight {@code model.touchpoint.T.weight}, as the caller passed it
     * @param suggestedWeight ε_j / R² · Σ configured weights of the drivers in
     */
    public record Driver(Touchpoint touchpoint, Status status, long n, double correlation,
                         double relativeWeight, double share, double low, double high,
                         double standardizedCoefficient, double coefficient, double pValue,
                         boolean significant, double configuredWeight, double suggestedWeight) {
        /** The weight in a single ranking: ε_j when significant, else 0 (as Qualtrics shows it). */
        public double rankingWeight() {
            return significant ? relativeWeight : 0.0;
        }
    }

    /**
     * The analysis of one segment. When {@code enoughData} is false, rSquared and effectiveN are
     * NaN and every driver is out with its reason.
     *
     * @param n observations (answers) folded in
     * @param effectiveN n_eff of the t-tests
     * @param replicates bootstrap replicates fitted for the intervals (0 without a bootstrap)
     * @param drivers every driver of {@link DriverSet}, in its order
     */
    public record Result(boolean enoughData, long n, double effectiveN, double rSquared, int replicates, List<Driver> drivers) {
        public Result {
            drivers = List.copyOf(drivers);
        }

        /**
         * Drivers by {@link Driver#rankingWeight()}, largest first: the significant ones by their
         * weight, then the rest (shown as zero) by their relative weight, so that the order among
         * them still says which the data leans to (ties in {@link DriverSet} order).
         */
        public List<Driver> ranking() {
            return drivers.stream()
                    .sorted(Comparator.comparingDouble(Driver::rankingWeight).reversed()
                            .thenComparing(Comparator.comparingDouble(Driver::relativeWeight).reversed()))
                    .toList();
        }
    }

    /**
     * Analyses {@code statistics}; intervals from {@code bootstrap} when it is not null.
     *
     * @param minObservations {@code drivers.min.observations}, per driver pair
     * @param configuredWeights the configured touchpoint weight of each driver, in {@link DriverSet} order
     */
    public static Result analyse(DriverStatistics statistics, Bootstrap bootstrap, long minObservations, double[] configuredWeights) {
        int p = DriverSet.size();
        if (configuredWeights.length != p) throw new IllegalArgumentException("need " + p + " configured weights");
        Status[] status = select(statistics, minObservations);
        Fit fit = null;
        while (true) {
            int[] in = indices(status, Status.IN);
            if (in.length < 2) break;
            fit = fit(statistics, in);
            if (fit != null) break;
            int fewest = in[0];
            for (int i : in) if (statistics.count(i) <= statistics.count(fewest)) fewest = i;
            status[fewest] = Status.COLLINEAR;
        }
        List<Driver> drivers = new ArrayList<>(p);
        if (fit == null) {
            for (int i = 0; i < p; i++) {
                Status s = status[i] == Status.IN ? Status.TOO_FEW_OBSERVATIONS : status[i];
                drivers.add(out(statistics, i, s, configuredWeights[i]));
            }
            return new Result(false, statistics.observations(), Double.NaN, Double.NaN, 0, drivers);
        }
        double[][] intervals = new double[fit.in.length][];
        int used = 0;
        if (bootstrap != null) {
            List<double[]> weights = new ArrayList<>();
            for (int b = 0; b < bootstrap.replicates(); b++) {
                Fit r = fit(bootstrap.replicate(b), fit.in);
                if (r != null) weights.add(r.epsilon);
            }
            used = weights.size();
            for (int k = 0; k < fit.in.length; k++) {
                double[] values = new double[used];
                for (int b = 0; b < used; b++) values[b] = weights.get(b)[k];
                Percentile percentile = new Percentile();
                intervals[k] = used == 0 ? new double[] {Double.NaN, Double.NaN}
                        : new double[] {percentile.evaluate(values, 2.5), percentile.evaluate(values, 97.5)};
            }
        }
        double configuredIn = 0;
        for (int i : fit.in) configuredIn += configuredWeights[i];
        double df = fit.effectiveN - fit.in.length - 1;
        TDistribution t = df >= 1 ? new TDistribution(null, df) : null;
        for (int i = 0; i < p; i++) {
            int k = Arrays.binarySearch(fit.in, i);
            if (k < 0) {
                drivers.add(out(statistics, i, status[i], configuredWeights[i]));
                continue;
            }
            double se = Math.sqrt((1 - fit.rSquared) / df * fit.inverseDiagonal[k]);
            double pValue = t == null ? Double.NaN : 2 * t.cumulativeProbability(-Math.abs(fit.standardized[k] / se));
            double share = fit.epsilon[k] / fit.rSquared;
            double[] interval = bootstrap == null ? new double[] {Double.NaN, Double.NaN} : intervals[k];
            drivers.add(new Driver(DriverSet.touchpoints().get(i), Status.IN, statistics.count(i), fit.ry[k],
                    fit.epsilon[k], share, interval[0], interval[1], fit.standardized[k], fit.coefficient[k],
                    pValue, pValue < ALPHA, configuredWeights[i], share * configuredIn));
        }
        return new Result(true, statistics.observations(), fit.effectiveN, fit.rSquared, used, drivers);
    }

    private static Driver out(DriverStatistics s, int i, Status status, double configured) {
        double[] d = s.driverSums(i);
        double r = d[0] > 0 ? correlation(d[0], d[1], d[3], d[2], d[4], d[5]) : Double.NaN;
        return new Driver(DriverSet.touchpoints().get(i), status, s.count(i), r, 0, 0, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, false, configured, Double.NaN);
    }

    /** Step 2 up to the eigenvalue check: each driver's status by counts and variances. */
    private static Status[] select(DriverStatistics s, long minObservations) {
        int p = DriverSet.size();
        Status[] status = new Status[p];
        for (int i = 0; i < p; i++) {
            double[] d = s.driverSums(i);
            if (s.count(i) < minObservations || d[0] <= 0) {
                status[i] = Status.TOO_FEW_OBSERVATIONS;
            } else if (variance(d[0], d[1], d[2]) <= NO_VARIANCE || variance(d[0], d[3], d[4]) <= NO_VARIANCE) {
                status[i] = Status.NO_VARIANCE;
            } else {
                status[i] = Status.IN;
            }
        }
        while (true) {
            int[] in = indices(status, Status.IN);
            int[] deficient = new int[p];
            boolean any = false;
            for (int a = 0; a < in.length; a++) {
                for (int b = a + 1; b < in.length; b++) {
                    if (!pairUsable(s, in[a], in[b], minObservations)) {
                        deficient[in[a]]++;
                        deficient[in[b]]++;
                        any = true;
                    }
                }
            }
            if (!any) return status;
            int worst = -1;
            for (int i : in) {
                if (worst < 0 || deficient[i] > deficient[worst]
                        || deficient[i] == deficient[worst] && s.count(i) <= s.count(worst)) {
                    worst = i;
                }
            }
            status[worst] = Status.TOO_FEW_OBSERVATIONS;
        }
    }

    private static boolean pairUsable(DriverStatistics s, int i, int j, long minObservations) {
        if (s.pairCount(i, j) < minObservations) return false;
        double[] q = s.pairSums(i, j);
        return q[0] > 0 && variance(q[0], q[1], q[3]) > NO_VARIANCE && variance(q[0], q[2], q[4]) > NO_VARIANCE;
    }

    /** One fit of the drivers {@code in} (ascending), or null when a variance is missing or the matrix is not positive definite. */
    private static Fit fit(DriverStatistics s, int[] in) {
        int k = in.length;
        double[][] r = new double[k + 1][k + 1];
        double[] sdX = new double[k];
        double[] sdY = new double[k];
        double effectiveN = Double.POSITIVE_INFINITY;
        for (int a = 0; a < k; a++) {
            double[] d = s.driverSums(in[a]);
            double vx = variance(d[0], d[1], d[2]);
            double vy = variance(d[0], d[3], d[4]);
            if (!(vx > NO_VARIANCE && vy > NO_VARIANCE)) return null;
            sdX[a] = Math.sqrt(vx);
            sdY[a] = Math.sqrt(vy);
            r[a][a] = 1;
            r[a][k] = r[k][a] = covariance(d[0], d[1], d[3], d[5]) / (sdX[a] * sdY[a]);
            for (int b = a + 1; b < k; b++) {
                double[] q = s.pairSums(in[a], in[b]);
                double va = variance(q[0], q[1], q[3]);
                double vb = variance(q[0], q[2], q[4]);
                if (!(va > NO_VARIANCE && vb > NO_VARIANCE)) return null;
                r[a][b] = r[b][a] = covariance(q[0], q[1], q[2], q[5]) / Math.sqrt(va * vb);
                effectiveN = Math.min(effectiveN, q[0] * q[0] / q[6]);
            }
        }
        r[k][k] = 1;
        // The drivers with y: positive definite exactly when R is and R² = r_yᵀR⁻¹r_y < 1 (Schur complement).
        if (min(new EigenDecomposition(new Array2DRowRealMatrix(r, false)).getRealEigenvalues()) <= SINGULAR) return null;
        double[][] rx = new double[k][k];
        double[] ry = new double[k];
        for (int a = 0; a < k; a++) {
            System.arraycopy(r[a], 0, rx[a], 0, k);
            ry[a] = r[a][k];
        }
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(rx, false));
        RealMatrix v = eigen.getV();
        double[] lambda = eigen.getRealEigenvalues();
        RealMatrix rootLambda = new Array2DRowRealMatrix(k, k);
        RealMatrix inverseRootLambda = new Array2DRowRealMatrix(k, k);
        for (int a = 0; a < k; a++) {
            rootLambda.setEntry(a, a, Math.sqrt(lambda[a]));
            inverseRootLambda.setEntry(a, a, 1 / Math.sqrt(lambda[a]));
        }
        RealMatrix half = v.multiply(rootLambda).multiply(v.transpose());
        RealVector ryVector = new ArrayRealVector(ry, false);
        RealVector beta = v.multiply(inverseRootLambda).multiply(v.transpose()).operate(ryVector);
        double[] epsilon = new double[k];
        double rSquared = 0;
        for (int j = 0; j < k; j++) {
            for (int c = 0; c < k; c++) {
                double h = half.getEntry(j, c);
                epsilon[j] += h * h * beta.getEntry(c) * beta.getEntry(c);
            }
            rSquared += epsilon[j];
        }
        RealMatrix inverse = eigen.getSolver().getInverse();
        double[] standardized = inverse.operate(ry);
        double[] coefficient = new double[k];
        double[] inverseDiagonal = new double[k];
        for (int a = 0; a < k; a++) {
            coefficient[a] = standardized[a] * sdY[a] / sdX[a];
            inverseDiagonal[a] = inverse.getEntry(a, a);
        }
        return new Fit(in, ry, epsilon, rSquared, standardized, coefficient, inverseDiagonal, effectiveN);
    }

    private record Fit(int[] in, double[] ry, double[] epsilon, double rSquared, double[] standardized,
                       double[] coefficient, double[] inverseDiagonal, double effectiveN) {}

    /** Weighted population variance from Σv, Σv·x, Σv·x². */
    private static double variance(double w, double sx, double sxx) {
        double m = sx / w;
        return sxx / w - m * m;
    }

    /** Weighted population covariance from Σv, Σv·a, Σv·b, Σv·a·b. */
    private static double covariance(double w, double sa, double sb, double sab) {
        return sab / w - (sa / w) * (sb / w);
    }

    private static double correlation(double w, double sa, double sb, double saa, double sbb, double sab) {
        double va = variance(w, sa, saa);
        double vb = variance(w, sb, sbb);
        return va > NO_VARIANCE && vb > NO_VARIANCE ? covariance(w, sa, sb, sab) / Math.sqrt(va * vb) : Double.NaN;
    }

    private static int[] indices(Status[] status, Status wanted) {
        int[] out = new int[status.length];
        int n = 0;
        for (int i = 0; i < status.length; i++) if (status[i] == wanted) out[n++] = i;
        return Arrays.copyOf(out, n);
    }

    private static double min(double[] values) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : values) m = Math.min(m, v);
        return m;
    }
}
