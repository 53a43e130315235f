package org.brandequity.config;

import static java.util.Map.entry;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.Durations;
import org.brandequity.model.ModelConfig;

/**
 * The {@code model.*} keys: one definition per touchpoint and stage key, enumerated from the Avro
 * enums, the segment weights as one {@code name:weight} list (segment names are data: any case,
 * any character but {@code ,}), and the scalar parameters of the model ({@link ModelConfig}).
 */
public final class ModelKeys {
    public static final String SEGMENT_WEIGHTS_CONFIG = "model.segment.weights";
    public static final String SEGMENT_DEFAULT_WEIGHT_CONFIG = "model.segment.default.weight";
    public static final String PRIOR_WEIGHT_CONFIG = "model.prior.weight";
    public static final String POSITIVE_THRESHOLD_CONFIG = "model.polarity.positive.threshold";
    public static final String NEGATIVE_THRESHOLD_CONFIG = "model.polarity.negative.threshold";
    public static final String HALF_LIFE_CONFIG = "model.equity.half.life";
    public static final String INDEX_PRIOR_CONFIG = "model.equity.index.prior";

    /**
     * Weight in w, brand promise (target experience in [-1, 1]) and prior x of each touchpoint. A
     * support contact or a return usually means something went wrong, hence their negative priors;
     * a referral or a renewal is a positive act in itself.
     */
    private static final Map<Touchpoint, double[]> TOUCHPOINT_DEFAULTS = Map.ofEntries(
            entry(Touchpoint.AD, new double[] {0.3, 0.3, 0.0}),
            entry(Touchpoint.SOCIAL_MENTION, new double[] {0.6, 0.4, 0.0}),
            entry(Touchpoint.WORD_OF_MOUTH, new double[] {0.8, 0.5, 0.0}),
            entry(Touchpoint.WEBSITE_VISIT, new double[] {0.5, 0.5, 0.0}),
            entry(Touchpoint.STORE_VISIT, new double[] {0.8, 0.6, 0.0}),
            entry(Touchpoint.SALES_CONTACT, new double[] {0.8, 0.6, 0.0}),
            entry(Touchpoint.CHECKOUT, new double[] {1.0, 0.7, 0.0}),
            entry(Touchpoint.DELIVERY, new double[] {1.2, 0.8, 0.0}),
            entry(Touchpoint.PRODUCT_USAGE, new double[] {1.5, 0.7, 0.0}),
            entry(Touchpoint.APP_SESSION, new double[] {0.7, 0.6, 0.0}),
            entry(Touchpoint.SUPPORT_CONTACT, new double[] {1.3, 0.6, -0.2}),
            entry(Touchpoint.RETURN, new double[] {1.0, 0.5, -0.3}),
            entry(Touchpoint.SURVEY_RESPONSE, new double[] {1.0, 0.6, 0.0}),
            entry(Touchpoint.REVIEW, new double[] {1.2, 0.6, 0.0}),
            entry(Touchpoint.REFERRAL, new double[] {1.5, 0.8, 0.8}),
            entry(Touchpoint.RENEWAL, new double[] {1.5, 0.7, 0.5}),
            entry(Touchpoint.CANCELLATION, new double[] {1.5, 0.5, -1.0}),
            entry(Touchpoint.DISPOSAL, new double[] {0.5, 0.3, 0.0}),
            entry(Touchpoint.OTHER, new double[] {0.5, 0.5, 0.0}));

    /** Lifecycle stage weights in w: usage and loyalty shape the actual brand most. */
    private static final Map<LifecycleStage, Double> STAGE_DEFAULTS = Map.of(
            LifecycleStage.AWARENESS, 0.5,
            LifecycleStage.CONSIDERATION, 0.7,
            LifecycleStage.PURCHASE, 1.0,
            LifecycleStage.USAGE, 1.2,
            LifecycleStage.SERVICE, 1.0,
            LifecycleStage.LOYALTY, 1.2,
            LifecycleStage.DISPOSAL, 0.8,
            LifecycleStage.UNKNOWN, 1.0);

