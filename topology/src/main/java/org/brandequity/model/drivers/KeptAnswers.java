package org.brandequity.model.drivers;

import static org.brandequity.model.drivers.Packing.readLong;
import static org.brandequity.model.drivers.Packing.readShort;
import static org.brandequity.model.drivers.Packing.readVarint;
import static org.brandequity.model.drivers.Packing.varintSize;
import static org.brandequity.model.drivers.Packing.writeLong;
import static org.brandequity.model.drivers.Packing.writeShort;
import static org.brandequity.model.drivers.Packing.writeVarint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The answers a customer's key-driver state keeps ({@link CustomerDrivers.Answer}), packed into one
 * byte string, as {@link KeptExperiences} packs the events: the ledger carries it on every event as
 * it is, and an on-time driver event, the common case, needs only the answers' times (is any answer
 * after it? is any old enough to forget?), which are read without decoding the rest. Immutable.
 *
 * <p>Layout (big-endian): the number of answers (2 bytes), then each answer: its time (8 bytes),
 * outcome (1 byte), the bit set of drivers with a predictor (2 bytes), those predictors in
 * {@link DriverSet} order (8 bytes each, IEEE 754, bit for bit), then its id and its segment, each as
 * a length (varint) and UTF-8 bytes.
 *
 * <p>Hand-written: no library here packs these; Avro records would cost an object per answer and per
 * predictor on every ledger read.
 */
public final class KeptAnswers {
    /** The most answers one can hold (the 2-byte count). */
    public static final int MAX_COUNT = 0xFFFF;

    /** No answer. */
    public static final KeptAnswers EMPTY = new KeptAnswers(new byte[] {0, 0});

    private final byte[] packed;

    private KeptAnswers(byte[] packed) {
        this.packed = packed;
    }

    /** The answers {@code packed} holds, as {@link #packed()} gave them; not copied, never changed. Empty: {@link #EMPTY}. */
    public static KeptAnswers of(byte[] packed) {
        if (packed.length == 0) return EMPTY;
        if (packed.length < 2) throw new IllegalArgumentException("not a packed list of answers: " + packed.length + " bytes");
        return new KeptAnswers(packed);
    }

    /** These answers, packed. */
    public static KeptAnswers of(List<CustomerDrivers.Answer> answers) {
        if (answers.size() > MAX_COUNT) throw new IllegalStateException("at most " + MAX_COUNT + " kept answers");
        byte[][] encoded = new byte[answers.size()][];
        int bytes = 2;
        for (int i = 0; i < encoded.length; i++) bytes += (encoded[i] = encode(answers.get(i))).length;
        byte[] out = new byte[bytes];
        writeShort(out, 0, encoded.length);
        int at = 2;
        for (byte[] e : encoded) {
            System.arraycopy(e, 0, out, at, e.length);
            at += e.length;
        }
        return new KeptAnswers(out);
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

    /** These answers and one more, last. */
    public KeptAnswers append(CustomerDrivers.Answer a) {
        if (count() == MAX_COUNT) throw new IllegalStateException("at most " + MAX_COUNT + " kept answers");
        byte[] e = encode(a);
        byte[] out = Arrays.copyOf(packed, packed.length + e.length);
        System.arraycopy(e, 0, out, packed.length, e.length);
        int n = count() + 1;
        writeShort(out, 0, n);
        return new KeptAnswers(out);
    }

    /** Whether any answer is later than {@code time}, from the times alone. */
    public boolean anyAfter(long time) {
        int at = 2;
        for (int i = 0, n = count(); i < n; i++) {
            if (readLong(packed, at) > time) return true;
            at = next(at);
        }
        return false;
    }

    /** The oldest answer's time, or {@link Long#MAX_VALUE} when there is none. */
    public long oldest() {
        long min = Long.MAX_VALUE;
        int at = 2;
        for (int i = 0, n = count(); i < n; i++) {
            min = Math.min(min, readLong(packed, at));
            at = next(at);
        }
        return min;
    }

    /** The answers later than {@code time}, in the same order (their bytes copied, not decoded); this when none is at or before it. */
    public KeptAnswers laterThan(long time) {
        int n = count();
        int[] starts = new int[n + 1];
        int at = 2;
        boolean any = false;
        for (int i = 0; i < n; i++) {
            starts[i] = at;
            any |= readLong(packed, at) <= time;
            at = next(at);
        }
        starts[n] = at;
        if (!any) return this;
        byte[] out = new byte[packed.length];
        int to = 2;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (readLong(packed, starts[i]) <= time) continue;
            System.arraycopy(packed, starts[i], out, to, starts[i + 1] - starts[i]);
            to += starts[i + 1] - starts[i];
            kept++;
        }
        writeShort(out, 0, kept);
        return new KeptAnswers(Arrays.copyOf(out, to));
    }

    /** Every answer, decoded, in order. */
    public List<CustomerDrivers.Answer> all() {
        int n = count();
        List<CustomerDrivers.Answer> out = new ArrayList<>(n + 1);
        int at = 2;
        for (int i = 0; i < n; i++) {
            long time = readLong(packed, at);
            int outcome = packed[at + 8] & 0xFF;
            int met = readShort(packed, at + 9);
            at += 11;
            double[] p = new double[DriverSet.size()];
            for (int k = 0; k < p.length; k++) {
                if ((met & 1 << k) == 0) {
                    p[k] = Double.NaN;
                } else {
                    p[k] = Double.longBitsToDouble(readLong(packed, at));
                    at += 8;
                }
            }
            int[] cursor = {at};
            String id = readString(cursor);
            String segment = readString(cursor);
            at = cursor[0];
            out.add(new CustomerDrivers.Answer(id, time, outcome, segment, p));
        }
        return out;
    }

    /** Where the answer starting at {@code at} ends. */
    private int next(int at) {
        int met = readShort(packed, at + 9);
        at += 11 + 8 * Integer.bitCount(met);
        int[] cursor = {at};
        for (int s = 0; s < 2; s++) { // the id, then the segment: a length, then as many bytes
            int length = (int) readVarint(packed, cursor);
            cursor[0] += length;
        }
        return cursor[0];
    }

    private String readString(int[] cursor) {
        int length = (int) readVarint(packed, cursor);
        cursor[0] += length;
        return new String(packed, cursor[0] - length, length, StandardCharsets.UTF_8);
    }

    private static byte[] encode(CustomerDrivers.Answer a) {
        if (a.outcome() < 0 || a.outcome() > 255) throw new IllegalArgumentException("outcome " + a.outcome());
        double[] p = a.predictors();
        int met = 0;
        for (int k = 0; k < p.length; k++) if (!Double.isNaN(p[k])) met |= 1 << k;
        byte[] id = a.id().getBytes(StandardCharsets.UTF_8);
        byte[] segment = a.segment().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[11 + 8 * Integer.bitCount(met) + varintSize(id.length) + id.length + varintSize(segment.length) + segment.length];
        writeLong(out, 0, a.time());
        out[8] = (byte) a.outcome();
        writeShort(out, 9, met);
        int at = 11;
        for (int k = 0; k < p.length; k++) {
            if ((met & 1 << k) == 0) continue;
            writeLong(out, at, Double.doubleToRawLongBits(p[k]));
            at += 8;
        }
        at = writeBytes(out, at, id);
        writeBytes(out, at, segment);
        return out;
    }

    private static int writeBytes(byte[] out, int at, byte[] bytes) {
        at = writeVarint(out, at, bytes.length);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeptAnswers k && Arrays.equals(packed, k.packed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(packed);
    }
}
