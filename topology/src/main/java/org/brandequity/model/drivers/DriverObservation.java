package org.brandequity.model.drivers;

import java.util.Arrays;
import java.util.Objects;

/**
 * One key-driver observation: a customer's recommend answer ({@code outcome} y, the 0–10
 * likelihood to recommend) with the customer's decayed perceived experience per driver touchpoint
 * just before it ({@code predictors}, indexed as {@link DriverSet#touchpoints()}; {@code NaN} where
 * the customer never met that touchpoint: missing, not zero).
 *
 * <p>{@code id} is the answer's event id: it seeds the observation's bootstrap weights, so the
 * same answer gets the same weights however often and in whatever order it is folded in, and a
 * retraction takes out exactly what the addition put in. {@code time} is the answer's event time.
 */
public record DriverObservation(String id, long time, double outcome, double[] predictors) {
    public DriverObservation {
        Objects.requireNonNull(id, "id");
        predictors = predictors.clone();
    }

    /** Whether the customer had met driver {@code i} before the answer. */
    public boolean has(int i) {
        return !Double.isNaN(predictors[i]);
    }

    @Override
    public double[] predictors() {
        return predictors.clone();
    }

    public double predictor(int i) {
        return predictors[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DriverObservation other && id.equals(other.id) && time == other.time
                && Double.compare(outcome, other.outcome) == 0 && Arrays.equals(predictors, other.predictors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, time, outcome, Arrays.hashCode(predictors));
    }

    @Override
    public String toString() {
        return "DriverObservation[" + id + " @" + time + " y=" + outcome + " x=" + Arrays.toString(predictors) + "]";
    }
}