    private ModelKeys() {}

    public static String touchpointWeight(Touchpoint t) {
        return "model.touchpoint." + t + ".weight";
    }

    public static String touchpointPromise(Touchpoint t) {
        return "model.touchpoint." + t + ".promise";
    }

    public static String touchpointPrior(Touchpoint t) {
        return "model.touchpoint." + t + ".prior";
    }

    public static String stageWeight(LifecycleStage s) {
        return "model.stage." + s + ".weight";
    }

    public static String stagePromise(LifecycleStage s) {
        return "model.stage." + s + ".promise";
    }

    static void define(ConfigDef def) {
        for (Touchpoint t : Touchpoint.values()) {
            // A touchpoint added to the Avro enum without a default here has a required key: the
            // pipeline then refuses to start until it is configured, and the tests fail first.
            double[] d = TOUCHPOINT_DEFAULTS.get(t);
            def.define(touchpointWeight(t), Type.DOUBLE, d == null ? ConfigDef.NO_DEFAULT_VALUE : d[0],
                    Validators.greaterThan(0), Importance.LOW,
                    "Weight of " + t + " interactions in the event weight w.");
            def.define(touchpointPromise(t), Type.DOUBLE, d == null ? ConfigDef.NO_DEFAULT_VALUE : d[1],
                    Validators.between(-1, 1), Importance.LOW,
                    "Brand promise at " + t + ": the target experience; perceived experience minus it is the promise gap.");
            def.define(touchpointPrior(t), Type.DOUBLE, d == null ? ConfigDef.NO_DEFAULT_VALUE : d[2],
                    Validators.between(-1, 1), Importance.LOW,
                    "Experience x given to an event at " + t + " that carries no signal (weighted by model.prior.weight).");
        }
        for (LifecycleStage s : LifecycleStage.values()) {
            Double d = STAGE_DEFAULTS.get(s);
            def.define(stageWeight(s), Type.DOUBLE, d == null ? ConfigDef.NO_DEFAULT_VALUE : d,
                    Validators.greaterThan(0), Importance.LOW,
                    "Weight of events in lifecycle stage " + s + " in the event weight w.");
        }
        for (LifecycleStage s : LifecycleStage.values()) {
            // Optional: a stage is a span of the customer's journey, and a brand sets a target for
            // some of them only; a stage without one has no promise gap (null in the equity record).
            def.define(stagePromise(s), Type.DOUBLE, null, Validators.unsetOrBetween(-1, 1), Importance.LOW,
                    "Brand promise for lifecycle stage " + s + " (optional): the target experience; the promise gap of each "
                            + "segment in this stage is the promise minus its perceived experience. Unset: no promise gap for the stage.");
        }
        def.define(SEGMENT_WEIGHTS_CONFIG, Type.LIST, "broad-base:1,high-value:3,unassigned:1",
                Validators.segmentWeights(), Importance.MEDIUM,
                "Segment weights ω in brand equity, as name:weight entries separated by commas. Names are "
                        + "matched exactly (case and characters kept; no comma). Other segments weigh model.segment.default.weight.");
        def.define(SEGMENT_DEFAULT_WEIGHT_CONFIG, Type.DOUBLE, 1.0, Validators.atLeast(0), Importance.LOW,
                "ω of segments not listed in model.segment.weights.");
        def.define(PRIOR_WEIGHT_CONFIG, Type.DOUBLE, 0.25, Validators.aboveUpTo(0, 1), Importance.LOW,
                "Weight multiplier of events without a signal, which count with their touchpoint's prior.");
        def.define(POSITIVE_THRESHOLD_CONFIG, Type.DOUBLE, 0.25, Validators.aboveUpTo(0, 1), Importance.LOW,
                "x at or above which an event or a customer window is positive.");
        def.define(NEGATIVE_THRESHOLD_CONFIG, Type.DOUBLE, -0.25, Validators.fromBelow(-1, 0), Importance.LOW,
                "x at or below which an event or a customer window is negative.");
        def.define(HALF_LIFE_CONFIG, Type.STRING, "30d", Validators.durationAtLeast(1), Importance.MEDIUM,
                "Half-life H of experience in the equity stock.");
        def.define(INDEX_PRIOR_CONFIG, Type.DOUBLE, 10.0, Validators.atLeast(0), Importance.LOW,
                "K in the equity index 100 · BE / (V + K): damps the index while little volume has accumulated.");
    }

