package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.DropDetector.Alert;
import org.brandequity.model.DropDetector.Contributor;
import org.brandequity.model.DropDetector.Observation;
import org.brandequity.model.DropDetector.Reason;
import org.brandequity.model.DropDetector.State;
import org.junit.jupiter.api.Test;

/** The detector's rules, window by window, with the shipped defaults unless a test says otherwise. */
class ScoreDropDetectorTest {
    private static final long W = 600_000L;

    /** Feeds windows one after another and keeps every alert sent. */
    private static final class Run {
        final DropDetector detector;
        State state = State.EMPTY;
        long window;
        final List<Alert> alerts = new ArrayList<>();

        Run(Map<String, String> overrides) {
            this(overrides, Double.NaN);
        }

        Run(Map<String, String> overrides, double floor) {
            detector = new DropDetector(PipelineConfig.defaults().with(overrides).alerts(), floor);
        }

        Run window(double value, double se, long n) {
            return window(value, se, n, Map.of());
        }

        Run window(double value, double se, long n, Map<String, Double> parts) {
            DropDetector.Step step = detector.evaluate(state, new Observation(window * W, (window + 1) * W, value, se, n, parts));
            window++;
            state = step.state();
            step.alert().ifPresent(alerts::add);
            return this;
        }

        Run repeat(int times, double value, double se, long n) {
            for (int i = 0; i < times; i++) window(value, se, n);
            return this;
        }

        long firing() {
            return alerts.stream().filter(Alert::firing).count();
        }

        long resolved() {
            return alerts.stream().filter(a -> !a.firing()).count();
        }
    }

    @Test
    void aMaterialSignificantDropFiresOnTheSecondBreachingWindowAgainstTheBaseline() {
        Run r = new Run(Map.of()).repeat(6, 60, 5, 100);
        r.window(30, 5, 100);
        assertEquals(0, r.alerts.size(), "one breaching window is not yet an alert (2 of 3)");
        r.window(30, 5, 100);

        assertEquals(1, r.alerts.size());
        Alert a = r.alerts.get(0);
        assertTrue(a.firing());
        assertEquals(Reason.DROP_BELOW_BASELINE, a.reason());
        assertEquals(60, a.baseline(), 1e-9);
        assertEquals(30, a.value(), 1e-9);
        assertEquals(30, a.drop(), 1e-9);
        assertEquals(1.96 * 5, a.marginOfError(), 1e-12);
        assertEquals(100, a.sampleSize());
        assertEquals(7 * W, a.windowStart());
    }

    @Test
    void aDropWithinTheCombinedMarginIsNotABreach() {
        Run r = new Run(Map.of()).repeat(6, 60, 10, 100);
        // sigma >= 10, so a 15-point drop is 1.5 sigma at most, below z = 1.96.
        var verdict = r.detector.judge(r.state, new Observation(6 * W, 7 * W, 45, 10, 100, Map.of()));
        assertTrue(verdict.breach().isEmpty(), verdict.toString());
        r.window(45, 10, 100).window(45, 10, 100).repeat(4, 60, 10, 100);
        assertEquals(0, r.alerts.size());
    }

    @Test
    void aSignificantDropSmallerThanTheMinimumDropIsNotMaterial() {
        Run r = new Run(Map.of("alert.cusum.threshold", "1000")).repeat(6, 60, 0.1, 10_000);
        r.repeat(5, 56, 0.1, 10_000);
        assertEquals(0, r.alerts.size(), "4 points is 40 standard errors but less than alert.min.drop = 5");
    }

    @Test
    void windowsWithTooFewCustomersAreNeitherJudgedNorLearntFrom() {
        Run r = new Run(Map.of()).repeat(6, 60, 5, 100);
        State before = r.state;
        r.repeat(5, -80, 30, 29);
        assertEquals(0, r.alerts.size());
        assertEquals(before.baseline(), r.state.baseline());
        assertEquals(before.baselineWindows(), r.state.baselineWindows());
    }

    @Test
    void nothingIsJudgedBeforeTheBaselineHasWarmedUp() {
        Run r = new Run(Map.of()).repeat(2, 60, 5, 100);
        r.repeat(3, 0, 5, 100);
        assertEquals(0, r.alerts.size());
    }

    @Test
    void isolatedBreachesNeverReachThePersistenceThreshold() {
        Run r = new Run(Map.of()).repeat(6, 60, 5, 100);
        for (int i = 0; i < 5; i++) r.window(20, 5, 100).window(60, 5, 100).window(60, 5, 100);
        assertEquals(0, r.alerts.size());
    }

    @Test
    void aFiringAlertDoesNotResolveWhileTheValueHoversBelowTheClearLevel() {
        Run r = new Run(Map.of()).repeat(6, 60, 5, 100).repeat(2, 30, 5, 100);
        assertEquals(1, r.firing());
        // Between the firing threshold and the clear level (60 - 2): neither a new alert nor a resolution.
        for (int i = 0; i < 6; i++) r.window(57, 5, 100).window(52, 5, 100);
        assertEquals(1, r.alerts.size());
        assertTrue(r.state.firing());
    }

    @Test
    void theBaselineIsFrozenWhileFiringSoASustainedDropNeverBecomesNormal() {
        Run r = new Run(Map.of()).repeat(6, 60, 5, 100).repeat(30, 30, 5, 100);
        assertEquals(60, r.state.baseline(), 1e-9);
        assertEquals(1, r.alerts.size(), "one alert for one sustained drop");
    }

