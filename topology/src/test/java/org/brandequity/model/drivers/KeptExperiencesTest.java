package org.brandequity.model.drivers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeptExperiencesTest {
    record E(int driver, double x, double w, long time) {}

    private static List<E> events(KeptExperiences k) {
        List<E> out = new ArrayList<>();
        k.forEach((driver, x, w, t) -> out.add(new E(driver, x, w, t)));
        return out;
    }

    private static KeptExperiences appended(List<E> es) {
        KeptExperiences k = KeptExperiences.EMPTY;
        for (E e : es) k = k.append(e.driver(), e.x(), e.w(), e.time());
        return k;
    }

    private static KeptExperiences packed(List<E> es) {
        int n = es.size();
        int[] d = new int[n];
        double[] x = new double[n];
        double[] w = new double[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            d[i] = es.get(i).driver();
            x[i] = es.get(i).x();
            w[i] = es.get(i).w();
            t[i] = es.get(i).time();
        }
        return KeptExperiences.pack(n, d, x, w, t);
    }

    /** Compares doubles bit for bit (NaN and -0.0 included), which E's equals does not. */
    private static void assertSameEvents(List<E> expected, List<E> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            E a = expected.get(i);
            E b = actual.get(i);
            assertEquals(a.driver(), b.driver(), "driver of " + i);
            assertEquals(Double.doubleToRawLongBits(a.x()), Double.doubleToRawLongBits(b.x()), "x of " + i);
            assertEquals(Double.doubleToRawLongBits(a.w()), Double.doubleToRawLongBits(b.w()), "w of " + i);
            assertEquals(a.time(), b.time(), "time of " + i);
        }
    }

    private static List<E> random(Random r, int n) {
        List<E> es = new ArrayList<>();
        double[] weights = {0.4, 1.0, 1.2, 0.6};
        for (int i = 0; i < n; i++) {
            double x = switch (r.nextInt(4)) {
                case 0 -> r.nextDouble() * 2 - 1; // a sentiment: seen once
                case 1 -> 0.3; // a prior
                case 2 -> (r.nextInt(5) - 2) / 2.0; // a rating
                default -> r.nextInt(11) / 2.5 - 3;
            };
            es.add(new E(r.nextInt(DriverSet.size()), x, weights[r.nextInt(weights.length)],
                    1_764_000_000_000L + r.nextInt(7 * 86_400_000)));
        }
        return es;
    }

    @Test
    void everyEventComesBackBitForBitInArrivalOrder() {
        List<E> es = new ArrayList<>(random(new Random(1), 200));
        es.add(new E(0, Double.NaN, -0.0, Long.MIN_VALUE));
        es.add(new E(12, Double.MAX_VALUE, Double.MIN_VALUE, Long.MAX_VALUE));
        es.add(new E(3, -0.0, 0.0, 0));
        es.add(new E(4, 1e-300, 7.5, -1));
        assertSameEvents(es, events(appended(es)));
        assertSameEvents(es, events(KeptExperiences.of(appended(es).packed())));
        assertEquals(es.size(), appended(es).count());
    }

    @Test
    void appendingOneByOneGivesTheSameBytesAsPackingAllAtOnce() {
        List<E> es = random(new Random(2), 300);
        assertArrayEquals(packed(es).packed(), appended(es).packed());
    }

    @Test
    void valuesBeyondTheTablesRoomAreWrittenInlineAndComeBackWhole() {
        List<E> es = new ArrayList<>();
        for (int i = 0; i < 400; i++) es.add(new E(i % DriverSet.size(), i / 7.0, 1 + i / 3.0, i * 1000L));
        KeptExperiences k = appended(es);
        assertSameEvents(es, events(k));
        assertArrayEquals(packed(es).packed(), k.packed());
    }

    @Test
    void keepingFromATimeHandsOverTheOlderEventsInOrderAndKeepsTheRestWithASmallerTable() {
        List<E> es = random(new Random(3), 100);
        KeptExperiences k = appended(es);
        long before = es.get(50).time();
        List<E> settled = new ArrayList<>();
        KeptExperiences rest = k.keepFrom(before, (driver, x, w, t) -> settled.add(new E(driver, x, w, t)));
        assertSameEvents(es.stream().filter(e -> e.time() < before).toList(), settled);
        List<E> kept = es.stream().filter(e -> e.time() >= before).toList();
        assertSameEvents(kept, events(rest));
        assertArrayEquals(packed(kept).packed(), rest.packed(), "packed afresh: no value the settled events alone used");
        assertSame(rest, rest.keepFrom(before, (driver, x, w, t) -> settled.add(null)), "nothing older: the same list");
    }

    /**
     * The ledger's size is paid on every event (docs/benchmark.md). A customer's weights are few
     * (touchpoint weight times stage weight) and many experiences repeat; 20 events minutes apart
     * with four weights, and experiences drawn as the simulator draws them, take well under the
     * 25 bytes each of doubles and a long.
     */
    @Test
    void aCustomersEventsMinutesApartTakeAFewBytesEach() {
        Random r = new Random(4);
        List<E> es = new ArrayList<>();
        long t = 1_764_000_000_000L;
        for (int i = 0; i < 20; i++) {
            t += 60_000 + r.nextInt(300_000);
            E e = random(r, 1).get(0);
            es.add(new E(e.driver(), e.x(), e.w(), t));
        }
        int bytes = appended(es).packed().length;
        assertTrue(bytes <= 20 * 13, bytes + " bytes for 20 events, the header's 19 included");
    }

    @Test
    void aByteStringTooShortForItsTableIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> KeptExperiences.of(new byte[] {0, 1, 2, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> KeptExperiences.of(new byte[] {0, 1}));
        assertSame(KeptExperiences.EMPTY, KeptExperiences.of(new byte[0]));
    }
}
