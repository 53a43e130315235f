package org.brandequity.wire;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes cannot become a record, whatever happens to the registry: retrying will not help,
 * so the record belongs in the dead-letter topic with {@link #reason()} in a header.
 */
public class WireFormatException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The first byte is not the Confluent wire-format magic byte 0. */
        BAD_MAGIC_BYTE,
        /** The registry does not know the schema id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** Too short, truncated, trailing bytes, garbage, or a writer schema the reader cannot resolve. */
        UNDECODABLE,
        /** The writer schema lacks a field that the reader requires and that has no default. */
        MISSING_FIELD,
        /** The value is longer than an input record may be ({@link WireFormat#MAX_INPUT_VALUE_BYTES}); not decoded. */
        OVERSIZED
    }

    private final Reason reason;

    public WireFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public WireFormatException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
