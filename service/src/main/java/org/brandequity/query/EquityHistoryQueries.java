package org.brandequity.query;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.Decay;
import org.brandequity.model.Durations;
import org.brandequity.model.EquityChange;
import org.brandequity.model.EquityHistory;
import org.brandequity.model.EquityHistory.Grouping;
import org.brandequity.model.EquityStock;
import org.brandequity.model.HistoryPolicy;
import org.brandequity.model.Sums;
import org.brandequity.topology.PipelineStores;
import org.brandequity.topology.PipelineStores.HistoryRange;

/**
 * {@code GET /equity/change} and {@code GET /equity/history} (docs/queries.md): their parameters,
 * each with a limit, and their answers from the equity history (docs/model.md "Why it moved").
 *
 * <p>Times are ISO-8601 instants ({@code 2026-12-05T10:00:00Z}) or epoch milliseconds, and are taken
 * to the history point at or before them (the grid of {@code equity.history.interval}), so that a
 * dashboard can pass its own time range. A time outside the history, or a range whose ends fall on
 * the same point, is a 400 that says which points the history holds; with {@code clamp=true} (what
 * the dashboards send) a time outside is taken to the nearest end of the history instead.
 */
final class EquityHistoryQueries {
    static final String FROM = "from";
    static final String TO = "to";
    static final String BY = "by";
    static final String TOP = "top";
    static final String STEP = "step";
    static final String CLAMP = "clamp";
    static final Set<String> CHANGE_PARAMETERS = Set.of(FROM, TO, BY, TOP, CLAMP);
    static final Set<String> HISTORY_PARAMETERS = Set.of(FROM, TO, STEP, BY, CLAMP);
    static final int DEFAULT_TOP = 10;
    static final int MAX_TOP = 1_000;
    /** Most points one {@code /equity/history} answer holds: a year of hourly points. */
    static final int MAX_POINTS = 10_000;
    /** The longest parameter value read: an instant, a duration or a grouping is far shorter. */
    static final int MAX_VALUE_CHARS = 40;

    /** {@code /equity/change}: {@code from} required, {@code to} the newest point when null. */
    record Change(long from, Long to, Grouping by, int top, boolean clamp) {}

    /** {@code /equity/history}: each null means its default (the oldest point, the newest, the history's own step, no grouping). */
    record Series(Long from, Long to, Long step, Grouping by, boolean clamp) {}

    private final String brandId;
    private final HistoryPolicy history;
    private final Decay decay;
    private final double prior;
    private final Duration halfLife;

    EquityHistoryQueries(PipelineConfig config) {
        this.halfLife = config.model().halfLife();
        this.brandId = config.brandId();
        this.history = config.history();
        this.decay = new Decay(config.model().halfLife());
        this.prior = config.model().indexPrior();
    }

    /** @throws QueryParameters.BadRequest for an unknown, repeated, too long or malformed parameter, or a missing {@code from} */
    static Change parseChange(String rawQuery) {
        Map<String, String> p = QueryParameters.parse(rawQuery, CHANGE_PARAMETERS);
        if (p.get(FROM) == null || p.get(FROM).isEmpty()) {
            throw new QueryParameters.BadRequest("from is required: a time within the history (GET /equity/history lists its points)");
        }
        return new Change(time(FROM, p.get(FROM)), p.get(TO) == null ? null : time(TO, p.get(TO)),
                p.get(BY) == null ? Grouping.CELL : grouping(p.get(BY)), QueryParameters.wholeNumber(TOP, p.get(TOP) == null ? null : bounded(TOP, p.get(TOP)), DEFAULT_TOP, 1, MAX_TOP), clamp(p.get(CLAMP)));
    }

    /** @throws QueryParameters.BadRequest as {@link #parseChange} */
    static Series parseSeries(String rawQuery) {
        Map<String, String> p = QueryParameters.parse(rawQuery, HISTORY_PARAMETERS);
        return new Series(p.get(FROM) == null ? null : time(FROM, p.get(FROM)), p.get(TO) == null ? null : time(TO, p.get(TO)),
                p.get(STEP) == null ? null : step(p.get(STEP)), p.get(BY) == null ? null : grouping(p.get(BY)), clamp(p.get(CLAMP)));
    }

