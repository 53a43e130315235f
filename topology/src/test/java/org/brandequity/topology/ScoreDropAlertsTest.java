package org.brandequity.topology;

import static org.brandequity.topology.Events.minutes;
import static org.brandequity.topology.Events.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.brandequity.avro.AlertScope;
import org.brandequity.avro.AlertState;
import org.brandequity.avro.Contributor;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.Touchpoint;
import org.junit.jupiter.api.Test;

/**
 * Score-drop alerts end to end, with the shipped {@code alert.*} defaults unless a test says
 * otherwise. Test windows are 10 minutes; window k's customers answer at minute 10k + 3, which also
 * closes window k - 1, so a segment window k is judged once window k + 2's answers arrive.
 */
class ScoreDropAlertsTest {
    private static final String SEGMENT = "broad-base";
    private static final String SEGMENT_KEY = "SEGMENT:" + SEGMENT;
    /** 40 customers: 28 positive, 8 neutral, 4 negative: net experience 60, margin of error 20.6. */
    private static final Mix NORMAL = new Mix(28, 8, 4);
    /** 12 positive, 8 neutral, 20 negative: net experience -20. */
    private static final Mix DROPPED = new Mix(12, 8, 20);

    private record Mix(int positive, int neutral, int negative) {
        int customers() {
            return positive + neutral + negative;
        }
    }

    @Test
    void aRealSegmentDropFiresOneAlertWithBaselineValueMarginAndContributors() {
        try (PipelineDriver p = driver(Map.of())) {
            windows(p, 0, 6, NORMAL);
            windows(p, 6, 2, DROPPED);
            windows(p, 8, 2, NORMAL); // judges window 7; window 8 is not judged yet

            List<ScoreDropAlert> alerts = alerts(p, SEGMENT_KEY);
            assertEquals(1, alerts.size(), alerts.toString());
            ScoreDropAlert a = alerts.get(0);
            assertEquals(AlertState.FIRING, a.getState());
            assertEquals(AlertScope.SEGMENT, a.getScope());
            assertEquals(SEGMENT, a.getSubject());
            assertEquals("drop-below-baseline", a.getReason());
            assertEquals(minutes(70), a.getWindowStart(), "fires on the second breaching window (2 of 3)");
            assertEquals("SEGMENT:broad-base@" + minutes(70), a.getAlertId());
            assertEquals(60, a.getBaseline(), 1e-9);
            assertEquals(-20, a.getValue(), 1e-9);
            assertEquals(80, a.getDrop(), 1e-9);
            assertEquals(1.96 * 100 * Math.sqrt((0.8 - 0.2 * 0.2) / 40), a.getMarginOfError(), 1e-9);
            assertEquals(40, a.getSampleSize());
            // NX = 100p - 100d: 40 points fewer positive customers, 40 points more negative ones.
            assertEquals(List.of("customers:negative", "customers:positive"), names(a.getTopContributors()));
            a.getTopContributors().forEach(c -> assertEquals(-40, c.getChange(), 1e-9, c.getName()));
        }
    }

    @Test
    void aSwingWithinTheMarginOfErrorDoesNotFire() {
        try (PipelineDriver p = driver(Map.of())) {
            windows(p, 0, 6, NORMAL);
            // Net experience 40: 20 points down, inside the combined margin of about 29 points.
            windows(p, 6, 2, new Mix(24, 8, 8));
            windows(p, 8, 6, NORMAL);

            assertEquals(List.of(), alerts(p, SEGMENT_KEY));
        }
    }

    @Test
    void aCollapseSeenInTooFewCustomersDoesNotFire() {
        try (PipelineDriver p = driver(Map.of())) {
            windows(p, 0, 6, NORMAL);
            // Net experience -100, but from 12 customers: below alert.min.sample.size = 30.
            windows(p, 6, 3, new Mix(0, 0, 12));
            windows(p, 9, 4, NORMAL);

            assertEquals(List.of(), alerts(p, SEGMENT_KEY));
        }
    }

    @Test
    void flappingAroundTheThresholdRaisesOneAlertNotAStorm() {
        try (PipelineDriver p = driver(Map.of())) {
            windows(p, 0, 6, NORMAL);
            for (int k = 6; k < 20; k += 2) {
                windows(p, k, 1, DROPPED);
                windows(p, k + 1, 1, NORMAL);
            }
            windows(p, 20, 2, DROPPED);

            List<ScoreDropAlert> alerts = alerts(p, SEGMENT_KEY);
            assertEquals(1, alerts.size(), "7 dips in 14 windows: persistence fires once, hysteresis keeps it open");
            assertEquals(AlertState.FIRING, alerts.get(0).getState());
        }
    }

    @Test
    void repeatedFullEpisodesAreCappedPerDay() {
        try (PipelineDriver p = driver(Map.of())) {
            windows(p, 0, 6, NORMAL);
            for (int episode = 0; episode < 5; episode++) {
                windows(p, 6 + 4 * episode, 2, DROPPED);
                windows(p, 8 + 4 * episode, 2, NORMAL);
            }
            windows(p, 26, 2, NORMAL);

            List<ScoreDropAlert> alerts = alerts(p, SEGMENT_KEY);
            assertEquals(3, alerts.stream().filter(a -> a.getState() == AlertState.FIRING).count(),
                    "alert.rate.limit.max = 3 per day: " + alerts);
            assertEquals(3, alerts.stream().filter(a -> a.getState() == AlertState.RESOLVED).count(),
                    "held-back episodes send no RESOLVED either");
        }
    }

