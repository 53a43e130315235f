package org.brandequity.model.drivers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.brandequity.model.Decay;
import org.junit.jupiter.api.Test;

class DriverStatisticsTest {
    static final Decay DECAY = new Decay(Duration.ofDays(90));
    static final long DAY = Duration.ofDays(1).toMillis();

    /** Observations with every driver present with probability 0.7, at times over 200 days. */
    static List<DriverObservation> random(int count, long seed) {
        Random random = new Random(seed);
        List<DriverObservation> out = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            double[] x = new double[DriverSet.size()];
            for (int i = 0; i < x.length; i++) x[i] = random.nextDouble() < 0.7 ? 2 * random.nextDouble() - 1 : Double.NaN;
            out.add(new DriverObservation("o" + seed + "-" + n, random.nextLong(200 * DAY), random.nextInt(11), x));
        }
        return out;
    }

    @Test
    void foldingInAnyOrderGivesTheSameSums() {
        List<DriverObservation> observations = random(500, 1);
        DriverStatistics inOrder = DriverStatistics.empty(DECAY);
        observations.forEach(o -> inOrder.add(o, 1));
        List<DriverObservation> shuffled = new ArrayList<>(observations);
        Collections.shuffle(shuffled, new Random(2));
        DriverStatistics outOfOrder = DriverStatistics.empty(DECAY);
        shuffled.forEach(o -> outOfOrder.add(o, 1));
        assertEquals(inOrder.asOf(), outOfOrder.asOf());
        assertArrayEquals(inOrder.toArray(), outOfOrder.toArray(), 1e-9);
    }

    @Test
    void addingThenRetractingEveryObservationReturnsToTheEmptyStatistics() {
        List<DriverObservation> observations = random(500, 3);
        DriverStatistics statistics = DriverStatistics.empty(DECAY);
        observations.forEach(o -> statistics.add(o, 1));
        List<DriverObservation> shuffled = new ArrayList<>(observations);
        Collections.shuffle(shuffled, new Random(4));
        double scale = java.util.Arrays.stream(statistics.toArray()).map(Math::abs).max().orElseThrow();
        shuffled.forEach(o -> statistics.add(o, -1));
        // Within 1e-12 of the sums' own size: each addition rounds at about 1e-16 of it.
        assertArrayEquals(new double[DriverStatistics.LENGTH], statistics.toArray(), 1e-12 * scale);
    }

    @Test
    void aLaterObservationRevaluesTheSumsAsIfEveryObservationHadBeenAddedAtTheNewestTime() {
        double[] x = new double[DriverSet.size()];
        java.util.Arrays.fill(x, Double.NaN);
        x[0] = 1;
        DriverStatistics statistics = DriverStatistics.empty(DECAY);
        statistics.add(new DriverObservation("early", 0, 10, x), 1);
        statistics.add(new DriverObservation("late", 90 * DAY, 10, x), 1);
        // Σv at the newest time: 1 (the late one) + 2^(-90/90) (the early one, one half-life older).
        assertEquals(1.5, statistics.driverSums(0)[0], 1e-15);
        assertEquals(2, statistics.count(0));
    }

    @Test
    void theArrayHoldsSevenHundredAndSixteenDoublesAndRestoresTheStatistics() {
        DriverStatistics statistics = DriverStatistics.empty(DECAY);
        random(50, 5).forEach(o -> statistics.add(o, 1));
        assertEquals(716, DriverStatistics.LENGTH);
        assertEquals(5_728, DriverStatistics.BYTES);
        DriverStatistics restored = DriverStatistics.fromArray(DECAY, statistics.asOf(), statistics.toArray());
        DriverObservation next = random(1, 6).get(0);
        statistics.add(next, 1);
        restored.add(next, 1);
        assertArrayEquals(statistics.toArray(), restored.toArray(), 0);
    }

    @Test
    void anArrayOfTheWrongLengthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DriverStatistics.fromArray(DECAY, 0, new double[715]));
    }

    @Test
    void everyPairHasItsOwnSlotInRowOrder() {
        int expected = 1 + DriverStatistics.DRIVER_FIELDS * DriverSet.size();
        for (int i = 0; i < DriverSet.size(); i++) {
            for (int j = i + 1; j < DriverSet.size(); j++) {
                assertEquals(expected, DriverStatistics.pairOffset(i, j), i + "," + j);
                expected += DriverStatistics.PAIR_FIELDS;
            }
        }
        assertEquals(DriverStatistics.LENGTH, expected);
    }
}
