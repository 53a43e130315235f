package org.brandequity.model;

import java.util.Comparator;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * How urgent an open at-risk alert is (docs/model.md §8): shortfall = max(0, threshold - index), the points
 * the customer's index lies below the at-risk threshold; priority = value weight &times; shortfall, so
 * a valuable customer far below the threshold comes first.
 */
public record AtRiskPriority(double index, double shortfall, double priority) {

    /** The priority of a customer of {@code valueWeight} whose index is {@code index}, against {@code indexThreshold}. */
    public static AtRiskPriority of(double valueWeight, double index, double indexThreshold) {
        double shortfall = Math.max(0, indexThreshold - index);
        return new AtRiskPriority(index, shortfall, valueWeight * shortfall);
    }

    /** Highest priority first; ties by value weight (higher first), then by customer id, so the order is total. */
    public static <T> Comparator<T> ranking(ToDoubleFunction<T> priority, ToDoubleFunction<T> valueWeight,
                                            Function<T, String> customerId) {
        return Comparator.comparingDouble(priority).reversed()
                .thenComparing(Comparator.comparingDouble(valueWeight).reversed())
                .thenComparing(customerId);
    }
}
