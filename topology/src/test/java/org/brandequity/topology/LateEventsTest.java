package org.brandequity.topology;

import static org.brandequity.topology.Events.minutes;
import static org.brandequity.topology.Events.profile;
import static org.brandequity.topology.Events.rated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.model.DeadLetterReason;
import org.junit.jupiter.api.Test;

/**
 * Events later than {@code window.grace} but within {@code late.horizon} (1 day here): counted in
 * equity at once, and re-emitted as revisions of the customer and segment windows already closed.
 * Windows are 10 minutes, tumbling, grace 2 minutes ({@link PipelineDriver#TEST_CONFIG}).
 */
class LateEventsTest {
    private static final Map<String, String> ONE_DAY = Map.of("late.horizon", "1d");
    private static final String HV = "high-value";

    @Test
    void aLateEventWithinTheHorizonCountsInEquityAndRevisesItsCustomerAndSegmentWindow() {
        try (PipelineDriver p = new PipelineDriver(ONE_DAY)) {
            p.profile(profile("c1", HV));
            p.send(rated("c1", minutes(1), 5));
            p.advanceStreamTime(minutes(60));
            CustomerExperienceScore onTime = only(p.customerScores.readValuesToList(), "c1");
            assertEquals(0, onTime.getRevision());
            long eventsBefore = p.latestEquity().getEvents();
            p.segmentScores.readValuesToList();

            p.send(rated("c1", minutes(5), 1)); // 55 minutes behind stream time

            CustomerExperienceScore revised = only(p.customerScores.readValuesToList(), "c1");
            assertEquals(minutes(0), revised.getWindowStart());
            assertEquals(2, revised.getEvents());
            assertEquals(0.0, revised.getScore(), 1e-12, "(1 + -1) / 2");
            assertEquals(1, revised.getRevision());
            assertEquals(eventsBefore + 1, p.latestEquity().getEvents(), "counted in equity at once");
            SegmentExperienceScore segment = latestSegment(p, HV, minutes(0));
            assertEquals(1, segment.getCustomers());
            assertEquals(2, segment.getEvents());
            assertEquals(1, segment.getRevision());
            assertEquals(0, p.deadLetters.getQueueSize());
        }
    }

    @Test
    void anEventBeyondTheHorizonIsATooLateDeadLetterNamingTheHorizon() {
        try (PipelineDriver p = new PipelineDriver(ONE_DAY)) {
            p.send(rated("c1", minutes(0), 5));
            p.advanceStreamTime(minutes(60 * 24 + 11));
            p.customerScores.readValuesToList();

            p.send(rated("c1", minutes(10), 1)); // 1 day and 1 minute behind

            TestRecord<byte[], byte[]> dead = p.deadLetters.readRecord();
            assertEquals(DeadLetterReason.TOO_LATE.name(), PipelineDriver.header(dead, DeadLetters.REASON_HEADER));
            String detail = PipelineDriver.header(dead, DeadLetters.DETAIL_HEADER);
            assertTrue(detail.contains("late.horizon (86400000 ms)"), detail);
            assertTrue(p.customerScores.isEmpty(), "nothing revised");
        }
    }

    @Test
    void aCopyOfALateEventCountsOnce() {
        try (PipelineDriver p = new PipelineDriver(ONE_DAY)) {
            p.send(rated("c1", minutes(1), 5));
            p.advanceStreamTime(minutes(300));
            long eventsBefore = p.latestEquity().getEvents();
            p.customerScores.readValuesToList();
            CustomerInteraction late = rated("c1", minutes(2), 1);

            p.send(late);
            p.advanceStreamTime(minutes(400)); // the copy comes after more panes have closed
            p.send(late);

            List<CustomerExperienceScore> c1 = p.customerScores.readValuesToList().stream()
                    .filter(s -> s.getCustomerId().equals("c1")).toList();
            assertEquals(1, c1.size(), "one revision, not two: " + c1);
            assertEquals(2, c1.get(0).getEvents());
            assertEquals(eventsBefore + 2, p.latestEquity().getEvents(), "the late event and the clock's, not the copy");
            assertEquals(1, p.counters.duplicates());
        }
    }

    @Test
    void aRevisionReplacesTheCustomersWindowInTheSegmentInsteadOfAddingIt() {
        try (PipelineDriver p = new PipelineDriver(ONE_DAY)) {
            p.profile(profile("c1", HV));
            p.profile(profile("c2", HV));
            p.send(rated("c1", minutes(1), 5), rated("c2", minutes(2), 5));
            p.advanceStreamTime(minutes(30));
            SegmentExperienceScore before = latestSegment(p, HV, minutes(0));
            assertEquals(100, before.getNetExperience(), 1e-9, "two positive customers");

            for (int i = 0; i < 3; i++) p.send(rated("c1", minutes(3 + i), 1)); // c1: (1 - 3) / 4 = -0.5

            SegmentExperienceScore after = latestSegment(p, HV, minutes(0));
            assertEquals(2, after.getCustomers(), "c1 replaced, not added");
            assertEquals(5, after.getEvents());
            assertEquals(1, after.getPositiveCustomers());
            assertEquals(1, after.getNegativeCustomers());
            assertEquals(0, after.getNetExperience(), 1e-9);
            assertEquals((1.0 - 0.5) / 2, after.getMeanCustomerScore(), 1e-12);
            assertEquals(3, after.getRevision(), "one per late event");
        }
    }

