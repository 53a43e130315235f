package org.brandequity.wire;

/**
 * Avro's process-wide decoding limits ({@code org.apache.avro.limits.*}): the longest string and
 * bytes value and the most collection items Avro's decoders accept. Unset, they are about 2^31,
 * so a hostile length prefix could ask for a 2 GiB array (issue 21).
 *
 * <p>A second line of defence: {@link BoundedDecoder} already checks every prefix of an external
 * record against the bytes left. These limits also cover what it does not wrap (internal state,
 * read with {@link AvroBinarySerde}). Avro reads the properties once, when its
 * {@code SystemLimitException} class loads, so {@link #apply()} must run before the first decode:
 * {@code Main} calls it first thing. A value set on the command line ({@code -Dorg.apache.avro...})
 * wins.
 */
public final class AvroLimits {
    public static final String STRING_MAX = "org.apache.avro.limits.string.maxLength";
    public static final String BYTES_MAX = "org.apache.avro.limits.bytes.maxLength";
    public static final String COLLECTION_ITEMS_MAX = "org.apache.avro.limits.collectionItems.maxLength";

    /**
     * 16 MiB: far above any legitimate value (FieldLimits bounds every string to a few hundred bytes,
     * and a record stays under the broker's max.message.bytes, 1 MiB by default), far below a heap.
     */
    public static final int STRING_AND_BYTES_MAX = 16 << 20;
    /** 4M items: the largest state record (an equity ledger at the segment cap) has far fewer cells. */
    public static final int COLLECTION_ITEMS = 4 << 20;

    private AvroLimits() {}

    /** Sets each limit that is not set already. */
    public static void apply() {
        setIfAbsent(STRING_MAX, STRING_AND_BYTES_MAX);
        setIfAbsent(BYTES_MAX, STRING_AND_BYTES_MAX);
        setIfAbsent(COLLECTION_ITEMS_MAX, COLLECTION_ITEMS);
    }

    private static void setIfAbsent(String key, int value) {
        if (System.getProperty(key) == null) System.setProperty(key, Integer.toString(value));
    }
}