    @Test
    void recoveryForTheClearWindowsEmitsOneResolvedWithTheEpisodesStart() {
        Run r = new Run(Map.of()).repeat(6, 60, 5, 100).repeat(3, 30, 5, 100);
        r.window(59, 5, 100);
        assertEquals(0, r.resolved(), "one recovering window is not enough (alert.clear.windows = 2)");
        r.window(59, 5, 100).repeat(3, 60, 5, 100);

        assertEquals(List.of(true, false), r.alerts.stream().map(Alert::firing).toList());
        Alert fired = r.alerts.get(0);
        Alert resolved = r.alerts.get(1);
        assertEquals(Reason.RECOVERED, resolved.reason());
        assertEquals(fired.episodeStart(), resolved.episodeStart());
        assertEquals(60, resolved.baseline(), 1e-9);
        assertEquals(59, resolved.value(), 1e-9);
        assertFalse(r.state.firing());
    }

    @Test
    void theRateCapHoldsBackEpisodesAndCountsThemInTheNextAlertSent() {
        Run r = new Run(Map.of("alert.rate.limit.max", "2", "alert.rate.limit.period", "3h")).repeat(6, 60, 5, 100);
        for (int episode = 0; episode < 4; episode++) r.repeat(2, 30, 5, 100).repeat(2, 60, 5, 100);
        // 4 episodes of 4 ten-minute windows each: the first two (sent at 80 and 120 minutes) fill the cap until 200 and 240 minutes.
        assertEquals(2, r.firing());
        assertEquals(2, r.resolved(), "a held-back episode is not resolved either");

        r.repeat(8, 60, 5, 100).repeat(2, 30, 5, 100);
        Alert last = r.alerts.get(r.alerts.size() - 1);
        assertTrue(last.firing());
        assertEquals(2, last.suppressedAlerts());
    }

    @Test
    void aSlowSlideWithNoSignificantSingleDropIsCaughtByTheCusum() {
        Run r = new Run(Map.of()).repeat(6, 60, 10, 40);
        double value = 60;
        Reason first = null;
        int windows = 0;
        while (r.alerts.isEmpty() && windows < 30) {
            value -= 2.5;
            var verdict = r.detector.judge(r.state, new Observation(r.window * W, (r.window + 1) * W, value, 10, 40, Map.of()));
            assertTrue(verdict.breach().map(b -> b != Reason.DROP_BELOW_BASELINE).orElse(true),
                    "no single window is a significant drop: " + verdict);
            r.window(value, 10, 40);
            windows++;
        }
        assertEquals(1, r.alerts.size(), "the slide was not detected within 30 windows");
        assertEquals(Reason.SLOW_SLIDE, r.alerts.get(0).reason());
    }

    @Test
    void theSameSlideIsNotFlaggedWithoutTheCusum() {
        Run r = new Run(Map.of("alert.cusum.threshold", "1000")).repeat(6, 60, 10, 40);
        double value = 60;
        for (int i = 0; i < 16; i++) r.window(value -= 2.5, 10, 40);
        assertEquals(0, r.alerts.size());
    }

    @Test
    void aValueBelowTheFloorFiresEvenWithoutADropFromBaseline() {
        Run r = new Run(Map.of(), -20).repeat(6, -25, 5, 100);
        assertEquals(1, r.alerts.size());
        assertEquals(Reason.BELOW_FLOOR, r.alerts.get(0).reason());
    }

    @Test
    void contributorsSplitTheDropExactlyAndListTheLargestFallsFirst() {
        Run r = new Run(Map.of());
        for (int i = 0; i < 6; i++) r.window(60, 5, 100, parts(40, 20, 30, 30));
        for (int i = 0; i < 2; i++) r.window(25, 5, 100, parts(10, 15, 30, -5));

        Alert a = r.alerts.get(0);
        Map<String, Double> change = new HashMap<>();
        a.contributors().forEach(c -> change.put(c.name(), c.change()));
        assertEquals(List.of("segment:a", "segment:b", "touchpoint:y"), a.contributors().stream().map(Contributor::name).toList());
        assertEquals(-30, change.get("segment:a"), 1e-9);
        assertEquals(-5, change.get("segment:b"), 1e-9);
        assertEquals(a.value() - a.baseline(), change.get("segment:a") + change.get("segment:b"), 1e-9);
        assertEquals(a.value() - a.baseline(), change.get("touchpoint:y"), 1e-9, "x did not change, y explains it all");
    }

    @Test
    void partBaselinesSumToTheBaselineAsTheyAreLearntInLockStep() {
        Run r = new Run(Map.of());
        double[][] windows = {{40, 20}, {10, 35}, {-5, 50}, {33, 1}, {12, 12}};
        for (double[] w : windows) r.window(w[0] + w[1], 5, 100, Map.of("segment:a", w[0], "segment:b", w[1]));
        double sum = r.state.partBaselines().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(r.state.baseline(), sum, 1e-9);
    }

    @Test
    void aWindowAtOrBeforeTheLastJudgedOneIsIgnored() {
        Run r = new Run(Map.of()).repeat(6, 60, 5, 100);
        State before = r.state;
        var step = r.detector.evaluate(before, new Observation(2 * W, 3 * W, -100, 1, 1000, Map.of()));
        assertEquals(before, step.state());
        assertTrue(step.alert().isEmpty());
    }

    @Test
    void aClearLevelBeyondTheMinimumDropIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineConfig.defaults().with(Map.of("alert.clear.drop", "6")));
        assertTrue(e.getMessage().contains("alert.clear.drop"), e.getMessage());
    }

    private static Map<String, Double> parts(double a, double b, double x, double y) {
        return Map.of("segment:a", a, "segment:b", b, "touchpoint:x", x, "touchpoint:y", y);
    }
}
