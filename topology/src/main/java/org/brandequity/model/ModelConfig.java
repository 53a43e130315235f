package org.brandequity.model;

import java.time.Duration;
import java.util.Map;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;

/**
 * The tunable parts of the model: per-touchpoint weight, brand promise and prior, per-stage weight
 * and optional brand promise (only the stages configured have one), per-segment weight, the polarity thresholds, the decay half-life and the index prior.
 *
 * <p>Configured with the {@code model.*} keys (defined, with their defaults, in
 * {@code org.brandequity.config.ModelKeys}; see docs/configuration.md).
 */
public record ModelConfig(
        Map<Touchpoint, Double> touchpointWeight,
        Map<Touchpoint, Double> touchpointPromise,
        Map<Touchpoint, Double> touchpointPrior,
        Map<LifecycleStage, Double> stageWeight,
        Map<LifecycleStage, Double> stagePromise,
        Map<String, Double> segmentWeight,
        double defaultSegmentWeight,
        double priorWeight,
        double positiveThreshold,
        double negativeThreshold,
        Duration halfLife,
        double indexPrior) {

    public ModelConfig {
        touchpointWeight = Map.copyOf(touchpointWeight);
        touchpointPromise = Map.copyOf(touchpointPromise);
        touchpointPrior = Map.copyOf(touchpointPrior);
        stageWeight = Map.copyOf(stageWeight);
        stagePromise = Map.copyOf(stagePromise);
        segmentWeight = Map.copyOf(segmentWeight);
        for (Touchpoint t : Touchpoint.values()) {
            require(touchpointWeight.containsKey(t), "model.touchpoint." + t + ".weight is not set");
            require(touchpointWeight.get(t) > 0, "model.touchpoint." + t + ".weight must be > 0");
            require(inUnit(touchpointPromise.getOrDefault(t, Double.NaN)), "model.touchpoint." + t + ".promise must be in [-1, 1]");
            require(inUnit(touchpointPrior.getOrDefault(t, Double.NaN)), "model.touchpoint." + t + ".prior must be in [-1, 1]");
        }
        for (LifecycleStage s : LifecycleStage.values()) {
            require(stageWeight.getOrDefault(s, 0.0) > 0, "model.stage." + s + ".weight must be set and > 0");
        }
        stagePromise.forEach((s, p) -> require(inUnit(p), "model.stage." + s + ".promise must be in [-1, 1]"));
        segmentWeight.forEach((s, w) -> require(w >= 0, "model.segment.weights: the weight of " + s + " must be >= 0"));
        require(defaultSegmentWeight >= 0, "model.segment.default.weight must be >= 0");
        require(priorWeight > 0 && priorWeight <= 1, "model.prior.weight must be in (0, 1]");
        require(positiveThreshold > 0 && positiveThreshold <= 1, "model.polarity.positive.threshold must be in (0, 1]");
        require(negativeThreshold < 0 && negativeThreshold >= -1, "model.polarity.negative.threshold must be in [-1, 0)");
        require(!halfLife.isNegative() && !halfLife.isZero(), "model.equity.half.life must be > 0");
        require(indexPrior >= 0, "model.equity.index.prior must be >= 0");
    }

    /** Weight ω of a segment in brand equity; segments without their own key use the default. */
    public double weightOfSegment(String segment) {
        return segmentWeight.getOrDefault(segment, defaultSegmentWeight);
    }

    /** The brand promise of a lifecycle stage, or null when none is configured (then the stage has no promise gap). */
    public Double promiseOfStage(LifecycleStage stage) {
        return stagePromise.get(stage);
    }

    private static boolean inUnit(double v) {
        return v >= -1 && v <= 1;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("Invalid model config: " + message);
    }
}
