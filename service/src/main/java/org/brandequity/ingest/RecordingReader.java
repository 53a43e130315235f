package org.brandequity.ingest;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * A reader that keeps the last {@link #CAPACITY} characters it passed on, by absolute offset, so
 * the text of a rejected CSV row can be written to the reject file as it was in the file — also
 * for a row the CSV parser could not read. Hand-written: Jackson's parser reports offsets but
 * keeps no text, and no dependency here offers such a buffer.
 */
final class RecordingReader extends FilterReader {
    /** Enough for any sane row plus the parser's read-ahead (a few KiB). */
    static final int CAPACITY = 1 << 20;

    private final char[] ring = new char[CAPACITY];
    private long total;

    RecordingReader(Reader in) {
        super(in);
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        for (int i = 0; i < n; ) {
            int at = (int) ((total + i) % CAPACITY);
            int chunk = Math.min(n - i, CAPACITY - at);
            System.arraycopy(buf, off + i, ring, at, chunk);
            i += chunk;
        }
        if (n > 0) total += n;
        return n;
    }

    @Override
    public int read() throws IOException {
        char[] one = new char[1];
        return read(one, 0, 1) < 0 ? -1 : one[0];
    }

    /** Characters passed on so far. */
    long total() {
        return total;
    }

    /** The text in [from, to), clipped to what was read; null when it is no longer kept. */
    String text(long from, long to) {
        to = Math.min(to, total);
        if (from < Math.max(0, total - CAPACITY) || from >= to) return from >= to ? "" : null;
        StringBuilder sb = new StringBuilder((int) (to - from));
        for (long i = from; i < to; i++) sb.append(ring[(int) (i % CAPACITY)]);
        return sb.toString();
    }

    /** Offset of the first '\n' at or after {@code from} among the characters read, or {@link #total()}. */
    long lineEnd(long from) {
        for (long i = Math.max(from, Math.max(0, total - CAPACITY)); i < total; i++) {
            if (ring[(int) (i % CAPACITY)] == '\n') return i;
        }
        return total;
    }
}
