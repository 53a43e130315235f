package org.brandequity.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.brandequity.model.MixRate;
import org.brandequity.model.StandardMetrics;
import org.brandequity.model.WindowGrid;
import org.brandequity.topology.PipelineStores;
import org.brandequity.topology.PipelineStores.WindowAnswers;

/**
 * {@code GET /segments/{segment}/change?from=W1&to=W2}: a segment's NPS and CSAT change between two
 * of its windows, split per touchpoint into mix (its share of the answers) and rate (its own score)
 * by the model's {@link MixRate} (docs/model.md §7).
 *
 * <p>{@code from} and {@code to} are times (ISO-8601 or epoch milliseconds) taken to the window
 * starting at or before them (the {@code window.advance} grid). Defaults: {@code to} the segment's
 * newest window, {@code from} the window one {@code window.size} before it (the previous window that
 * does not overlap it). A window the store no longer holds is a 400 naming the ones it does.
 *
 * @param from the first window's time, or null
 * @param to   the second window's time, or null
 */
record SegmentChangeQuery(Long from, Long to) {
    static final Set<String> PARAMETERS = Set.of(EquityHistoryQueries.FROM, EquityHistoryQueries.TO);

    /** @throws QueryParameters.BadRequest for an unknown, repeated, too long or malformed parameter */
    static SegmentChangeQuery parse(String rawQuery) {
        Map<String, String> p = QueryParameters.parse(rawQuery, PARAMETERS);
        String from = p.get(EquityHistoryQueries.FROM);
        String to = p.get(EquityHistoryQueries.TO);
        return new SegmentChangeQuery(from == null ? null : EquityHistoryQueries.time(EquityHistoryQueries.FROM, from),
                to == null ? null : EquityHistoryQueries.time(EquityHistoryQueries.TO, to));
    }

    /** The answer from {@code partition}'s segment windows. */
    Map<String, Object> answer(String segment, PipelineStores stores, int partition, WindowGrid grid) {
        List<Long> starts = stores.segmentWindowStarts(segment, partition);
        if (starts.isEmpty()) throw new NotFound("no windows for segment " + segment);
        long newest = starts.get(0);
        long w2 = to == null ? newest : grid.paneStart(to);
        long w1 = from == null ? w2 - grid.sizeMs() : grid.paneStart(from);
        if (w1 >= w2) throw new QueryParameters.BadRequest("from must fall in an earlier window than to; " + available(starts, grid));
        WindowAnswers before = stores.segmentWindowAnswers(segment, w1, partition).orElseThrow(() -> new QueryParameters.BadRequest(
                "no window of " + segment + " starts at " + Instant.ofEpochMilli(w1) + "; " + available(starts, grid)));
        WindowAnswers after = stores.segmentWindowAnswers(segment, w2, partition).orElseThrow(() -> new QueryParameters.BadRequest(
                "no window of " + segment + " starts at " + Instant.ofEpochMilli(w2) + "; " + available(starts, grid)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("segment", segment);
        out.put(EquityHistoryQueries.FROM, window(before));
        out.put(EquityHistoryQueries.TO, window(after));
        out.put("nps", split(MixRate.of(cells(before.npsByTouchpoint(), n -> new MixRate.Cell(n.responses(), n.score())),
                cells(after.npsByTouchpoint(), n -> new MixRate.Cell(n.responses(), n.score())),
                before.nps().marginOfError(), after.nps().marginOfError())));
        out.put("csat", split(MixRate.of(cells(before.csatByTouchpoint(), c -> new MixRate.Cell(c.responses(), c.score())),
                cells(after.csatByTouchpoint(), c -> new MixRate.Cell(c.responses(), c.score())),
                halfWidth(before.csat()), halfWidth(after.csat()))));
        return out;
    }

    /** The Wilson interval's half-width, CSAT's margin in points. */
    private static Double halfWidth(StandardMetrics.Csat c) {
        return c.lower() == null ? null : (c.upper() - c.lower()) / 2;
    }

    private static <T> Map<String, MixRate.Cell> cells(Map<String, T> byTouchpoint, Function<T, MixRate.Cell> cell) {
        Map<String, MixRate.Cell> out = new HashMap<>();
        byTouchpoint.forEach((k, v) -> out.put(k, cell.apply(v)));
        return out;
    }

    private static Map<String, Object> window(WindowAnswers w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("windowStart", Instant.ofEpochMilli(w.windowStart()).toString());
        m.put("windowEnd", Instant.ofEpochMilli(w.windowEnd()).toString());
        return m;
    }

    private static Map<String, Object> split(MixRate.Split s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("answersBefore", s.answersBefore());
        m.put("answersAfter", s.answersAfter());
        m.put("before", s.scoreBefore());
        m.put("after", s.scoreAfter());
        m.put("change", s.change());
        m.put("marginBefore", s.marginBefore());
        m.put("marginAfter", s.marginAfter());
        m.put("withinMargins", s.withinMargins());
        List<Object> lines = new ArrayList<>();
        for (MixRate.Line l : s.lines()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("touchpoint", l.key());
            line.put("answersBefore", l.before().answers());
            line.put("answersAfter", l.after().answers());
            line.put("shareBefore", l.shareBefore());
            line.put("shareAfter", l.shareAfter());
            line.put("scoreBefore", l.before().score());
            line.put("scoreAfter", l.after().score());
            line.put("mix", l.mix());
            line.put("rate", l.rate());
            line.put("total", l.total());
            lines.add(line);
        }
        m.put("touchpoints", lines);
        return m;
    }

    private static String available(List<Long> starts, WindowGrid grid) {
        return "the store holds " + starts.size() + " window(s) of this segment, starting every " + grid.advanceMs() / 1000
                + "s from " + Instant.ofEpochMilli(starts.get(starts.size() - 1)) + " to " + Instant.ofEpochMilli(starts.get(0));
    }
}
