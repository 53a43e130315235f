package org.brandequity.wire;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A {@link Decoder} over a {@link BinaryDecoder} on a byte array that checks every length prefix
 * (strings, bytes, array and map block counts) against the bytes left <em>before</em> anything is
 * allocated, so decoding a record never allocates much more than the record's own size.
 *
 * <p>Why: Avro's {@link BinaryDecoder} allocates what a length prefix says and only then reads; a
 * 10-byte record whose string prefix says 2^31 asks for a 2 GiB array, and the OutOfMemoryError
 * escapes every handler (issue 21). Avro's own limits ({@code org.apache.avro.limits.*},
 * {@link AvroLimits}) are process-wide, read once when Avro first loads, and know nothing of the
 * record at hand; this check is exact and does not depend on class-loading order.
 *
 * <p>An array or map block may not claim more items than there are bytes left: every item of the
 * pipeline's schemas takes at least one byte. (Avro allows zero-byte items, e.g. an array of nulls;
 * no schema of ours has one, and such a record is refused as truncated.)
 */
final class BoundedDecoder extends Decoder {
    private BinaryDecoder in;

    /** Reads from {@code in} from now on; returns this, for reuse per thread like Avro's decoders. */
    BoundedDecoder reset(BinaryDecoder in) {
        this.in = in;
        return this;
    }

    boolean isEnd() throws IOException {
        return in.isEnd();
    }

    /** Bytes not read yet: the byte-array source's limit minus its position, all in memory. */
    private long remaining() throws IOException {
        return in.inputStream().available();
    }

    private int checkedLength(long length, String what) throws IOException {
        if (length < 0) throw new IOException("Negative " + what + " length " + length);
        long left = remaining();
        if (length > left) {
            throw new EOFException(what + " length prefix " + length + " exceeds the " + left + " bytes left in the record");
        }
        return (int) length;
    }

    /** An array or map block count; a negative count is followed by the block's size in bytes. */
    private long itemCount(String what) throws IOException {
        long count = in.readLong();
        if (count < 0) {
            checkedLength(in.readLong(), what + " block size");
            count = -count;
            if (count < 0) throw new IOException(what + " item count overflows");
        }
        checkedLength(count, what + " item count");
        return count;
    }

    @Override public void readNull() throws IOException { in.readNull(); }
    @Override public boolean readBoolean() throws IOException { return in.readBoolean(); }
    @Override public int readInt() throws IOException { return in.readInt(); }
    @Override public long readLong() throws IOException { return in.readLong(); }
    @Override public float readFloat() throws IOException { return in.readFloat(); }
    @Override public double readDouble() throws IOException { return in.readDouble(); }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = checkedLength(in.readLong(), "string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        if (length > 0) in.readFixed(result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        int length = checkedLength(in.readLong(), "string");
        if (length == 0) return "";
        byte[] bytes = new byte[length];
        in.readFixed(bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(checkedLength(in.readLong(), "string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = checkedLength(in.readLong(), "bytes");
        ByteBuffer result = old != null && length <= old.capacity() ? old.clear() : ByteBuffer.allocate(length);
        in.readFixed(result.array(), result.position(), length);
        result.limit(length);
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(checkedLength(in.readLong(), "bytes"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(checkedLength(length, "fixed"));
    }

    @Override public int readEnum() throws IOException { return in.readEnum(); }
    @Override public long readArrayStart() throws IOException { return itemCount("array"); }
    @Override public long arrayNext() throws IOException { return itemCount("array"); }
    @Override public long readMapStart() throws IOException { return itemCount("map"); }
    @Override public long mapNext() throws IOException { return itemCount("map"); }

    /**
     * Skips whole blocks that carry their size; returns the item count of the first block that does
     * not (the caller skips those items one by one), as {@link BinaryDecoder#skipArray()} does.
     */
    @Override
    public long skipArray() throws IOException {
        return skipBlocks("array");
    }

    @Override
    public long skipMap() throws IOException {
        return skipBlocks("map");
    }

    private long skipBlocks(String what) throws IOException {
        long count = in.readLong();
        while (count < 0) {
            in.skipFixed(checkedLength(in.readLong(), what + " block size"));
            count = in.readLong();
        }
        return checkedLength(count, what + " item count");
    }

    @Override public int readIndex() throws IOException { return in.readIndex(); }
}