    @Test
    void aLateEventInAWindowTheCustomerHadNoEventInCreatesItAtRevisionZero() {
        try (PipelineDriver p = new PipelineDriver(ONE_DAY)) {
            p.profile(profile("c1", HV));
            p.profile(profile("c2", HV));
            p.send(rated("c1", minutes(1), 5));
            p.advanceStreamTime(minutes(30));
            p.customerScores.readValuesToList();

            p.send(rated("c2", minutes(4), 1));

            CustomerExperienceScore c2 = only(p.customerScores.readValuesToList(), "c2");
            assertEquals(0, c2.getRevision(), "the first record of c2's window");
            SegmentExperienceScore segment = latestSegment(p, HV, minutes(0));
            assertEquals(2, segment.getCustomers());
            assertEquals(1, segment.getRevision());
        }
    }

    @Test
    void aRevisedWindowWhoseSegmentChangedMovesFromTheOldSegmentToTheNew() {
        try (PipelineDriver p = new PipelineDriver(ONE_DAY)) {
            p.profile(profile("c1", "broad-base"));
            p.send(rated("c1", minutes(1), 5));
            p.advanceStreamTime(minutes(30));
            assertEquals(1, latestSegment(p, "broad-base", minutes(0)).getCustomers());

            p.profile(profile("c1", HV));
            p.send(rated("c1", minutes(8), 5)); // now the window's latest event, in high-value

            assertEquals(0, latestSegment(p, "broad-base", minutes(0)).getCustomers());
            SegmentExperienceScore hv = latestSegment(p, HV, minutes(0));
            assertEquals(1, hv.getCustomers());
            assertEquals(2, hv.getEvents());
        }
    }

    @Test
    void hoppingWindowsReviseEveryClosedWindowThatCoversTheLateEventAndLeaveOpenOnesToClose() {
        try (PipelineDriver p = new PipelineDriver(Map.of("late.horizon", "1d", "window.advance", "5m"))) {
            p.send(rated("c1", minutes(6), 5));
            p.advanceStreamTime(minutes(14)); // closes the windows ending at 10 ([0, 10)), not [5, 15)
            p.customerScores.readValuesToList();

            p.send(rated("c1", minutes(7), 1)); // 7 minutes behind: late; in [0, 10) (closed) and [5, 15) (open)
            List<CustomerExperienceScore> revised = p.customerScores.readValuesToList().stream()
                    .filter(s -> s.getCustomerId().equals("c1")).toList();
            assertEquals(List.of(minutes(0)), revised.stream().map(CustomerExperienceScore::getWindowStart).toList());
            assertEquals(1, revised.get(0).getRevision());

            p.advanceStreamTime(minutes(17));
            CustomerExperienceScore open = only(p.customerScores.readValuesToList(), "c1");
            assertEquals(minutes(5), open.getWindowStart());
            assertEquals(2, open.getEvents(), "the late event is in the window that was still open when it came");
            assertEquals(0, open.getRevision());
        }
    }

    @Test
    void lateEventsThatDragPastWindowsDownFireNoAlert() {
        try (PipelineDriver p = new PipelineDriver(ONE_DAY)) {
            for (int i = 0; i < 40; i++) p.profile(profile("broad-base-" + i, "broad-base"));
            // 40 customers a window, 28 positive, 8 neutral, 4 negative (net experience 60), judged on time.
            for (int k = 0; k < 10; k++) {
                for (int i = 0; i < 40; i++) {
                    p.send(rated("broad-base-" + i, minutes(10L * k + 3), i < 28 ? 5 : i < 36 ? 3 : 1));
                }
            }
            // Late: 20 of the positive customers of windows 6 and 7 turn negative: net experience -40.
            for (int k = 6; k <= 7; k++) {
                for (int i = 0; i < 20; i++) {
                    for (int j = 0; j < 3; j++) p.send(rated("broad-base-" + i, minutes(10L * k + 4 + j), 1));
                }
            }
            p.advanceStreamTime(minutes(200));

            assertEquals(-40, latestSegment(p, "broad-base", minutes(60)).getNetExperience(), 1e-9, "revised down");
            p.flushEquity();
            assertEquals(List.of(), p.alerts.readValuesToList(),
                    "a drop that arrives only late is judged neither in its segment nor in the brand or a touchpoint");
        }
    }

    private static CustomerExperienceScore only(List<CustomerExperienceScore> scores, String customer) {
        List<CustomerExperienceScore> of = scores.stream().filter(s -> s.getCustomerId().equals(customer)).toList();
        assertEquals(1, of.size(), of.toString());
        return of.get(0);
    }

    /** The latest record of a segment window, after a second of wall-clock time (revisions are emitted each second). */
    private static SegmentExperienceScore latestSegment(PipelineDriver p, String segment, Instant start) {
        p.driver.advanceWallClockTime(Duration.ofSeconds(1));
        p.seenSegmentScores.addAll(p.segmentScores.readValuesToList());
        List<SegmentExperienceScore> of = p.seenSegmentScores.stream()
                .filter(s -> s.getSegment().equals(segment) && s.getWindowStart().equals(start)).toList();
        assertTrue(!of.isEmpty(), "no record of " + segment + " at " + start);
        return of.get(of.size() - 1);
    }
}
