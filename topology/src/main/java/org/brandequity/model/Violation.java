package org.brandequity.model;

/**
 * A reason an event is rejected, with a human-readable detail for the dead-letter header and the
 * contract field it concerns ({@code null} when it concerns the record as a whole, e.g. its key).
 */
public record Violation(DeadLetterReason reason, String field, String detail) {
    /** A violation of the record as a whole. */
    public Violation(DeadLetterReason reason, String detail) {
        this(reason, null, detail);
    }
}
