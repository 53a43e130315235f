package org.brandequity.wire;

import java.util.Objects;

/**
 * The Confluent wire format: one magic byte 0, the schema id as a 4-byte big-endian int, then the
 * record in Avro binary encoding. Subjects follow the TopicNameStrategy.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int ID_SIZE = 4;
    public static final int HEADER_SIZE = 1 + ID_SIZE;
    /**
     * The largest value accepted on a topic that producers outside the pipeline write (interactions,
     * profiles); larger ones are dead-lettered as {@code OVERSIZED} without being decoded. Every
     * string of those records is bounded by FieldLimits to a few hundred bytes, so a legitimate
     * record is well under 4 KiB; 64 KiB leaves room for fields added later and still keeps a hostile
     * near-1 MiB value from being decoded at all.
     */
    public static final int MAX_INPUT_VALUE_BYTES = 64 * 1024;

    private static final String KEY_SUFFIX = "-key";
    private static final String VALUE_SUFFIX = "-value";

    private WireFormat() {}

    /** TopicNameStrategy: {@code <topic>-key} for keys, {@code <topic>-value} for values. */
    public static String subject(String topic, boolean isKey) {
        Objects.requireNonNull(topic, "topic");
        return topic + (isKey ? KEY_SUFFIX : VALUE_SUFFIX);
    }

    public static String keySubject(String topic) {
        return subject(topic, true);
    }

    public static String valueSubject(String topic) {
        return subject(topic, false);
    }

    /** Writes the 5-byte header for {@code schemaId} into {@code dest} at {@code offset}. */
    public static void writeHeader(int schemaId, byte[] dest, int offset) {
        dest[offset] = MAGIC_BYTE;
        dest[offset + 1] = (byte) (schemaId >>> 24);
        dest[offset + 2] = (byte) (schemaId >>> 16);
        dest[offset + 3] = (byte) (schemaId >>> 8);
        dest[offset + 4] = (byte) schemaId;
    }

    /** The 5-byte header for {@code schemaId}. */
    public static byte[] header(int schemaId) {
        byte[] header = new byte[HEADER_SIZE];
        writeHeader(schemaId, header, 0);
        return header;
    }

    /**
     * Validates the header of the {@code length} bytes at {@code offset} and returns the schema id.
     *
     * @throws WireFormatException {@code BAD_MAGIC_BYTE} when the first byte is not 0,
     *     {@code UNDECODABLE} when the payload is shorter than the header
     */
    public static int schemaId(byte[] payload, int offset, int length) {
        if (length > 0 && payload[offset] != MAGIC_BYTE) {
            throw new WireFormatException(WireFormatException.Reason.BAD_MAGIC_BYTE,
                    "Unknown magic byte " + payload[offset] + ", expected " + MAGIC_BYTE
                            + ": not in the schema registry wire format");
        }
        if (length < HEADER_SIZE) {
            throw new WireFormatException(WireFormatException.Reason.UNDECODABLE,
                    "Payload of " + length + " bytes is shorter than the " + HEADER_SIZE
                            + "-byte wire format header");
        }
        return ((payload[offset + 1] & 0xFF) << 24)
                | ((payload[offset + 2] & 0xFF) << 16)
                | ((payload[offset + 3] & 0xFF) << 8)
                | (payload[offset + 4] & 0xFF);
    }

    public static int schemaId(byte[] payload) {
        return schemaId(payload, 0, payload.length);
    }
}
