package org.brandequity.model.drivers;

/**
 * Big-endian longs and unsigned 16-bit counts, and unsigned varints in byte arrays, for {@link KeptExperiences} and
 * {@link KeptAnswers}. Hand-written: the model takes no serialization dependency (ByteBuffer would
 * do the longs, at the price of a wrapper per call on the ledger's every-event path).
 */
final class Packing {
    private Packing() {}

    /** An unsigned 16-bit big-endian number (the lists' counts, an answer's met bits). */
    static int readShort(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    static void writeShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | b[at + i] & 0xFF;
        return v;
    }

    static void writeLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--, v >>>= 8) b[at + i] = (byte) v;
    }

    /** The bytes an unsigned varint (7 bits a byte, low first, as Protocol Buffers) of {@code v} takes. */
    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    /** Writes {@code v} as an unsigned varint at {@code at}; returns where it ends. */
    static int writeVarint(byte[] out, int at, long v) {
        while ((v & ~0x7FL) != 0) {
            out[at++] = (byte) (v & 0x7F | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }

    /** The unsigned varint at {@code at[0]}; moves {@code at[0]} past it. */
    static long readVarint(byte[] b, int[] at) {
        long v = 0;
        int shift = 0;
        byte x;
        do {
            x = b[at[0]++];
            v |= (long) (x & 0x7F) << shift;
            shift += 7;
        } while (x < 0);
        return v;
    }

    static long zigzag(long v) {
        return v << 1 ^ v >> 63;
    }

    static long unzigzag(long v) {
        return v >>> 1 ^ -(v & 1);
    }
}