    @Test
    void aSlowSlideIsDetectedAsSuch() {
        try (PipelineDriver p = driver(Map.of())) {
            windows(p, 0, 6, NORMAL);
            // One positive customer per window turns neutral: net experience -2.5 points per window.
            for (int k = 6; k < 26; k++) windows(p, k, 1, new Mix(28 - (k - 5), 8 + (k - 5), 4));
            p.advanceStreamTime(minutes(10 * 27 + 3));

            List<ScoreDropAlert> alerts = alerts(p, SEGMENT_KEY);
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals("slow-slide", alerts.get(0).getReason());
            assertTrue(alerts.get(0).getDrop() > 5, alerts.get(0).toString());
        }
    }

    @Test
    void recoveryEmitsAResolvedRecordForTheSameAlert() {
        try (PipelineDriver p = driver(Map.of())) {
            windows(p, 0, 6, NORMAL);
            windows(p, 6, 2, DROPPED);
            windows(p, 8, 4, NORMAL);

            List<ScoreDropAlert> alerts = alerts(p, SEGMENT_KEY);
            assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED), alerts.stream().map(ScoreDropAlert::getState).toList());
            ScoreDropAlert resolved = alerts.get(1);
            assertEquals(alerts.get(0).getAlertId(), resolved.getAlertId());
            assertEquals("recovered", resolved.getReason());
            assertEquals(minutes(90), resolved.getWindowStart(), "after 2 recovering windows (alert.clear.windows)");
            assertEquals(60, resolved.getValue(), 1e-9);
            assertEquals(60, resolved.getBaseline(), 1e-9);
        }
    }

    @Test
    void aBrandDropNamesTheSegmentAndTouchpointThatExplainIt() {
        // 30 + 30 events per window: enough for the brand, and for each touchpoint's effective sample.
        try (PipelineDriver p = driver(Map.of("alert.min.sample.size", "10"))) {
            for (int k = 0; k < 12; k++) {
                boolean dropped = k == 6 || k == 7;
                send(p, k, "broad-base", Touchpoint.DELIVERY, new Mix(21, 6, 3));
                send(p, k, "high-value", Touchpoint.SUPPORT_CONTACT, dropped ? new Mix(6, 6, 18) : new Mix(21, 6, 3));
                p.flushEquity();
            }

            List<ScoreDropAlert> brand = alerts(p, "BRAND:acme");
            assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED), brand.stream().map(ScoreDropAlert::getState).toList());
            ScoreDropAlert a = brand.get(0);
            assertEquals(AlertState.FIRING, a.getState());
            assertEquals(minutes(70), a.getWindowStart());
            assertEquals(60, a.getBaseline(), 1e-9);
            // Equity weights: broad-base delivery 1 x 1.2 x 1.2 = 1.44; high-value support 3 x 1.3 x 1.2 = 4.68.
            double value = 100 * (30 * 1.44 * 0.6 + 30 * 4.68 * -0.4) / (30 * 1.44 + 30 * 4.68);
            assertEquals(value, a.getValue(), 1e-9);
            assertEquals(60, a.getSampleSize());
            assertEquals(1.96 * 100 * Math.sqrt((1 - value * value / 1e4) / 60), a.getMarginOfError(), 1e-9);
            assertEquals(List.of("segment:high-value", "touchpoint:SUPPORT_CONTACT"), names(a.getTopContributors()));
            a.getTopContributors().forEach(c -> assertEquals(value - 60, c.getChange(), 1e-9, c.getName()));

            List<ScoreDropAlert> support = alerts(p, "TOUCHPOINT:SUPPORT_CONTACT");
            assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED), support.stream().map(ScoreDropAlert::getState).toList());
            assertEquals(-40, support.get(0).getValue(), 1e-9, "perceived support experience in the window, points");
            assertEquals(Math.round(60 * 4.68 / (4.68 + 1.44)), support.get(0).getSampleSize(),
                    "effective sample: the window's events times the touchpoint's share of volume");
            assertEquals(List.of(), alerts(p, "TOUCHPOINT:DELIVERY"));
            assertEquals(List.of(), alerts(p, "SEGMENT:broad-base"));
        }
    }

    private static PipelineDriver driver(Map<String, String> overrides) {
        PipelineDriver p = new PipelineDriver(overrides);
        for (String segment : List.of("broad-base", "high-value")) {
            for (int i = 0; i < 40; i++) p.profile(profile(segment + "-" + i, segment));
        }
        return p;
    }

    /** {@code count} windows from window {@code first}, each with the answers of {@code mix}, in the test segment. */
    private static void windows(PipelineDriver p, int first, int count, Mix mix) {
        for (int k = first; k < first + count; k++) send(p, k, SEGMENT, Touchpoint.SURVEY_RESPONSE, mix);
    }

    private static void send(PipelineDriver p, int window, String segment, Touchpoint touchpoint, Mix mix) {
        for (int i = 0; i < mix.customers(); i++) {
            int rating = i < mix.positive() ? 5 : i < mix.positive() + mix.neutral() ? 3 : 1;
            // All at one instant, so that decay within the window does not blur the expected numbers.
            p.send(Events.interaction(segment + "-" + i, minutes(10L * window + 3))
                    .setTouchpoint(touchpoint).setRating(rating).build());
        }
    }

    /** Every alert with this key so far, oldest first (each call reads the topic once, so read all keys from one list). */
    private static List<ScoreDropAlert> alerts(PipelineDriver p, String key) {
        p.seenAlerts.addAll(p.alerts.readRecordsToList());
        return p.seenAlerts.stream().filter(r -> r.key().equals(key)).map(TestRecord::value).toList();
    }

    private static List<String> names(List<Contributor> contributors) {
        return contributors.stream().map(Contributor::getName).toList();
    }
}
