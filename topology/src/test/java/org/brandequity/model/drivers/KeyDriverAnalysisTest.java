package org.brandequity.model.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.brandequity.model.Decay;
import org.brandequity.model.drivers.KeyDriverAnalysis.Driver;
import org.brandequity.model.drivers.KeyDriverAnalysis.Result;
import org.brandequity.model.drivers.KeyDriverAnalysis.Status;
import org.junit.jupiter.api.Test;

class KeyDriverAnalysisTest {
    private static final double EXACT = 1e-9;
    private static final Duration HALF_LIFE = Duration.ofDays(90);
    private static final Decay DECAY = new Decay(HALF_LIFE);
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final double[] CONFIGURED = new double[DriverSet.size()];

    static {
        Arrays.fill(CONFIGURED, 1.0);
    }

    /** Five drivers (WEBSITE_VISIT, CHECKOUT, DELIVERY, PRODUCT_USAGE, SUPPORT_CONTACT) with a common factor. */
    private static final DriverModel MODEL = new DriverModel(
            new int[] {3, 6, 7, 8, 10},
            new double[] {0.5, 0.3, 0.6, 0.2, 0.4},
            new double[] {0.8, 0.4, 2.0, 0.3, 1.2},
            7, 1.5, 0.75);

    private static int[] in(Result result) {
        return result.drivers().stream().filter(d -> d.status() == Status.IN)
                .mapToInt(d -> DriverSet.indexOf(d.touchpoint())).toArray();
    }

    private static DriverStatistics fold(List<DriverObservation> observations) {
        DriverStatistics statistics = DriverStatistics.empty(DECAY);
        observations.forEach(o -> statistics.add(o, 1));
        return statistics;
    }

    private static void assertEqualToBatch(Result result, BatchKeyDrivers.Answer batch, int[] in) {
        assertEquals(batch.rSquared(), result.rSquared(), EXACT, "R²");
        assertEquals(batch.effectiveN(), result.effectiveN(), 1e-9 * batch.effectiveN(), "n_eff");
        for (int a = 0; a < in.length; a++) {
            Driver d = result.drivers().get(in[a]);
            String name = d.touchpoint().toString();
            assertEquals(batch.epsilon()[a], d.relativeWeight(), EXACT, name + " relative weight");
            assertEquals(batch.standardized()[a], d.standardizedCoefficient(), EXACT, name + " standardized coefficient");
            assertEquals(batch.coefficient()[a], d.coefficient(), EXACT, name + " coefficient");
            assertEquals(batch.pValue()[a], d.pValue(), EXACT, name + " p-value");
        }
    }

    @Test
    void decayedPairwiseCompleteAnalysisOfLateShuffledAndCorrectedObservationsEqualsTheBatchComputation() {
        Random random = new Random(11);
        List<DriverObservation> net = MODEL.sample(random, 600, 365 * DAY, "a");
        // Forty answers were first counted with an experience a late event then changed: the old
        // version is added and later retracted, the corrected one (same id) is in the net list.
        List<DriverObservation> stale = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            DriverObservation o = net.get(n * 15);
            double[] x = o.predictors();
            for (int i = 0; i < x.length; i++) if (!Double.isNaN(x[i])) x[i] = Math.max(-1, Math.min(1, x[i] + 0.3 * random.nextGaussian()));
            stale.add(new DriverObservation(o.id(), o.time(), o.outcome(), x));
        }
        List<Runnable> operations = new ArrayList<>();
        DriverStatistics statistics = DriverStatistics.empty(DECAY);
        net.forEach(o -> operations.add(() -> statistics.add(o, 1)));
        stale.forEach(o -> operations.add(() -> statistics.add(o, 1)));
        Collections.shuffle(operations, random);
        stale.forEach(o -> operations.add(() -> statistics.add(o, -1)));
        operations.forEach(Runnable::run);

        Result result = KeyDriverAnalysis.analyse(statistics, null, 30, CONFIGURED);

