package org.brandequity.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.brandequity.avro.CustomerInteraction;

/**
 * Decides whether an interaction can be counted at all. Lateness is not judged here: it depends on
 * stream time, which the topology tracks.
 *
 * <p>The topology asks for the first {@link Violation} ({@link #validate}); the ingestion service
 * and the file import ask for every one ({@link #validateAll}), so that a client fixes a request in
 * one round. Both run the same checks in the same order.
 */
public final class InteractionValidator {
    private final long maxFutureSkewMs;

    public InteractionValidator(Duration maxFutureSkew) {
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
    }

    /** The first violation in check order, or null when {@code e} keyed by {@code key} can be counted. */
    public Violation validate(String key, CustomerInteraction e, long nowMs) {
        if (key == null) return nullKey();
        if (e == null) return tombstone();
        if (blank(e.getEventId())) return missing("eventId");
        Violation v = FieldLimits.checkBytes("eventId", e.getEventId(), FieldLimits.ID_MAX_BYTES);
        if (v == null) v = customerIdViolation(key, e);
        if (v == null) v = textViolation(e);
        if (v == null) v = eventTimeMissing(e);
        if (v == null) v = firstRangeViolation(e);
        if (v == null) v = futureViolation(e, nowMs);
        return v;
    }

    /** Every violation, in the order {@link #validate} checks them; empty when the event can be counted. */
    public List<Violation> validateAll(String key, CustomerInteraction e, long nowMs) {
        List<Violation> all = new ArrayList<>(2);
        if (key == null) all.add(nullKey());
        if (e == null) {
            all.add(tombstone());
            return all;
        }
        if (blank(e.getEventId())) all.add(missing("eventId"));
        add(all, FieldLimits.checkBytes("eventId", e.getEventId(), FieldLimits.ID_MAX_BYTES));
        add(all, customerIdViolation(key, e));
        add(all, FieldLimits.checkChars("channel", e.getChannel(), FieldLimits.CHANNEL_MAX_CHARS));
        add(all, currencyViolation(e));
        Violation time = eventTimeMissing(e);
        add(all, time);
        add(all, outOfRange("rating", e.getRating(), 1, 5));
        add(all, outOfRange("likelihoodToRecommend", e.getLikelihoodToRecommend(), 0, 10));
        add(all, outOfRange("effort", e.getEffort(), 1, 7));
        add(all, outOfRange("sentiment", e.getSentiment(), -1, 1));
        add(all, spendViolation(e));
        if (time == null) add(all, futureViolation(e, nowMs));
        return all;
    }

    /** A key and no value: a deletion marker, which means nothing on an event stream (issue 21). */
    private static Violation tombstone() {
        return new Violation(DeadLetterReason.TOMBSTONE, "record value is null (a tombstone); an interaction is never deleted");
    }

    private static Violation nullKey() {
        return new Violation(DeadLetterReason.NULL_KEY, "record key (customer id) is null");
    }

    private static Violation customerIdViolation(String key, CustomerInteraction e) {
        if (blank(e.getCustomerId())) return missing("customerId");
        Violation tooLong = FieldLimits.checkBytes("customerId", e.getCustomerId(), FieldLimits.ID_MAX_BYTES);
        if (tooLong != null) return tooLong;
        if (e.getCustomerId().indexOf('\u0000') >= 0) {
            return new Violation(DeadLetterReason.INVALID_ID, "customerId", "customerId contains a NUL character");
        }
        if (key != null && !key.equals(e.getCustomerId())) {
            return new Violation(DeadLetterReason.KEY_MISMATCH, "customerId", "key '" + key + "' != customerId '" + e.getCustomerId() + "'");
        }
        return null;
    }

    /** The first free-text field over its bound (channel, then spend.currency), or null. */
    private static Violation textViolation(CustomerInteraction e) {
        Violation v = FieldLimits.checkChars("channel", e.getChannel(), FieldLimits.CHANNEL_MAX_CHARS);
        return v != null ? v : currencyViolation(e);
    }

    private static Violation currencyViolation(CustomerInteraction e) {
        return e.getSpend() == null ? null : FieldLimits.checkChars("spend.currency", e.getSpend().getCurrency(), FieldLimits.CURRENCY_MAX_CHARS);
    }

    private static Violation eventTimeMissing(CustomerInteraction e) {
        if (e.getEventTime() == null || e.getEventTime().toEpochMilli() <= 0) {
            return new Violation(DeadLetterReason.MISSING_FIELD, "eventTime", "eventTime is not set");
        }
        return null;
    }

    private Violation futureViolation(CustomerInteraction e, long nowMs) {
        long skew = e.getEventTime().toEpochMilli() - nowMs;
        if (skew > maxFutureSkewMs) {
            return new Violation(DeadLetterReason.FUTURE_EVENT_TIME, "eventTime",
                    "eventTime " + e.getEventTime() + " is " + skew + " ms ahead of the clock (max " + maxFutureSkewMs + " ms)");
        }
        return null;
    }

    private static Violation firstRangeViolation(CustomerInteraction e) {
        Violation v = outOfRange("rating", e.getRating(), 1, 5);
        if (v == null) v = outOfRange("likelihoodToRecommend", e.getLikelihoodToRecommend(), 0, 10);
        if (v == null) v = outOfRange("effort", e.getEffort(), 1, 7);
        if (v == null) v = outOfRange("sentiment", e.getSentiment(), -1, 1);
        if (v == null) v = spendViolation(e);
        return v;
    }

    private static Violation spendViolation(CustomerInteraction e) {
        if (e.getSpend() != null && !(e.getSpend().getAmount() >= 0 && Double.isFinite(e.getSpend().getAmount()))) {
            return new Violation(DeadLetterReason.OUT_OF_RANGE, "spend.amount", "spend.amount=" + e.getSpend().getAmount() + " is outside >= 0");
        }
        return null;
    }

    /** Null when {@code value} is absent or within [min, max]; NaN is outside every scale. */
    private static Violation outOfRange(String field, Number value, int min, int max) {
        if (value == null) return null;
        double x = value.doubleValue();
        if (x >= min && x <= max) return null;
        return new Violation(DeadLetterReason.OUT_OF_RANGE, field, field + "=" + value + " is outside " + min + ".." + max);
    }

    private static Violation missing(String field) {
        return new Violation(DeadLetterReason.MISSING_FIELD, field, field + " is empty");
    }

    private static void add(List<Violation> all, Violation v) {
        if (v != null) all.add(v);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
