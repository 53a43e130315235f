package org.brandequity.topology;

import static org.brandequity.topology.Events.minutes;
import static org.brandequity.topology.Events.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.TouchpointExperienceScore;
import org.junit.jupiter.api.Test;

/**
 * NPS, CSAT and CES over responses in segment and touchpoint windows (10-minute tumbling windows,
 * grace 2 minutes: {@link PipelineDriver#TEST_CONFIG}). The example: 10 answers in the window
 * [00:00, 00:10) from 8 customers, all at DELIVERY:
 *
 * <pre>
 *  customer  minute  likelihoodToRecommend  rating  effort
 *  c1        1       10                     5       7
 *  c1        2        9                     4       6
 *  c2        3        9                     5       5
 *  c3        3       10                     4       5
 *  c4        4        9                     5       4
 *  c5        4        8                     3       3
 *  c5        5        7                     2       -
 *  c6        6        6                     1       -
 *  c7        7        5                     -       -
 *  c8        8        0                     -       -
 * </pre>
 *
 * NPS: 5 promoters, 2 passives, 3 detractors of 10: 50 % - 30 % = 20, margin 1.96·100·√((0.8 - 0.04)/10)
 * = 54.0335. CSAT: 5 of 8 ratings are 4-5: 62.5 %, Wilson 30.5738 %..86.3158 %. CES: 3, 4, 5, 5, 6, 7:
 * mean 5, s² = 2, t(0.975, 5) = 2.570582, 5 ± 1.484126 = 3.515874..6.484126 (StandardMetricsTest
 * works each one out).
 */
class StandardMetricsTopologyTest {
    private static final String HV = "high-value";
    private static final String BB = "broad-base";
    private static final double EPS = 1e-9;

    /** {customer, minute, likelihoodToRecommend, rating, effort}; null: not answered. */
    static final Object[][] EXAMPLE = {
            {"c1", 1, 10, 5, 7}, {"c1", 2, 9, 4, 6}, {"c2", 3, 9, 5, 5}, {"c3", 3, 10, 4, 5}, {"c4", 4, 9, 5, 4},
            {"c5", 4, 8, 3, 3}, {"c5", 5, 7, 2, null}, {"c6", 6, 6, 1, null}, {"c7", 7, 5, null, null}, {"c8", 8, 0, null, null}};

    static CustomerInteraction answer(Object[] row, Touchpoint touchpoint) {
        return Events.interaction((String) row[0], minutes((Integer) row[1])).setTouchpoint(touchpoint)
                .setLikelihoodToRecommend((Integer) row[2]).setRating((Integer) row[3]).setEffort((Integer) row[4]).build();
    }

    @Test
    void aSegmentWindowHasNpsCsatAndCesOverItsCustomersAnswersWithTheirIntervals() {
        try (PipelineDriver p = new PipelineDriver()) {
            for (Object[] row : EXAMPLE) p.profile(profile((String) row[0], HV));
            for (Object[] row : EXAMPLE) p.send(answer(row, Touchpoint.DELIVERY));
            p.advanceStreamTime(minutes(20));

            SegmentExperienceScore s = latestSegment(p, HV, minutes(0));
            assertEquals(8, s.getCustomers());
            assertEquals(10, s.getNpsResponses(), "responses, not customers");
            assertEquals(List.of(5L, 2L, 3L), List.of(s.getNpsPromoters(), s.getNpsPassives(), s.getNpsDetractors()));
            assertEquals(20.0, s.getNps(), EPS);
            assertEquals(54.03347110819367, s.getNpsMarginOfError(), EPS);
            assertEquals(8, s.getCsatResponses());
            assertEquals(5, s.getCsatSatisfied());
            assertEquals(62.5, s.getCsat(), EPS);
            assertEquals(30.573785458380186, s.getCsatLower(), EPS);
            assertEquals(86.3158240538479, s.getCsatUpper(), EPS);
            assertEquals(6, s.getCesResponses());
            assertEquals(5.0, s.getCes(), EPS);
            assertEquals(3.515873884656518, s.getCesLower(), 1e-7);
            assertEquals(6.484126115343482, s.getCesUpper(), 1e-7);
        }
    }

