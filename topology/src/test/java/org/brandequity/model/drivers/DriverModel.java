package org.brandequity.model.drivers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A known linear driver model for tests: y = a + Σ β_k·x_k + e, e ~ N(0, σ²), over drivers with
 * x_k = load_k·f + (1 − load_k)·u_k, f and u_k ~ Uniform(−1, 1) independent (so x_k is in [−1, 1]
 * and the drivers correlate through f). Each driver is present with probability {@code present},
 * independently of everything else (missing at random), so pairwise-complete moments estimate the
 * population moments; y is not rounded to the 0..10 scale, so the linear model holds exactly.
 */
record DriverModel(int[] drivers, double[] load, double[] beta, double intercept, double noise, double present) {

    /** {@code count} observations at times uniform over {@code span} ms. */
    List<DriverObservation> sample(Random random, int count, long span, String prefix) {
        List<DriverObservation> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            double f = 2 * random.nextDouble() - 1;
            double[] x = new double[DriverSet.size()];
            Arrays.fill(x, Double.NaN);
            double y = intercept + noise * random.nextGaussian();
            for (int k = 0; k < drivers.length; k++) {
                double v = load[k] * f + (1 - load[k]) * (2 * random.nextDouble() - 1);
                y += beta[k] * v;
                if (random.nextDouble() < present) x[drivers[k]] = v;
            }
            out.add(new DriverObservation(prefix + n, random.nextLong(span), y, x));
        }
        return out;
    }

    /**
     * The population correlation matrix of the drivers with y last, analytic: Var(U(−1, 1)) = 1/3,
     * Cov(x_i, x_j) = load_i·load_j/3, Var(x_i) = (load_i² + (1 − load_i)²)/3,
     * Cov(x_i, y) = Σ_k β_k·Cov(x_i, x_k), Var(y) = βᵀΣβ + σ².
     */
    double[][] populationCorrelations() {
        int k = drivers.length;
        double[][] cov = new double[k + 1][k + 1];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                cov[a][b] = a == b ? (load[a] * load[a] + (1 - load[a]) * (1 - load[a])) / 3 : load[a] * load[b] / 3;
            }
        }
        double vy = noise * noise;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                cov[a][k] += beta[b] * cov[a][b];
                vy += beta[a] * beta[b] * cov[a][b];
            }
            cov[k][a] = cov[a][k];
        }
        cov[k][k] = vy;
        double[][] r = new double[k + 1][k + 1];
        for (int a = 0; a <= k; a++) {
            for (int b = 0; b <= k; b++) r[a][b] = cov[a][b] / Math.sqrt(cov[a][a] * cov[b][b]);
        }
        return r;
    }

    /** The true relative weights, from {@link #populationCorrelations()}, in the order of {@code drivers}. */
    double[] trueWeights() {
        double[] ones = new double[drivers.length];
        Arrays.fill(ones, 1);
        return BatchKeyDrivers.analyse(populationCorrelations(), ones, ones, 1e12).epsilon();
    }
}
