package org.brandequity.model.drivers;

import static org.brandequity.model.drivers.Packing.readLong;
import static org.brandequity.model.drivers.Packing.readShort;
import static org.brandequity.model.drivers.Packing.readVarint;
import static org.brandequity.model.drivers.Packing.unzigzag;
import static org.brandequity.model.drivers.Packing.varintSize;
import static org.brandequity.model.drivers.Packing.writeLong;
import static org.brandequity.model.drivers.Packing.writeShort;
import static org.brandequity.model.drivers.Packing.writeVarint;
import static org.brandequity.model.drivers.Packing.zigzag;

import java.util.Arrays;

/**
 * The driver events a customer's key-driver state keeps one by one ({@link CustomerDrivers}), packed
 * into one byte string: the customer's ledger, read and written on every event, carries it as it
 * is, so its size is paid on every event (docs/benchmark.md). Immutable: appending or settling makes
 * a new one, so the bytes can be shared with the record they were read from or written to.
 *
 * <p>Layout (big-endian):
 * <pre>
 *   count    2 bytes   the number of events
 *   size     1 byte    the number of values in the table (0–255)
 *   oldest   8 bytes   the oldest event time ({@link Long#MAX_VALUE} when none)
 *   last     8 bytes   the time of the event last appended (0 when none)
 *   table    size &times; 8 bytes: distinct IEEE 754 doubles, in the order first used
 *   events   count &times;, in arrival order:
 *            driver (1 byte), index of x (1 byte), index of w (1 byte),
 *            [x, 8 bytes, when its index is 255] [w, 8 bytes, when its index is 255],
 *            event time minus the previous event's (the first: minus 0), zigzag varint (1–10 bytes)
 * </pre>
 * Why a table: a customer's weights are few (w = touchpoint weight &times; stage weight) and many
 * experiences repeat (a touchpoint's prior, the score of an answer), so an event costs 3 bytes and
 * its time difference (about 3 for minutes apart) instead of 25. A value seen once costs one byte
 * more than inline; a value arriving when the table is full is written inline (index 255). The
 * values are the doubles given, bit for bit: nothing is rounded.
 *
 * <p>Hand-written: no library here packs doubles with a value table; the varint is Protocol
 * Buffers' zigzag encoding ({@link Packing}), written out because the model takes no serialization
 * dependency.
 */
public final class KeptExperiences {
    /** The most events one can hold (the 2-byte count). */
    public static final int MAX_COUNT = 0xFFFF;
    static final int MAX_TABLE = 255;
    private static final int INLINE = 255;
    /** Count, table size, oldest and last time: settling and appending, on every driver event, read these and no event. */
    private static final int HEADER = 2 + 1 + 8 + 8;

    /** No event. */
    public static final KeptExperiences EMPTY = pack(0, new int[0], new double[0], new double[0], new long[0]);

    /** What {@link #forEach} hands over for each event. */
    @FunctionalInterface
    public interface Visitor {
        void accept(int driver, double x, double w, long time);
    }

    private final byte[] packed;

    private KeptExperiences(byte[] packed) {
        this.packed = packed;
    }

    /**
     * The events {@code packed} holds, as {@link #packed()} gave them; not copied, never changed.
     * An empty array is {@link #EMPTY}. Checks the header only; a malformed body fails when read.
     */
    public static KeptExperiences of(byte[] packed) {
        if (packed.length == 0) return EMPTY;
        if (packed.length < HEADER || packed.length < HEADER + 8 * (packed[2] & 0xFF)) {
            throw new IllegalArgumentException("not a packed list of kept events: " + packed.length + " bytes");
        }
        return new KeptExperiences(packed);
    }

    /** The packed bytes: shared, not to be changed. */
    public byte[] packed() {
        return packed;
    }

    public int count() {
        return readShort(packed, 0);
    }

    public boolean isEmpty() {
        return count() == 0;
    }

    private int tableSize() {
        return packed[2] & 0xFF;
    }

    private double table(int i) {
        return Double.longBitsToDouble(readLong(packed, HEADER + 8 * i));
    }

    /** Every event, in arrival order. */
    public void forEach(Visitor visitor) {
        int n = count();
        int at = HEADER + 8 * tableSize();
        int[] cursor = new int[1];
        long time = 0;
        for (int i = 0; i < n; i++) {
            int driver = packed[at] & 0xFF;
            int xi = packed[at + 1] & 0xFF;
            int wi = packed[at + 2] & 0xFF;
            at += 3;
            double x;
            if (xi == INLINE) {
                x = Double.longBitsToDouble(readLong(packed, at));
                at += 8;
            } else {
                x = table(xi);
            }
            double w;
            if (wi == INLINE) {
                w = Double.longBitsToDouble(readLong(packed, at));
                at += 8;
            } else {
                w = table(wi);
            }
            cursor[0] = at;
            time += unzigzag(readVarint(packed, cursor));
            at = cursor[0];
            visitor.accept(driver, x, w, time);
        }
    }

    /** The oldest event time, or {@link Long#MAX_VALUE} when there is none. */
    public long oldest() {
        return readLong(packed, 3);
    }

    private long last() {
        return readLong(packed, 11);
    }

