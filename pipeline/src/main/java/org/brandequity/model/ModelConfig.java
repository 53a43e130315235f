package org.brandequity.model;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;

/**
 * The tunable parts of the model: per-touchpoint weight, brand promise and prior, per-stage weight,
 * per-segment weight, the polarity thresholds, the decay half-life and the index prior.
 *
 * <p>Read from properties ({@code model.*} keys, see the README's config table); every key has a
 * documented default in {@code brand-equity-defaults.properties}.
 */
public record ModelConfig(
        Map<Touchpoint, Double> touchpointWeight,
        Map<Touchpoint, Double> touchpointPromise,
        Map<Touchpoint, Double> touchpointPrior,
        Map<LifecycleStage, Double> stageWeight,
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
        segmentWeight.forEach((s, w) -> require(w >= 0, "model.segment." + s + ".weight must be >= 0"));
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

    public static ModelConfig fromProperties(Properties p) {
        Map<Touchpoint, Double> weight = new EnumMap<>(Touchpoint.class);
        Map<Touchpoint, Double> promise = new EnumMap<>(Touchpoint.class);
        Map<Touchpoint, Double> prior = new EnumMap<>(Touchpoint.class);
        for (Touchpoint t : Touchpoint.values()) {
            putIfSet(p, "model.touchpoint." + t + ".weight", v -> weight.put(t, v));
            putIfSet(p, "model.touchpoint." + t + ".promise", v -> promise.put(t, v));
            putIfSet(p, "model.touchpoint." + t + ".prior", v -> prior.put(t, v));
        }
        Map<LifecycleStage, Double> stage = new EnumMap<>(LifecycleStage.class);
        for (LifecycleStage s : LifecycleStage.values()) {
            putIfSet(p, "model.stage." + s + ".weight", v -> stage.put(s, v));
        }
        Map<String, Double> segments = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("model.segment.") && key.endsWith(".weight") && !key.equals("model.segment.default.weight")) {
                String name = key.substring("model.segment.".length(), key.length() - ".weight".length());
                segments.put(name, number(p, key));
            }
        }
        return new ModelConfig(weight, promise, prior, stage, segments,
                number(p, "model.segment.default.weight"),
                number(p, "model.prior.weight"),
                number(p, "model.polarity.positive.threshold"),
                number(p, "model.polarity.negative.threshold"),
                Durations.parse("model.equity.half.life", required(p, "model.equity.half.life")),
                number(p, "model.equity.index.prior"));
    }

    private interface DoubleSink { void accept(double v); }

    private static void putIfSet(Properties p, String key, DoubleSink sink) {
        if (p.getProperty(key) != null) sink.accept(number(p, key));
    }

    private static double number(Properties p, String key) {
        String v = required(p, key);
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Config key '" + key + "': '" + v + "' is not a number");
        }
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) throw new IllegalArgumentException("Config key '" + key + "' is not set");
        return v;
    }

    private static boolean inUnit(double v) {
        return v >= -1 && v <= 1;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("Invalid model config: " + message);
    }
}