    @Test
    void aTouchpointWindowHasNpsCsatAndCesOverEveryAnswerThereFromAnySegment() {
        try (PipelineDriver p = new PipelineDriver()) {
            for (Object[] row : EXAMPLE) p.profile(profile((String) row[0], ((String) row[0]).compareTo("c5") < 0 ? HV : BB));
            for (Object[] row : EXAMPLE) p.send(answer(row, Touchpoint.DELIVERY));
            // Another touchpoint's answer, in the same window and by a customer of the example: not DELIVERY's.
            p.send(Events.interaction("c1", minutes(8)).setTouchpoint(Touchpoint.SUPPORT_CONTACT)
                    .setLikelihoodToRecommend(0).setRating(1).setEffort(1).build());
            p.advanceStreamTime(minutes(20));

            Map<String, TouchpointExperienceScore> latest = latestTouchpoints(p, minutes(0));
            TouchpointExperienceScore t = latest.get("DELIVERY");
            assertEquals(Touchpoint.DELIVERY, t.getTouchpoint());
            assertEquals(minutes(10), t.getWindowEnd());
            assertEquals(10, t.getNpsResponses());
            assertEquals(20.0, t.getNps(), EPS);
            assertEquals(54.03347110819367, t.getNpsMarginOfError(), EPS);
            assertEquals(62.5, t.getCsat(), EPS);
            assertEquals(30.573785458380186, t.getCsatLower(), EPS);
            assertEquals(86.3158240538479, t.getCsatUpper(), EPS);
            assertEquals(5.0, t.getCes(), EPS);
            assertEquals(3.515873884656518, t.getCesLower(), 1e-7);
            assertEquals(6.484126115343482, t.getCesUpper(), 1e-7);
            assertEquals(0, t.getRevision());
            TouchpointExperienceScore support = latest.get("SUPPORT_CONTACT");
            assertEquals(List.of(1L, -100.0, 0.0, 1.0), List.of(support.getNpsResponses(), support.getNps(), support.getCsat(), support.getCes()));
            assertNull(support.getCesLower(), "one effort answer: no interval");
            assertEquals(List.of("DELIVERY", "SUPPORT_CONTACT"), List.copyOf(new java.util.TreeSet<>(latest.keySet())),
                    "the clock event carries no answer, so its touchpoint has no window");
        }
    }

    @Test
    void aSegmentWithoutNpsAnswersHasZeroResponsesAndNullNpsAndMarginNotADivisionByZero() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.profile(profile("r1", BB));
            p.profile(profile("r2", BB));
            p.send(Events.rated("r1", minutes(1), 4), Events.rated("r2", minutes(2), 2));
            p.advanceStreamTime(minutes(20));

