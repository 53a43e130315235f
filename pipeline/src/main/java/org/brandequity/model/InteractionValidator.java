package org.brandequity.model;

import java.time.Duration;
import org.brandequity.avro.CustomerInteraction;

/**
 * Decides whether an interaction can be counted at all. Returns the first {@link Violation}, or
 * null when the event is valid. Lateness is not judged here: it depends on stream time, which the
 * topology tracks.
 */
public final class InteractionValidator {
    private final long maxFutureSkewMs;

    public InteractionValidator(Duration maxFutureSkew) {
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
    }

    public Violation validate(String key, CustomerInteraction e, long nowMs) {
        if (key == null) return new Violation(DeadLetterReason.NULL_KEY, "record key (customer id) is null");
        if (blank(e.getEventId())) return new Violation(DeadLetterReason.MISSING_FIELD, "eventId is empty");
        if (blank(e.getCustomerId())) return new Violation(DeadLetterReason.MISSING_FIELD, "customerId is empty");
        if (e.getCustomerId().indexOf('\u0000') >= 0) {
            return new Violation(DeadLetterReason.INVALID_ID, "customerId contains a NUL character");
        }
        if (!key.equals(e.getCustomerId())) {
            return new Violation(DeadLetterReason.KEY_MISMATCH, "key '" + key + "' != customerId '" + e.getCustomerId() + "'");
        }
        if (e.getEventTime() == null || e.getEventTime().toEpochMilli() <= 0) {
            return new Violation(DeadLetterReason.MISSING_FIELD, "eventTime is not set");
        }
        Violation range = rangeViolation(e);
        if (range != null) return range;
        long skew = e.getEventTime().toEpochMilli() - nowMs;
        if (skew > maxFutureSkewMs) {
            return new Violation(DeadLetterReason.FUTURE_EVENT_TIME,
                    "eventTime " + e.getEventTime() + " is " + skew + " ms ahead of the clock (max " + maxFutureSkewMs + " ms)");
        }
        return null;
    }

    private static Violation rangeViolation(CustomerInteraction e) {
        if (e.getRating() != null && (e.getRating() < 1 || e.getRating() > 5)) {
            return outOfRange("rating", e.getRating(), "1..5");
        }
        if (e.getLikelihoodToRecommend() != null && (e.getLikelihoodToRecommend() < 0 || e.getLikelihoodToRecommend() > 10)) {
            return outOfRange("likelihoodToRecommend", e.getLikelihoodToRecommend(), "0..10");
        }
        if (e.getEffort() != null && (e.getEffort() < 1 || e.getEffort() > 7)) {
            return outOfRange("effort", e.getEffort(), "1..7");
        }
        if (e.getSentiment() != null && !(e.getSentiment() >= -1 && e.getSentiment() <= 1)) {
            return outOfRange("sentiment", e.getSentiment(), "-1..1");
        }
        if (e.getSpend() != null && !(e.getSpend().getAmount() >= 0 && Double.isFinite(e.getSpend().getAmount()))) {
            return outOfRange("spend.amount", e.getSpend().getAmount(), ">= 0");
        }
        return null;
    }

    private static Violation outOfRange(String field, Object value, String range) {
        return new Violation(DeadLetterReason.OUT_OF_RANGE, field + "=" + value + " is outside " + range);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
