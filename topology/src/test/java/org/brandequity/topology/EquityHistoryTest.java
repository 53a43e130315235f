package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.EquityHistoryPoint;
import org.brandequity.model.EquityChange.StockVolume;
import org.brandequity.model.EquityHistory.Point;
import org.brandequity.model.Sums;
import org.junit.jupiter.api.Test;

/**
 * The equity history under the TopologyTestDriver, with explicit event times (docs/model.md "Equity
 * history"): a point per boundary of equity.history.interval, valued there; late events revising the
 * later points as restatement; retention.
 */
class EquityHistoryTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Events.T0.toEpochMilli();
    private static final double TOLERANCE = 1e-9;

    private static Map<String, String> config(String retention) {
        Map<String, String> m = new HashMap<>();
        m.put("equity.history.interval", "10m");
        m.put("equity.history.retention", retention);
        m.put("late.horizon", "2h");
        return m;
    }

    private static void send(PipelineDriver p, ReferenceModel ref, CustomerInteraction e) {
        p.send(e);
        ref.interaction(e);
    }

    private static Point at(List<Point> points, long boundary) {
        return points.stream().filter(x -> x.boundary() == boundary).findFirst()
                .orElseThrow(() -> new AssertionError("no point at " + java.time.Instant.ofEpochMilli(boundary) + " in " + points));
    }

    private static void assertSums(StockVolume expected, Sums actual, String what) {
        assertEquals(expected.stock(), actual.signal(), TOLERANCE, what + ": stock");
        assertEquals(expected.volume(), actual.volume(), TOLERANCE, what + ": volume");
    }

    @Test
    void aPointIsKeptAtEveryBoundaryOfEventTimeValuedAtTheBoundary() {
        try (PipelineDriver p = new PipelineDriver(config("400d"))) {
            ReferenceModel ref = new ReferenceModel(p.config);
            HistoryBatch batch = new HistoryBatch(ref, p.config);
            send(p, ref, Events.rated("a", Events.minutes(1), 5));
            send(p, ref, Events.rated("b", Events.minutes(10), 1));
            send(p, ref, Events.rated("a", Events.minutes(14), 2));
            send(p, ref, Events.rated("c", Events.minutes(41), 4));
            p.flushHistory();

            List<Point> points = p.historyPoints();
            // 00:10, 00:20, 00:30 and 00:40 are passed (00:30 had no event: the previous point, decayed);
            // 00:50 is the boundary of the newest event, still open.
            assertEquals(List.of(T0 + 10 * MINUTE, T0 + 20 * MINUTE, T0 + 30 * MINUTE, T0 + 40 * MINUTE),
                    points.stream().map(Point::boundary).toList());
            assertEquals(List.of(2L, 3L, 3L, 3L), points.stream().map(Point::events).toList(),
                    "an event exactly on a boundary counts in that boundary's point");
            for (Point point : points) {
                long b = point.boundary();
                assertSums(batch.total(e -> e.time() <= b, b), point.total(), "point at +" + (b - T0) / MINUTE + "m");
                assertEquals(0, point.revisions());
            }
            List<EquityHistoryPoint> published = p.history.readValuesToList();
            assertEquals(4, published.size(), "each point sent once when first published");
        }
    }

    @Test
    void aLateEventRevisesEveryLaterPointAndShowsAsItsRestatement() {
        try (PipelineDriver p = new PipelineDriver(config("400d"))) {
            ReferenceModel ref = new ReferenceModel(p.config);
            HistoryBatch batch = new HistoryBatch(ref, p.config);
            send(p, ref, Events.rated("a", Events.minutes(5), 5));
            send(p, ref, Events.rated("b", Events.minutes(15), 4));
            send(p, ref, Events.rated("c", Events.minutes(35), 4));
            p.flushHistory();
            Map<Long, Sums> firstPublished = new HashMap<>();
            p.historyPoints().forEach(x -> firstPublished.put(x.boundary(), x.total()));
            p.history.readValuesToList();

            // 28 minutes behind stream time (00:35), beyond window.grace (2m): late, into 00:10's interval.
            CustomerInteraction late = Events.rated("d", Events.minutes(7), 1);
            send(p, ref, late);
            p.flushHistory();

            List<Point> points = p.historyPoints();
            assertEquals(List.of(T0 + 10 * MINUTE, T0 + 20 * MINUTE, T0 + 30 * MINUTE), points.stream().map(Point::boundary).toList());
            long lateTime = late.getEventTime().toEpochMilli();
            for (Point point : points) {
                long b = point.boundary();
                String where = "point at +" + (b - T0) / MINUTE + "m";
                assertSums(batch.total(e -> e.time() <= b, b), point.total(), where + " as known now");
                assertSums(batch.total(e -> e.time() == lateTime, b), point.restatedTotal(), where + " restated");
                assertSums(new StockVolume(firstPublished.get(b).signal(), firstPublished.get(b).volume()), point.firstPublished(),
                        where + " as first published");
                assertEquals(1, point.revisions(), where);
                assertEquals(1, point.restatedEvents(), where);
            }
            List<EquityHistoryPoint> revisions = p.history.readValuesToList();
            assertEquals(3, revisions.size(), "each revised point sent again");
            assertTrue(revisions.stream().allMatch(r -> r.getRevisions() == 1 && r.getIndex() != r.getFirstPublishedIndex()));
        }
    }

    @Test
    void pointsOlderThanTheRetentionAreDropped() {
        try (PipelineDriver p = new PipelineDriver(config("30m"))) {
            for (int m = 1; m <= 71; m += 10) p.send(Events.rated("a", Events.minutes(m), 4));
            p.flushHistory();
            // Newest point 01:10 (01:20 is open); 30 minutes of retention keep 00:50, 01:00, 01:10.
            assertEquals(List.of(T0 + 50 * MINUTE, T0 + 60 * MINUTE, T0 + 70 * MINUTE),
                    p.historyPoints().stream().map(Point::boundary).toList());
            assertEquals(7L, p.historyPoints().get(2).events(), "what the dropped points held is still in the kept ones");
        }
    }

    @Test
    void aGapLongerThanTheRetentionWritesOnlyThePointsThatAreKept() {
        try (PipelineDriver p = new PipelineDriver(config("30m"))) {
            p.send(Events.rated("a", Events.minutes(1), 4));
            p.flushHistory();
            p.send(Events.rated("a", Events.at(Duration.ofDays(1)).plusSeconds(60), 4));
            p.flushHistory();
            List<Point> points = p.historyPoints();
            assertEquals(3, points.size(), "30 minutes of 10-minute points, not a day's worth");
            assertEquals(T0 + Duration.ofDays(1).toMillis(), points.get(2).boundary());
            assertEquals(1L, points.get(2).events());
        }
    }
}