            SegmentExperienceScore s = latestSegment(p, BB, minutes(0));
            assertEquals(0, s.getNpsResponses());
            assertEquals(List.of(0L, 0L, 0L), List.of(s.getNpsPromoters(), s.getNpsPassives(), s.getNpsDetractors()));
            assertNull(s.getNps());
            assertNull(s.getNpsMarginOfError());
            assertEquals(0, s.getCesResponses());
            assertNull(s.getCes());
            assertNull(s.getCesLower());
            assertEquals(50.0, s.getCsat(), EPS, "the ratings still count: 1 of 2 is 4-5");
        }
    }

    @Test
    void aLateAnswerRevisesItsTouchpointWindowAndCountsItsRevision() {
        try (PipelineDriver p = new PipelineDriver(Map.of("late.horizon", "1d"))) {
            p.send(Events.interaction("a", minutes(1)).setTouchpoint(Touchpoint.DELIVERY).setLikelihoodToRecommend(10).build());
            p.advanceStreamTime(minutes(60));
            TouchpointExperienceScore onTime = latestTouchpoints(p, minutes(0)).get("DELIVERY");
            assertEquals(List.of(1L, 100.0, 0), List.of(onTime.getNpsResponses(), onTime.getNps(), onTime.getRevision()));

            // 55 minutes behind stream time: late (grace 2 minutes), within the horizon.
            p.send(Events.interaction("b", minutes(5)).setTouchpoint(Touchpoint.DELIVERY).setLikelihoodToRecommend(0).build());

            TouchpointExperienceScore revised = latestTouchpoints(p, minutes(0)).get("DELIVERY");
            assertEquals(2, revised.getNpsResponses());
            assertEquals(0.0, revised.getNps(), EPS, "50 % promoters - 50 % detractors");
            assertEquals(196 * Math.sqrt(1.0 / 2), revised.getNpsMarginOfError(), EPS, "p = d = 0.5: sqrt((1 - 0) / 2)");
            assertEquals(1, revised.getRevision());
            assertEquals(0, p.deadLetters.getQueueSize(), "nothing within the horizon is dead-lettered");
        }
    }

    @Test
    void aLateAnswerReplacesItsCustomersCountsInTheSegmentWindowInsteadOfAddingThemAgain() {
        try (PipelineDriver p = new PipelineDriver(Map.of("late.horizon", "1d"))) {
            p.profile(profile("a", HV));
            p.send(Events.interaction("a", minutes(1)).setLikelihoodToRecommend(10).setRating(5).build());
            p.advanceStreamTime(minutes(60));
            latestSegment(p, HV, minutes(0));

            p.send(Events.interaction("a", minutes(5)).setLikelihoodToRecommend(3).build());

            SegmentExperienceScore s = latestSegment(p, HV, minutes(0));
            assertEquals(1, s.getRevision());
            assertEquals(List.of(2L, 1L, 0L, 1L), List.of(s.getNpsResponses(), s.getNpsPromoters(), s.getNpsPassives(), s.getNpsDetractors()),
                    "the customer's two answers, each once");
            assertEquals(0.0, s.getNps(), EPS);
            assertEquals(1, s.getCsatResponses(), "the first version's rating, once");
        }
    }

    @Test
    void aDuplicateAnswerCountsOnceInTheSegmentAndTouchpointWindows() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.profile(profile("a", HV));
            CustomerInteraction answer = Events.interaction("a", minutes(1)).setTouchpoint(Touchpoint.DELIVERY)
                    .setLikelihoodToRecommend(9).setRating(4).setEffort(6).build();
            p.send(answer, answer);
            p.send(Events.interaction("a", minutes(3)).setTouchpoint(Touchpoint.DELIVERY).setLikelihoodToRecommend(2).build());
            p.send(answer);
            p.advanceStreamTime(minutes(20));

            SegmentExperienceScore s = latestSegment(p, HV, minutes(0));
            TouchpointExperienceScore t = latestTouchpoints(p, minutes(0)).get("DELIVERY");
            for (long[] counts : List.of(
                    new long[] {s.getNpsResponses(), s.getNpsPromoters(), s.getNpsDetractors(), s.getCsatResponses(), s.getCesResponses()},
                    new long[] {t.getNpsResponses(), t.getNpsPromoters(), t.getNpsDetractors(), t.getCsatResponses(), t.getCesResponses()})) {
                assertEquals(List.of(2L, 1L, 1L, 1L, 1L), java.util.Arrays.stream(counts).boxed().toList());
            }
        }
    }

    /**
     * docs/model.md §7's worked example: its table of answers is sent through the topology as written,
     * and every number in bold must be what the segment window and the touchpoint window hold, rounded
     * as the page rounds it.
     */
    @Test
    void theModelPagesWorkedExampleIsWhatThePipelineComputes() throws java.io.IOException {
        String block = modelPageExample();
        java.util.regex.Matcher row = java.util.regex.Pattern
                .compile("(?m)^\\| (c\\d+) \\| 00:(\\d\\d) \\|\\s*(\\d*)\\s*\\|\\s*(\\d*)\\s*\\|\\s*(\\d*)\\s*\\|$").matcher(block);
        List<Object[]> rows = new java.util.ArrayList<>();
        while (row.find()) {
            rows.add(new Object[] {row.group(1), Integer.parseInt(row.group(2)), number(row.group(3)), number(row.group(4)), number(row.group(5))});
        }
        assertEquals(10, rows.size(), "docs/model.md's table of answers");
        try (PipelineDriver p = new PipelineDriver()) {
            for (Object[] r : rows) p.profile(profile((String) r[0], HV));
            for (Object[] r : rows) p.send(answer(r, Touchpoint.DELIVERY));
            p.advanceStreamTime(minutes(20));
            SegmentExperienceScore s = latestSegment(p, HV, minutes(0));
            TouchpointExperienceScore t = latestTouchpoints(p, minutes(0)).get("DELIVERY");

            List<String> nps = groups(block, "\\*\\*NPS = (-?[\\d.]+) ± ([\\d.]+)\\*\\*");
            List<String> csat = groups(block, "\\*\\*CSAT = ([\\d.]+) % \\[([\\d.]+) %, ([\\d.]+) %\\]\\*\\*");
            List<String> ces = groups(block, "\\*\\*CES = ([\\d.]+) \\[([\\d.]+), ([\\d.]+)\\]\\*\\*");
            for (var w : List.of(
                    List.of(s.getNps(), s.getNpsMarginOfError(), s.getCsat(), s.getCsatLower(), s.getCsatUpper(), s.getCes(), s.getCesLower(), s.getCesUpper()),
                    List.of(t.getNps(), t.getNpsMarginOfError(), t.getCsat(), t.getCsatLower(), t.getCsatUpper(), t.getCes(), t.getCesLower(), t.getCesUpper()))) {
                List<String> readme = new java.util.ArrayList<>(nps);
                readme.addAll(csat);
                readme.addAll(ces);
                for (int i = 0; i < readme.size(); i++) {
                    java.math.BigDecimal shown = new java.math.BigDecimal(readme.get(i));
                    assertEquals(shown, java.math.BigDecimal.valueOf(w.get(i)).setScale(shown.scale(), java.math.RoundingMode.HALF_UP),
                            "docs/model.md number #" + i + " (" + readme.get(i) + ") against " + w.get(i));
                }
            }
        }
    }

    private static Integer number(String s) {
        return s.isEmpty() ? null : Integer.valueOf(s);
    }

    private static List<String> groups(String text, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "docs/model.md's worked example has no match for " + regex);
        List<String> out = new java.util.ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) out.add(m.group(i));
        return out;
    }

    private static String modelPageExample() throws java.io.IOException {
        java.nio.file.Path here = java.nio.file.Path.of("docs", "model.md");
        String readme = java.nio.file.Files.readString(java.nio.file.Files.exists(here) ? here : java.nio.file.Path.of("..", "docs", "model.md"));
        int begin = readme.indexOf("<!-- standard-metrics-example begin -->");
        int end = readme.indexOf("<!-- standard-metrics-example end -->");
        assertTrue(begin >= 0 && end > begin, "docs/model.md has no standard-metrics-example block");
        return readme.substring(begin, end);
    }

    /** The latest record of a segment window, after a second of wall-clock time (revisions are emitted each second). */
    static SegmentExperienceScore latestSegment(PipelineDriver p, String segment, Instant start) {
        p.driver.advanceWallClockTime(Duration.ofSeconds(1));
        p.seenSegmentScores.addAll(p.segmentScores.readValuesToList());
        List<SegmentExperienceScore> of = p.seenSegmentScores.stream()
                .filter(s -> s.getSegment().equals(segment) && s.getWindowStart().equals(start)).toList();
        assertTrue(!of.isEmpty(), "no record of " + segment + " at " + start);
        return of.get(of.size() - 1);
    }

    /** The latest record of each touchpoint window starting at {@code start}, by touchpoint key, after a second of wall-clock time. */
    static Map<String, TouchpointExperienceScore> latestTouchpoints(PipelineDriver p, Instant start) {
        p.driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<TouchpointExperienceScore> seen = p.seenTouchpointScores;
        p.touchpointScores.readKeyValuesToList().forEach(kv -> {
            assertEquals(kv.value.getTouchpoint().name(), kv.key, "keyed by touchpoint symbol");
            seen.add(kv.value);
        });
        Map<String, TouchpointExperienceScore> latest = new java.util.HashMap<>();
        for (TouchpointExperienceScore t : seen) if (t.getWindowStart().equals(start)) latest.put(t.getTouchpoint().name(), t);
        return latest;
    }
}
