package org.brandequity.model.drivers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.brandequity.model.Decay;
import org.brandequity.model.drivers.KeyDriverAnalysis.Driver;
import org.brandequity.model.drivers.KeyDriverAnalysis.Result;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    private static final Decay DECAY = new Decay(Duration.ofDays(90));
    private static final long DAY = Duration.ofDays(1).toMillis();

    @Test
    void theWeightOfAnObservationInAReplicateDependsOnlyOnItsIdAndTheReplicate() {
        assertEquals(Bootstrap.poissonWeight("answer-1", 7), Bootstrap.poissonWeight(new String("answer-1"), 7));
        int[] a = IntStream.range(0, 100).map(b -> Bootstrap.poissonWeight("answer-1", b)).toArray();
        int[] b = IntStream.range(0, 100).map(r -> Bootstrap.poissonWeight("answer-2", r)).toArray();
        assertTrue(!Arrays.equals(a, b));
    }

    @Test
    void theWeightsArePoissonWithMeanOne() {
        int draws = 200_000;
        long[] counts = new long[6];
        double sum = 0;
        double squares = 0;
        for (int n = 0; n < draws / 100; n++) {
            for (int b = 0; b < 100; b++) {
                int k = Bootstrap.poissonWeight("id" + n, b);
                sum += k;
                squares += (double) k * k;
                counts[Math.min(k, 5)]++;
            }
        }
        double mean = sum / draws;
        assertEquals(1.0, mean, 0.01);
        assertEquals(1.0, squares / draws - mean * mean, 0.02);
        // P(K = 0) = e^-1 = 0.3679, P(K = 1) = e^-1, P(K = 2) = e^-1 / 2.
        assertEquals(Math.exp(-1), counts[0] / (double) draws, 0.005);
        assertEquals(Math.exp(-1), counts[1] / (double) draws, 0.005);
        assertEquals(Math.exp(-1) / 2, counts[2] / (double) draws, 0.005);
    }

    @Test
    void retractingEveryObservationInAnotherOrderEmptiesEveryReplicate() {
        List<DriverObservation> observations = DriverStatisticsTest.random(200, 21);
        Bootstrap bootstrap = Bootstrap.empty(DECAY, 20);
        observations.forEach(o -> bootstrap.add(o, 1));
        List<DriverObservation> shuffled = new ArrayList<>(observations);
        Collections.shuffle(shuffled, new Random(22));
        double scale = Arrays.stream(bootstrap.toArray()).map(Math::abs).max().orElseThrow();
        shuffled.forEach(o -> bootstrap.add(o, -1));
        // Within 1e-12 of the sums' own size: each addition rounds at about 1e-16 of it.
        assertArrayEquals(new double[20 * DriverStatistics.LENGTH], bootstrap.toArray(), 1e-12 * scale);
    }

    @Test
    void aRestoredBootstrapFoldsOnExactlyLikeTheOriginal() {
        Bootstrap bootstrap = Bootstrap.empty(DECAY, 5);
        DriverStatisticsTest.random(30, 23).forEach(o -> bootstrap.add(o, 1));
        Bootstrap restored = Bootstrap.fromArray(DECAY, 5, bootstrap.asOf(), bootstrap.toArray());
        DriverObservation next = DriverStatisticsTest.random(1, 24).get(0);
        bootstrap.add(next, 1);
        restored.add(next, 1);
        assertArrayEquals(bootstrap.toArray(), restored.toArray(), 0);
        assertEquals(bootstrap.asOf(), restored.asOf());
    }

    @Test
    void aHundredReplicatesOfTheThirteenDriversTake572800Bytes() {
        assertEquals(572_800, Bootstrap.bytes(Bootstrap.DEFAULT_REPLICATES));
        assertEquals(Bootstrap.DEFAULT_REPLICATES * DriverStatistics.LENGTH,
                Bootstrap.empty(DECAY, Bootstrap.DEFAULT_REPLICATES).toArray().length);
    }

    /**
     * Eight drivers correlated through a common factor; DELIVERY (β 2.2), SUPPORT_CONTACT (1.7) and
     * CHECKOUT (1.3) are the top three by true relative weight, computed analytically from the
     * population covariance ({@link DriverModel#trueWeights()}).
     */
    private static final DriverModel RECOVERY = new DriverModel(
            new int[] {0, 3, 4, 6, 7, 8, 10, 12},
            new double[] {0.3, 0.4, 0.2, 0.4, 0.6, 0.3, 0.4, 0.3},
            new double[] {0.2, 0.2, 0.2, 1.3, 2.2, 0.3, 1.7, 0.1},
            7, 1.5, 0.8);

    @Test
    void onSimulatedDataTheTopThreeDriversAreFoundAndTheIntervalsCoverTheTrueWeightsInNinetyPercentOfCases() {
        double[] truth = RECOVERY.trueWeights();
        int[] order = rankDescending(truth);
        Set<Integer> trueTop = Arrays.stream(order).limit(3).map(k -> RECOVERY.drivers()[k]).boxed().collect(Collectors.toSet());
        assertEquals(Set.of(6, 7, 10), trueTop, "the model's own top three");
        System.out.printf("Recovery: true relative weights %s, R² %.4f%n", format(truth), Arrays.stream(truth).sum());
        int cases = 0;
        int covered = 0;
        for (long seed = 1; seed <= 3; seed++) {
            List<DriverObservation> observations = RECOVERY.sample(new Random(seed), 3_000, 180 * DAY, "r" + seed + "-");
            DriverStatistics statistics = DriverStatistics.empty(DECAY);
            Bootstrap bootstrap = Bootstrap.empty(DECAY, Bootstrap.DEFAULT_REPLICATES);
            for (DriverObservation o : observations) {
                statistics.add(o, 1);
                bootstrap.add(o, 1);
            }
            Result result = KeyDriverAnalysis.analyse(statistics, bootstrap, KeyDriverAnalysis.DEFAULT_MIN_OBSERVATIONS, new double[DriverSet.size()]);
            List<Integer> ranked = result.ranking().stream().limit(3).map(d -> DriverSet.indexOf(d.touchpoint())).toList();
            System.out.printf("seed %d: n %d, n_eff %.0f, R² %.4f, replicates %d, top three %s%n", seed, result.n(),
                    result.effectiveN(), result.rSquared(), result.replicates(),
                    result.ranking().stream().limit(3).map(d -> d.touchpoint().toString()).toList());
            assertEquals(trueTop, Set.copyOf(ranked), "seed " + seed);
            for (int k = 0; k < truth.length; k++) {
                Driver d = result.drivers().get(RECOVERY.drivers()[k]);
                boolean in = d.low() <= truth[k] && truth[k] <= d.high();
                cases++;
                if (in) covered++;
                System.out.printf("  %-15s true %.4f  estimate %.4f  [%.4f, %.4f] %s%n", d.touchpoint(), truth[k],
                        d.relativeWeight(), d.low(), d.high(), in ? "covered" : "MISSED");
            }
        }
        System.out.printf("Recovery coverage: %d of %d (%.1f %%)%n", covered, cases, 100.0 * covered / cases);
        assertTrue(covered >= 0.9 * cases, covered + " of " + cases + " covered");
    }

    private static int[] rankDescending(double[] values) {
        return IntStream.range(0, values.length).boxed()
                .sorted(Comparator.comparingDouble((Integer k) -> values[k]).reversed())
                .mapToInt(Integer::intValue).toArray();
    }

    private static String format(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format("%.4f", v)).collect(Collectors.joining(", ", "[", "]"));
    }
}
