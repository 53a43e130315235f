package org.brandequity.sim;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.drivers.DriverSet;

/**
 * The simulator's known key-driver model, the ground truth the pipeline's key-driver analysis can
 * be checked against: a customer's recommend answer (likelihood to recommend, 0–10) is drawn as
 *
 * <pre>
 *   y = clamp(round(7.5 + 2.5 · Σ_k β_seg,k · e_k + ε), 0, 10),   ε ~ N(0, noise²)
 * </pre>
 *
 * where e_k is the customer's own perceived experience at driver touchpoint k just before the
 * answer (see {@link CustomerJourneys}: the decayed, weight-weighted mean of the scores of the
 * events the simulator emitted there, as the pipeline sees them), β_seg,k the coefficient the
 * segment gives that touchpoint, and a touchpoint the customer never met contributes nothing. On
 * the experience scale, (y − 7.5) / 2.5 = Σ β_k e_k + ε / 2.5 (before rounding and clamping), the
 * same mapping {@code ScoringModel} applies to a recommend answer; noise is in answer points.
 *
 * <p>High-value customers answer with {@code highValue}'s coefficients; everybody else (broad-base
 * and the unassigned, who have no profile) with {@code broadBase}'s.
 *
 * @param highValue coefficients of the high-value segment, by driver touchpoint (absent = 0)
 * @param broadBase coefficients of every other customer, by driver touchpoint (absent = 0)
 * @param noise standard deviation of ε, in answer points, &gt;= 0
 */
public record DriverModel(Map<Touchpoint, Double> highValue, Map<Touchpoint, Double> broadBase, double noise) {

    /**
     * Decay half-life of the experience a customer's answer is drawn from: the default of the
     * pipeline's {@code drivers.half.life}, so that the predictors the pipeline sees are the ones
     * the answer was drawn from.
     */
    public static final Duration HALF_LIFE = Duration.ofDays(90);

    public DriverModel {
        highValue = checked("high-value", highValue);
        broadBase = checked("broad-base", broadBase);
        if (!Double.isFinite(noise) || noise < 0) {
            throw new IllegalArgumentException("driver model noise must be finite and >= 0, not " + noise);
        }
    }

    /**
     * The defaults: delivery matters most to high-value customers (who pay for a premium promise),
     * support contact to broad-base ones (for whom a support call is what goes wrong).
     */
    public static DriverModel defaults() {
        return new DriverModel(
                SimulatorKeys.driverCoefficients(SimulatorKeys.DRIVERS_HIGH_VALUE_CONFIG, SimulatorKeys.DRIVERS_HIGH_VALUE_DEFAULT),
                SimulatorKeys.driverCoefficients(SimulatorKeys.DRIVERS_BROAD_BASE_CONFIG, SimulatorKeys.DRIVERS_BROAD_BASE_DEFAULT),
                SimulatorKeys.DRIVERS_NOISE_DEFAULT);
    }

    /** The coefficients β of {@code segment}'s customers, indexed as {@link DriverSet#touchpoints()}. */
    public double[] coefficients(String segment) {
        Map<Touchpoint, Double> map = CustomerJourneys.HIGH_VALUE.equals(segment) ? highValue : broadBase;
        double[] beta = new double[DriverSet.size()];
        map.forEach((tp, b) -> beta[DriverSet.indexOf(tp)] = b);
        return beta;
    }

    /**
     * Draws one answer. {@code experience} is indexed as {@link DriverSet#touchpoints()}, NaN where
     * the customer never met the touchpoint (it then contributes nothing). Always draws exactly
     * one Gaussian from {@code random}, whatever the noise, so that the rest of the simulation does
     * not depend on the driver model's settings.
     */
    public int answer(double[] beta, double[] experience, SplittableRandom random) {
        double eps = noise * random.nextGaussian();
        return answer(beta, experience, eps);
    }

    /** The answer for a given noise draw {@code eps}: clamp(round(7.5 + 2.5 · Σ β_k e_k + eps), 0, 10). */
    public static int answer(double[] beta, double[] experience, double eps) {
        double s = 0;
        for (int k = 0; k < beta.length; k++) {
            if (beta[k] != 0 && !Double.isNaN(experience[k])) s += beta[k] * experience[k];
        }
        return (int) Math.max(0, Math.min(10, Math.round(7.5 + 2.5 * s + eps)));
    }

    private static Map<Touchpoint, Double> checked(String segment, Map<Touchpoint, Double> coefficients) {
        Objects.requireNonNull(coefficients, segment);
        Map<Touchpoint, Double> copy = new EnumMap<>(Touchpoint.class);
        coefficients.forEach((tp, b) -> {
            if (DriverSet.indexOf(tp) < 0) {
                throw new IllegalArgumentException("driver model of " + segment + ": " + tp + " is not a driver touchpoint");
            }
            if (b == null || !Double.isFinite(b)) {
                throw new IllegalArgumentException("driver model of " + segment + ": the coefficient of " + tp + " must be finite");
            }
            copy.put(tp, b);
        });
        return Collections.unmodifiableMap(copy);
    }
}
