package org.brandequity.model;

import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.Outcome;

/**
 * Turns one interaction into an {@link ExperienceSignal}.
 *
 * <p>Each survey scale is mapped linearly onto [-1, 1] and clipped, so that the scale's neutral
 * answer is 0:
 * <ul>
 *   <li>CSAT rating r in 1..5: x = (r - 3) / 2</li>
 *   <li>likelihood to recommend n in 0..10: x = clip((n - 7.5) / 2.5); 9-10 (promoters) map to
 *       0.6..1, 7-8 (passives) to -0.2..0.2, 0-6 (detractors) to -1..-0.6</li>
 *   <li>customer effort e in 1..7 (7 = "made it easy"): x = (e - 4) / 3</li>
 *   <li>text sentiment s in -1..1: x = s</li>
 *   <li>outcome: success +0.5, neutral 0, failure -1 (a failure weighs twice a success: customers
 *       remember what went wrong)</li>
 * </ul>
 * Several signals on one event: x is their mean. No signal: x is the touchpoint's prior (e.g. a
 * cancellation -1, a renewal +0.5) and the weight is scaled by {@code model.prior.weight}, because
 * an inferred experience is weaker evidence than a stated one.
 *
 * <p>Weight: w = touchpoint weight &times; stage weight (&times; prior weight when inferred).
 */
public final class ScoringModel {
    private final ModelConfig config;

    public ScoringModel(ModelConfig config) {
        this.config = config;
    }

    public ModelConfig config() {
        return config;
    }

    public ExperienceSignal score(CustomerInteraction e) {
        double sum = 0;
        int n = 0;
        if (e.getRating() != null) { sum += csat(e.getRating()); n++; }
        if (e.getLikelihoodToRecommend() != null) { sum += likelihoodToRecommend(e.getLikelihoodToRecommend()); n++; }
        if (e.getEffort() != null) { sum += effort(e.getEffort()); n++; }
        if (e.getSentiment() != null) { sum += clip(e.getSentiment()); n++; }
        if (e.getOutcome() != null && e.getOutcome() != Outcome.UNKNOWN) { sum += outcome(e.getOutcome()); n++; }
        double w = config.touchpointWeight().get(e.getTouchpoint()) * config.stageWeight().get(e.getStage());
        if (n == 0) {
            return new ExperienceSignal(config.touchpointPrior().get(e.getTouchpoint()), w * config.priorWeight());
        }
        return new ExperienceSignal(sum / n, w);
    }

    /** Positive at or above the positive threshold, negative at or below the negative one. */
    public Polarity polarity(double x) {
        if (x >= config.positiveThreshold()) return Polarity.POSITIVE;
        if (x <= config.negativeThreshold()) return Polarity.NEGATIVE;
        return Polarity.NEUTRAL;
    }

    public static double csat(int rating) {
        return clip((rating - 3) / 2.0);
    }

    public static double likelihoodToRecommend(int n) {
        return clip((n - 7.5) / 2.5);
    }

    public static double effort(int e) {
        return clip((e - 4) / 3.0);
    }

    public static double outcome(Outcome o) {
        return switch (o) {
            case SUCCESS -> 0.5;
            case FAILURE -> -1.0;
            default -> 0.0;
        };
    }

    static double clip(double x) {
        return Math.max(-1.0, Math.min(1.0, x));
    }
}
