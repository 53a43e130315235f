package org.brandequity.model.drivers;

import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * The key-driver analysis computed independently, in batch, from the raw list of observations:
 * two-pass weighted pairwise-complete moments (no stored sums, no shift), commons-math3's
 * EigenDecomposition for Johnson's weights and LUDecomposition for the coefficients.
 */
final class BatchKeyDrivers {
    private BatchKeyDrivers() {}

    record Answer(double[] epsilon, double rSquared, double[] standardized, double[] coefficient, double[] pValue, double effectiveN) {}

    /** The correlations of drivers {@code in} with each other (pairwise-complete) and with y (last row and column). */
    static double[][] correlations(List<DriverObservation> observations, double[] weights, int[] in) {
        int k = in.length;
        double[][] r = new double[k + 1][k + 1];
        for (int a = 0; a < k; a++) {
            r[a][a] = 1;
            r[a][k] = r[k][a] = correlation(observations, weights, in[a], -1);
            for (int b = a + 1; b < k; b++) r[a][b] = r[b][a] = correlation(observations, weights, in[a], in[b]);
        }
        r[k][k] = 1;
        return r;
    }

    /** Weighted two-pass correlation of driver i with driver j (j = -1: with y) over the observations where both are present. */
    static double correlation(List<DriverObservation> observations, double[] weights, int i, int j) {
        double w = 0, ma = 0, mb = 0;
        for (int n = 0; n < observations.size(); n++) {
            DriverObservation o = observations.get(n);
            if (!present(o, i, j)) continue;
            w += weights[n];
            ma += weights[n] * o.predictor(i);
            mb += weights[n] * value(o, j);
        }
        ma /= w;
        mb /= w;
        double saa = 0, sbb = 0, sab = 0;
        for (int n = 0; n < observations.size(); n++) {
            DriverObservation o = observations.get(n);
            if (!present(o, i, j)) continue;
            double da = o.predictor(i) - ma;
            double db = value(o, j) - mb;
            saa += weights[n] * da * da;
            sbb += weights[n] * db * db;
            sab += weights[n] * da * db;
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** Weighted two-pass standard deviation of driver i (j = -1: of y) over the observations where i is present. */
    static double sd(List<DriverObservation> observations, double[] weights, int i, boolean ofY) {
        double w = 0, m = 0;
        for (int n = 0; n < observations.size(); n++) {
            DriverObservation o = observations.get(n);
            if (!o.has(i)) continue;
            w += weights[n];
            m += weights[n] * (ofY ? o.outcome() : o.predictor(i));
        }
        m /= w;
        double s = 0;
        for (int n = 0; n < observations.size(); n++) {
            DriverObservation o = observations.get(n);
            if (!o.has(i)) continue;
            double d = (ofY ? o.outcome() : o.predictor(i)) - m;
            s += weights[n] * d * d;
        }
        return Math.sqrt(s / w);
    }

    /** The smallest Kish effective size (Σv)²/Σv² over the pairs of {@code in}. */
    static double effectiveN(List<DriverObservation> observations, double[] weights, int[] in) {
        double min = Double.POSITIVE_INFINITY;
        for (int a = 0; a < in.length; a++) {
            for (int b = a + 1; b < in.length; b++) {
                double w = 0, w2 = 0;
                for (int n = 0; n < observations.size(); n++) {
                    if (!present(observations.get(n), in[a], in[b])) continue;
                    w += weights[n];
                    w2 += weights[n] * weights[n];
                }
                min = Math.min(min, w * w / w2);
            }
        }
        return min;
    }

    /** Johnson's weights, R², coefficients and p-values from a correlation matrix with y last. */
    static Answer analyse(double[][] r, double[] sdX, double[] sdY, double effectiveN) {
        int k = r.length - 1;
        double[][] rx = new double[k][k];
        double[] ry = new double[k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) rx[a][b] = r[a][b];
            ry[a] = r[a][k];
        }
        RealMatrix matrix = new Array2DRowRealMatrix(rx);
        EigenDecomposition eigen = new EigenDecomposition(matrix);
        RealMatrix sqrtLambda = eigen.getD().copy();
        for (int a = 0; a < k; a++) sqrtLambda.setEntry(a, a, Math.sqrt(sqrtLambda.getEntry(a, a)));
        // Λ_half = V Λ^½ Vᵀ; β solves Λ_half β = r_y (by LU, not by Λ^-½).
        RealMatrix half = eigen.getV().multiply(sqrtLambda).multiply(eigen.getVT());
        RealVector beta = new LUDecomposition(half).getSolver().solve(new ArrayRealVector(ry));
        double[] epsilon = new double[k];
        for (int j = 0; j < k; j++) {
            for (int c = 0; c < k; c++) epsilon[j] += Math.pow(half.getEntry(j, c), 2) * Math.pow(beta.getEntry(c), 2);
        }
        DecompositionSolver lu = new LUDecomposition(matrix).getSolver();
        double[] standardized = lu.solve(new ArrayRealVector(ry)).toArray();
        double rSquared = new ArrayRealVector(ry).dotProduct(new ArrayRealVector(standardized));
        RealMatrix inverse = lu.getInverse();
        double df = effectiveN - k - 1;
        double[] coefficient = new double[k];
        double[] pValue = new double[k];
        for (int a = 0; a < k; a++) {
            coefficient[a] = standardized[a] * sdY[a] / sdX[a];
            double t = standardized[a] / Math.sqrt((1 - rSquared) / df * inverse.getEntry(a, a));
            pValue[a] = 2 * (1 - new TDistribution(df).cumulativeProbability(Math.abs(t)));
        }
        return new Answer(epsilon, rSquared, standardized, coefficient, pValue, effectiveN);
    }

    private static boolean present(DriverObservation o, int i, int j) {
        return o.has(i) && (j < 0 || o.has(j));
    }

    private static double value(DriverObservation o, int j) {
        return j < 0 ? o.outcome() : o.predictor(j);
    }
}