    private static String bounded(String name, String value) {
        if (value.length() > MAX_VALUE_CHARS) {
            throw new QueryParameters.BadRequest(name + " is longer than " + MAX_VALUE_CHARS + " characters");
        }
        return value.trim();
    }

    static long time(String name, String value) {
        String v = bounded(name, value);
        try {
            if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) return Long.parseLong(v);
            return Instant.parse(v).toEpochMilli();
        } catch (NumberFormatException | DateTimeException e) {
            throw new QueryParameters.BadRequest(name + " must be an ISO-8601 instant such as 2026-12-05T10:00:00Z, or epoch milliseconds");
        }
    }

    private static long step(String value) {
        String v = bounded(STEP, value);
        try {
            Duration d = Durations.parse(STEP, v);
            if (d.toMillis() >= 1) return d.toMillis();
        } catch (RuntimeException e) {
            // below
        }
        throw new QueryParameters.BadRequest("step must be a duration such as 1h, 6h or 1d (a multiple of the history's interval)");
    }

    private static Grouping grouping(String value) {
        Grouping g = Grouping.parse(bounded(BY, value));
        if (g == null) {
            List<String> accepted = new ArrayList<>();
            for (Grouping x : Grouping.values()) accepted.add(x.parameter());
            throw new QueryParameters.BadRequest("unknown by '" + value + "'; accepted: " + String.join(" | ", accepted));
        }
        return g;
    }

    private static boolean clamp(String value) {
        if (value == null || value.equals("false")) return false;
        if (value.equals("true")) return true;
        throw new QueryParameters.BadRequest("clamp must be true or false");
    }

    /** The account of the change between two points of {@code partition}'s history. */
    Map<String, Object> change(Change q, PipelineStores stores, int partition) {
        HistoryRange range = range(stores, partition);
        long to = q.to() == null ? range.newest() : onGrid(TO, q.to(), range, q.clamp());
        long from = onGrid(FROM, q.from(), range, q.clamp());
        if (from >= to) {
            throw new QueryParameters.BadRequest("from must fall on an earlier history point than to (both are taken to the point at or "
                    + "before them, every " + Durations.format(history.interval()) + "); " + available(range));
        }
        EquityHistory.Point t1 = point(stores, from, partition, range);
        EquityHistory.Point t2 = point(stores, to, partition, range);
        EquityChange.Account account = EquityHistory.account(t1, t2, q.by(), decay, prior);
        EquityChange.Account shown = account.top(q.top());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("brandId", brandId);
        out.put(FROM, Instant.ofEpochMilli(from).toString());
        out.put(TO, Instant.ofEpochMilli(to).toString());
        out.put(BY, q.by().parameter());
        out.put("decayFactor", decay.factor(from, to));
        out.put("atFrom", totals(account.atT1(), account.indexT1(), "as first published"));
        out.put("atTo", totals(account.atT2(), account.indexT2(), "as known now"));
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("stock", account.atT2().stock() - account.atT1().stock());
        change.put("volume", account.atT2().volume() - account.atT1().volume());
        change.put("index", account.indexChange());
        out.put("change", change);
        out.put("groupCount", account.groups().size());
        List<Object> groups = new ArrayList<>();
        for (EquityChange.Group g : shown.groups()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("key", g.key());
            line.put("newExperience", part(g.newExperience()));
            line.put("decay", part(g.decay()));
            line.put("restatement", part(g.restatement()));
            line.put("total", part(g.total()));
            groups.add(line);
        }
        out.put("groups", groups);
        return out;
    }

    /** The series of history points, optionally grouped. */
    Map<String, Object> series(Series q, PipelineStores stores, int partition) {
        HistoryRange range = range(stores, partition);
        long from = q.from() == null ? range.oldest() : onGrid(FROM, q.from(), range, q.clamp());
        long to = q.to() == null ? range.newest() : onGrid(TO, q.to(), range, q.clamp());
        long step = q.step() == null ? history.step() : q.step();
        if (step % history.step() != 0) {
            throw new QueryParameters.BadRequest("step must be a multiple of the history's interval, "
                    + Durations.format(history.interval()));
        }
        if (from > to) throw new QueryParameters.BadRequest("from must not be after to; " + available(range));
        long count = (to - from) / step + 1;
        if (count > MAX_POINTS) {
            throw new QueryParameters.BadRequest("that is " + count + " points; at most " + MAX_POINTS
                    + " are answered at once: ask with a larger step or a shorter range");
        }
        List<Object> points = new ArrayList<>();
        for (EquityHistory.Point p : stores.historyPoints(from, to, step, partition)) {
            Sums total = p.total();
            Sums late = p.restatedTotal();
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("boundary", Instant.ofEpochMilli(p.boundary()).toString());
            point.put("index", EquityStock.index(total, prior));
            point.put("stock", total.signal());
            point.put("volume", total.volume());
            point.put("events", p.events());
            point.put("firstPublishedIndex", EquityStock.index(p.firstPublished(), prior));
            point.put("restatedStock", late.signal());
            point.put("restatedVolume", late.volume());
            point.put("restatedEvents", p.restatedEvents());
            point.put("revisions", p.revisions());
            if (q.by() != null) {
                Map<String, Map<String, Object>> groups = new TreeMap<>();
                Map<String, Sums> sums = new TreeMap<>();
                p.known().forEach((cell, v) -> sums.merge(q.by().keyOf(cell), v, Sums::plus));
                sums.forEach((k, v) -> {
                    Map<String, Object> g = new LinkedHashMap<>();
                    g.put("stock", v.signal());
                    g.put("volume", v.volume());
                    groups.put(k, g);
                });
                point.put("groups", groups);
            }
            points.add(point);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("brandId", brandId);
        out.put(FROM, Instant.ofEpochMilli(from).toString());
        out.put(TO, Instant.ofEpochMilli(to).toString());
        out.put(STEP, Durations.format(Duration.ofMillis(step)));
        out.put("interval", Durations.format(history.interval()));
        out.put("halfLife", Durations.format(halfLife));
        if (q.by() != null) out.put(BY, q.by().parameter());
        out.put("points", points);
        return out;
    }

    private HistoryRange range(PipelineStores stores, int partition) {
        return stores.historyRange(partition).orElseThrow(() -> new NotFound("no equity history yet for brand " + brandId
                + ": the first point is kept once event time passes a boundary of " + Durations.format(history.interval())));
    }

    /** The point at or before {@code time}, which must be within the history unless {@code clamp}. */
    private long onGrid(String name, long time, HistoryRange range, boolean clamp) {
        long b = history.floor(time);
        if (clamp) return Math.max(range.oldest(), Math.min(range.newest(), b));
        if (b < range.oldest() || b > range.newest()) {
            throw new QueryParameters.BadRequest(name + " " + Instant.ofEpochMilli(time) + " is outside the history; " + available(range));
        }
        return b;
    }

    private EquityHistory.Point point(PipelineStores stores, long boundary, int partition, HistoryRange range) {
        // Points are contiguous; one can only be missing while retention deletes it.
        return stores.historyPoint(boundary, partition).orElseThrow(() -> new QueryParameters.BadRequest(
                "no history point at " + Instant.ofEpochMilli(boundary) + "; " + available(range)));
    }

    private String available(HistoryRange range) {
        return "the history holds a point every " + Durations.format(history.interval()) + " from "
                + Instant.ofEpochMilli(range.oldest()) + " to " + Instant.ofEpochMilli(range.newest());
    }

    private static Map<String, Object> totals(EquityChange.StockVolume sums, double index, String as) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stock", sums.stock());
        m.put("volume", sums.volume());
        m.put("index", index);
        m.put("as", as);
        return m;
    }

    private static Map<String, Object> part(EquityChange.Part p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stock", p.stock());
        m.put("volume", p.volume());
        m.put("index", p.index());
        return m;
    }
}