    /** These events and one more, last. */
    public KeptExperiences append(int driver, double x, double w, long time) {
        if (driver < 0 || driver >= INLINE) throw new IllegalArgumentException("driver index " + driver);
        if (count() == MAX_COUNT) throw new IllegalStateException("at most " + MAX_COUNT + " kept events");
        long last = last();
        int size = tableSize();
        int xi = indexOf(x, size);
        int wi = indexOf(w, size);
        double[] added = new double[2];
        int adding = 0;
        if (xi < 0 && size < MAX_TABLE) {
            added[adding++] = x;
            xi = size++;
        }
        if (wi < 0 && xi >= 0 && Double.doubleToRawLongBits(w) == Double.doubleToRawLongBits(x)) {
            wi = xi; // x and w the same new value: one entry
        } else if (wi < 0 && size < MAX_TABLE) {
            added[adding++] = w;
            wi = size++;
        }
        int tableEnd = HEADER + 8 * tableSize();
        int eventBytes = 3 + (xi < 0 ? 8 : 0) + (wi < 0 ? 8 : 0) + varintSize(zigzag(time - last));
        byte[] out = new byte[packed.length + 8 * adding + eventBytes];
        System.arraycopy(packed, 0, out, 0, tableEnd);
        int at = tableEnd;
        for (int i = 0; i < adding; i++, at += 8) writeLong(out, at, Double.doubleToRawLongBits(added[i]));
        System.arraycopy(packed, tableEnd, out, at, packed.length - tableEnd);
        at += packed.length - tableEnd;
        int n = count() + 1;
        writeShort(out, 0, n);
        out[2] = (byte) size;
        writeLong(out, 3, Math.min(oldest(), time));
        writeLong(out, 11, time);
        out[at++] = (byte) driver;
        out[at++] = (byte) (xi < 0 ? INLINE : xi);
        out[at++] = (byte) (wi < 0 ? INLINE : wi);
        if (xi < 0) {
            writeLong(out, at, Double.doubleToRawLongBits(x));
            at += 8;
        }
        if (wi < 0) {
            writeLong(out, at, Double.doubleToRawLongBits(w));
            at += 8;
        }
        writeVarint(out, at, zigzag(time - last));
        return new KeptExperiences(out);
    }

    /**
     * The events at or after {@code before}, in the same order, with a table of only the values they
     * use; each event before it is handed to {@code settled} first. This when nothing is before it.
     */
    public KeptExperiences keepFrom(long before, Visitor settled) {
        if (oldest() >= before) return this;
        int n = count();
        int[] drivers = new int[n];
        double[] xs = new double[n];
        double[] ws = new double[n];
        long[] times = new long[n];
        int[] kept = {0};
        forEach((driver, x, w, t) -> {
            if (t < before) {
                settled.accept(driver, x, w, t);
                return;
            }
            int i = kept[0]++;
            drivers[i] = driver;
            xs[i] = x;
            ws[i] = w;
            times[i] = t;
        });
        return pack(kept[0], drivers, xs, ws, times);
    }

    /** The first {@code n} of these events, packed. */
    static KeptExperiences pack(int n, int[] drivers, double[] xs, double[] ws, long[] times) {
        if (n > MAX_COUNT) throw new IllegalStateException("at most " + MAX_COUNT + " kept events");
        long[] table = new long[MAX_TABLE];
        int size = 0;
        int[] xi = new int[n];
        int[] wi = new int[n];
        int bytes = HEADER;
        long last = 0;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (drivers[i] < 0 || drivers[i] >= INLINE) throw new IllegalArgumentException("driver index " + drivers[i]);
            xi[i] = find(table, size, Double.doubleToRawLongBits(xs[i]));
            if (xi[i] < 0 && size < MAX_TABLE) {
                table[size] = Double.doubleToRawLongBits(xs[i]);
                xi[i] = size++;
            }
            wi[i] = find(table, size, Double.doubleToRawLongBits(ws[i]));
            if (wi[i] < 0 && size < MAX_TABLE) {
                table[size] = Double.doubleToRawLongBits(ws[i]);
                wi[i] = size++;
            }
            bytes += 3 + (xi[i] < 0 ? 8 : 0) + (wi[i] < 0 ? 8 : 0) + varintSize(zigzag(times[i] - last));
            last = times[i];
            oldest = Math.min(oldest, times[i]);
        }
        byte[] out = new byte[bytes + 8 * size];
        writeShort(out, 0, n);
        out[2] = (byte) size;
        writeLong(out, 3, oldest);
        writeLong(out, 11, last);
        int at = HEADER;
        for (int i = 0; i < size; i++, at += 8) writeLong(out, at, table[i]);
        last = 0;
        for (int i = 0; i < n; i++) {
            out[at++] = (byte) drivers[i];
            out[at++] = (byte) (xi[i] < 0 ? INLINE : xi[i]);
            out[at++] = (byte) (wi[i] < 0 ? INLINE : wi[i]);
            if (xi[i] < 0) {
                writeLong(out, at, Double.doubleToRawLongBits(xs[i]));
                at += 8;
            }
            if (wi[i] < 0) {
                writeLong(out, at, Double.doubleToRawLongBits(ws[i]));
                at += 8;
            }
            at = writeVarint(out, at, zigzag(times[i] - last));
            last = times[i];
        }
        return new KeptExperiences(out);
    }

    private static int find(long[] table, int size, long bits) {
        for (int i = 0; i < size; i++) if (table[i] == bits) return i;
        return -1;
    }

    private int indexOf(double v, int size) {
        long bits = Double.doubleToRawLongBits(v);
        for (int i = 0; i < size; i++) if (readLong(packed, HEADER + 8 * i) == bits) return i;
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeptExperiences k && Arrays.equals(packed, k.packed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(packed);
    }
}