        int[] in = in(result);
        assertTrue(result.enoughData());
        assertEquals(MODEL.drivers().length, in.length);
        long asOf = net.stream().mapToLong(DriverObservation::time).max().orElseThrow();
        double[] weights = net.stream().mapToDouble(o -> DECAY.factor(o.time(), asOf)).toArray();
        double[] sdX = new double[in.length];
        double[] sdY = new double[in.length];
        for (int a = 0; a < in.length; a++) {
            sdX[a] = BatchKeyDrivers.sd(net, weights, in[a], false);
            sdY[a] = BatchKeyDrivers.sd(net, weights, in[a], true);
        }
        BatchKeyDrivers.Answer batch = BatchKeyDrivers.analyse(BatchKeyDrivers.correlations(net, weights, in), sdX, sdY,
                BatchKeyDrivers.effectiveN(net, weights, in));
        assertEqualToBatch(result, batch, in);
        assertEquals(Arrays.stream(batch.epsilon()).sum(), result.rSquared(), EXACT, "the weights sum to R²");
    }

    @Test
    void equallyWeightedCompleteDataGivesCommonsMathsPearsonCorrelations() {
        DriverModel complete = new DriverModel(MODEL.drivers(), MODEL.load(), MODEL.beta(), 7, 1.5, 1.0);
        List<DriverObservation> observations = new ArrayList<>();
        for (DriverObservation o : complete.sample(new Random(12), 300, 1, "e")) {
            observations.add(new DriverObservation(o.id(), 5 * DAY, o.outcome(), o.predictors()));
        }
        Result result = KeyDriverAnalysis.analyse(fold(observations), null, 30, CONFIGURED);

        int[] in = complete.drivers();
        double[][] columns = new double[observations.size()][in.length + 1];
        for (int n = 0; n < observations.size(); n++) {
            for (int a = 0; a < in.length; a++) columns[n][a] = observations.get(n).predictor(in[a]);
            columns[n][in.length] = observations.get(n).outcome();
        }
        double[][] r = new PearsonsCorrelation(columns).getCorrelationMatrix().getData();
        double[] sdX = new double[in.length];
        double[] sdY = new double[in.length];
        double[] ones = new double[observations.size()];
        Arrays.fill(ones, 1);
        for (int a = 0; a < in.length; a++) {
            sdX[a] = BatchKeyDrivers.sd(observations, ones, in[a], false);
            sdY[a] = BatchKeyDrivers.sd(observations, ones, in[a], true);
            assertEquals(r[a][in.length], result.drivers().get(in[a]).correlation(), EXACT, "r_iy of " + in[a]);
        }
        assertEqualToBatch(result, BatchKeyDrivers.analyse(r, sdX, sdY, observations.size()), in);
    }

    /** {@code count} observations with drivers 0, 1 and 2 present, all at one time. */
    private static List<DriverObservation> threeDrivers(int count, long seed) {
        DriverModel model = new DriverModel(new int[] {0, 1, 2}, new double[] {0.4, 0.4, 0.4}, new double[] {1, 1, 1}, 7, 1, 1.0);
        return model.sample(new Random(seed), count, 1, "t" + seed + "-");
    }

    @Test
    void aSegmentWithFewerThanThirtyObservationsPerDriverPairReportsNotEnoughData() {
        Result result = KeyDriverAnalysis.analyse(fold(threeDrivers(29, 13)), null, 30, CONFIGURED);
        assertFalse(result.enoughData());
        assertTrue(Double.isNaN(result.rSquared()));
        assertTrue(result.drivers().stream().allMatch(d -> d.status() != Status.IN && d.relativeWeight() == 0));
    }

    @Test
    void aSegmentWithThirtyObservationsPerDriverPairIsAnalysed() {
        Result result = KeyDriverAnalysis.analyse(fold(threeDrivers(30, 13)), null, 30, CONFIGURED);
        assertTrue(result.enoughData());
        assertEquals(3, in(result).length);
    }

    @Test
    void aDriverSeenTogetherWithAnotherInFewerThanThirtyObservationsIsLeftOut() {
        List<DriverObservation> observations = new ArrayList<>(threeDrivers(100, 14));
        // Driver 3 in 50 observations, of which only 20 also have driver 0.
        Random random = new Random(15);
        for (int n = 0; n < 50; n++) {
            DriverObservation o = observations.get(n);
            double[] x = o.predictors();
            x[3] = 2 * random.nextDouble() - 1;
            if (n >= 20) x[0] = Double.NaN;
            observations.set(n, new DriverObservation(o.id(), o.time(), o.outcome(), x));
        }
        Result result = KeyDriverAnalysis.analyse(fold(observations), null, 30, CONFIGURED);
        assertTrue(result.enoughData());
        assertEquals(Status.TOO_FEW_OBSERVATIONS, result.drivers().get(3).status());
        assertEquals(50, result.drivers().get(3).n());
        assertEquals(List.of(0, 1, 2), Arrays.stream(in(result)).boxed().toList());
    }

    @Test
    void ofTwoCollinearDriversTheOneWithFewerObservationsIsLeftOutAsCollinear() {
        List<DriverObservation> observations = new ArrayList<>();
        for (DriverObservation o : threeDrivers(100, 16)) {
            double[] x = o.predictors();
            x[4] = x[0];
            observations.add(new DriverObservation(o.id(), o.time(), o.outcome(), x));
        }
        Result result = KeyDriverAnalysis.analyse(fold(observations), null, 30, CONFIGURED);
        assertEquals(Status.IN, result.drivers().get(0).status());
        assertEquals(Status.COLLINEAR, result.drivers().get(4).status());
        assertEquals(List.of(0, 1, 2), Arrays.stream(in(result)).boxed().toList());
    }

    @Test
    void anInsignificantDriverRanksAsZeroBelowEverySignificantOne() {
        // Driver 5 is noise, unrelated to y and to the others.
        List<DriverObservation> observations = new ArrayList<>();
        Random random = new Random(17);
        for (DriverObservation o : threeDrivers(200, 18)) {
            double[] x = o.predictors();
            x[5] = 2 * random.nextDouble() - 1;
            observations.add(new DriverObservation(o.id(), o.time(), o.outcome(), x));
        }
        Result result = KeyDriverAnalysis.analyse(fold(observations), null, 30, CONFIGURED);
        Driver noise = result.drivers().get(5);
        assertEquals(Status.IN, noise.status());
        assertFalse(noise.significant(), noise.toString());
        assertTrue(noise.relativeWeight() > 0);
        assertEquals(0.0, noise.rankingWeight());
        List<Driver> ranking = result.ranking();
        assertEquals(List.of(true, true, true), ranking.subList(0, 3).stream().map(Driver::significant).toList());
        List<Driver> zeros = ranking.stream().filter(d -> d.rankingWeight() == 0).toList();
        for (int i = 1; i < zeros.size(); i++) {
            assertTrue(zeros.get(i - 1).relativeWeight() >= zeros.get(i).relativeWeight(), "shown as zero, still by relative weight: " + zeros);
        }
    }

    @Test
    void suggestedWeightsShareTheConfiguredWeightsOfTheDriversInAsTheyShareRSquared() {
        double[] configured = CONFIGURED.clone();
        configured[0] = 1.5;
        configured[1] = 0.5;
        configured[2] = 2.0;
        configured[7] = 9.0;
        Result result = KeyDriverAnalysis.analyse(fold(threeDrivers(200, 19)), null, 30, configured);
        double total = 0;
        Map<Integer, Double> suggested = new HashMap<>();
        for (int i : in(result)) {
            Driver d = result.drivers().get(i);
            total += d.suggestedWeight();
            suggested.put(i, d.suggestedWeight());
            assertEquals(d.share() * 4.0, d.suggestedWeight(), EXACT);
        }
        assertEquals(4.0, total, EXACT);
        assertEquals(3, suggested.size());
        assertTrue(Double.isNaN(result.drivers().get(7).suggestedWeight()));
    }
}
