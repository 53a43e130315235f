package org.brandequity.ingest;

import org.brandequity.model.DeadLetterReason;
import org.brandequity.model.Violation;

/**
 * One thing wrong with one item of a request or one row of a file.
 *
 * @param item   the item's 0-based index in the request ({@code -1}: the body as a whole); the file
 *               import reports its own row numbers
 * @param field  the contract field, dotted for nested ones ({@code spend.amount}); {@code null} when
 *               the problem is not about one field
 * @param code   what kind of problem: a bounded set, usable as a metric label
 * @param reason what is wrong, for a person: the value, what was expected, the accepted symbols
 */
public record Problem(int item, String field, Code code, String reason) {

    /**
     * The kinds of problem. The first group is the JSON form's own; the rest are the pipeline's
     * validator's {@link DeadLetterReason}s that can apply to an item, under the same names.
     */
    public enum Code {
        /** The body or line is not JSON. */
        MALFORMED_JSON,
        /** An item is JSON but not an object. */
        NOT_AN_OBJECT,
        /** A field the contract does not have. */
        UNKNOWN_FIELD,
        /** A value of the wrong JSON type (a string where a number belongs, and so on). */
        WRONG_TYPE,
        /** A string that is not one of the enum's symbols. */
        UNKNOWN_SYMBOL,
        /** A time that is neither ISO-8601 with an offset nor epoch milliseconds. */
        BAD_TIME,
        /** An object with more than {@link org.brandequity.model.FieldLimits#FIELDS_PER_OBJECT_MAX} fields; the rest is not read. */
        TOO_MANY_FIELDS,
        MISSING_FIELD,
        OUT_OF_RANGE,
        INVALID_ID,
        KEY_MISMATCH,
        FUTURE_EVENT_TIME,
        NULL_KEY,
        /** A string longer than its bound in {@link org.brandequity.model.FieldLimits}. */
        TOO_LONG;

        static Code of(DeadLetterReason reason) {
            return valueOf(reason.name());
        }
    }

    static Problem of(int item, Violation v) {
        return new Problem(item, v.field(), Code.of(v.reason()), v.detail());
    }
}