    static ModelConfig parse(AbstractConfig c) {
        Map<Touchpoint, Double> weight = new EnumMap<>(Touchpoint.class);
        Map<Touchpoint, Double> promise = new EnumMap<>(Touchpoint.class);
        Map<Touchpoint, Double> prior = new EnumMap<>(Touchpoint.class);
        for (Touchpoint t : Touchpoint.values()) {
            weight.put(t, c.getDouble(touchpointWeight(t)));
            promise.put(t, c.getDouble(touchpointPromise(t)));
            prior.put(t, c.getDouble(touchpointPrior(t)));
        }
        Map<LifecycleStage, Double> stage = new EnumMap<>(LifecycleStage.class);
        Map<LifecycleStage, Double> stagePromise = new EnumMap<>(LifecycleStage.class);
        for (LifecycleStage s : LifecycleStage.values()) {
            stage.put(s, c.getDouble(stageWeight(s)));
            Double p = c.getDouble(stagePromise(s));
            if (p != null) stagePromise.put(s, p);
        }
        return new ModelConfig(weight, promise, prior, stage, stagePromise, segmentWeights(c.getList(SEGMENT_WEIGHTS_CONFIG)),
                c.getDouble(SEGMENT_DEFAULT_WEIGHT_CONFIG),
                c.getDouble(PRIOR_WEIGHT_CONFIG),
                c.getDouble(POSITIVE_THRESHOLD_CONFIG),
                c.getDouble(NEGATIVE_THRESHOLD_CONFIG),
                Durations.parse(HALF_LIFE_CONFIG, c.getString(HALF_LIFE_CONFIG)),
                c.getDouble(INDEX_PRIOR_CONFIG));
    }

    /** {@code broad-base:1, high-value:3} → {broad-base=1.0, high-value=3.0}; validated by {@link Validators#segmentWeights}. */
    static Map<String, Double> segmentWeights(List<String> entries) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String entry : entries) {
            int colon = entry.lastIndexOf(':');
            m.put(entry.substring(0, colon).trim(), Double.parseDouble(entry.substring(colon + 1).trim()));
        }
        return m;
    }

    static void write(ModelConfig m, Map<String, String> out) {
        m.touchpointWeight().forEach((t, v) -> out.put(touchpointWeight(t), Double.toString(v)));
        m.touchpointPromise().forEach((t, v) -> out.put(touchpointPromise(t), Double.toString(v)));
        m.touchpointPrior().forEach((t, v) -> out.put(touchpointPrior(t), Double.toString(v)));
        m.stageWeight().forEach((s, v) -> out.put(stageWeight(s), Double.toString(v)));
        m.stagePromise().forEach((s, v) -> out.put(stagePromise(s), Double.toString(v)));
        StringBuilder segments = new StringBuilder();
        new java.util.TreeMap<>(m.segmentWeight()).forEach((s, v) ->
                segments.append(segments.length() == 0 ? "" : ",").append(s).append(':').append(v));
        out.put(SEGMENT_WEIGHTS_CONFIG, segments.toString());
        out.put(SEGMENT_DEFAULT_WEIGHT_CONFIG, Double.toString(m.defaultSegmentWeight()));
        out.put(PRIOR_WEIGHT_CONFIG, Double.toString(m.priorWeight()));
        out.put(POSITIVE_THRESHOLD_CONFIG, Double.toString(m.positiveThreshold()));
        out.put(NEGATIVE_THRESHOLD_CONFIG, Double.toString(m.negativeThreshold()));
        out.put(HALF_LIFE_CONFIG, Durations.format(m.halfLife()));
        out.put(INDEX_PRIOR_CONFIG, Double.toString(m.indexPrior()));
    }
}
