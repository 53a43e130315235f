package org.brandequity.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.brandequity.avro.AlertScope;
import org.brandequity.avro.AlertState;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.EquityCell;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.SegmentContribution;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.SegmentStageExperience;
import org.brandequity.avro.SegmentTouchpointExperience;
import org.brandequity.avro.StageContribution;
import org.brandequity.avro.TouchpointContribution;
import org.brandequity.model.Sums;
import org.brandequity.runtime.OutputWatcher;

/**
 * Brand-level gauges read from the pipeline's output records, the way a downstream consumer sees
 * them (so a dashboard shows what was committed, not what a processor held in memory).
 *
 * <p>Label values are bounded: {@code Touchpoint} and {@code LifecycleStage} symbols, and segment
 * labels. Segment names are free strings from the profiles, so only the segments of
 * {@code metrics.segments} get a label of their own; every other segment is folded into
 * {@value #OTHER}: additive values (contributions, volumes, counts) are summed, ratios recomputed
 * from the summed parts (perceived = &Sigma; contribution / &Sigma; volume, net experience from the
 * summed customer counts), never averaged. The topics and the query API keep every segment. Never a
 * customer or event id. A gauge is registered the first time its label value appears in an output
 * record, so Prometheus gets no NaN series for touchpoints the brand never sees.
 *
 * <p>The segment-labelled gauges are folded in {@link #refresh()}, which {@link MetricsServer} calls
 * before each scrape: a segment-score record arrives for every customer window that lands, so
 * folding {@value #OTHER} on each record would cost the number of segments each time; at scrape time
 * it costs that once per scrape.
 *
 * <p>Every brand-level gauge is the same on every instance (each instance reads the whole output
 * topics), so dashboards aggregate them with {@code max by (...)}.
 */
public final class DomainMetrics implements OutputWatcher.Listener {
    /** The segment label of every segment outside {@code metrics.segments}. */
    public static final String OTHER = "other";

    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final Set<String> labelledSegments;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    /**
     * How many segments outside {@code metrics.segments} the segment maps below remember (issue 21:
     * unbounded, they grew with every segment name a profile sent). Beyond it, the segment updated
     * least recently is forgotten: {@value #OTHER}'s gauges then fold the latest windows and alerts of
     * the 1,000 most recently active such segments. Labelled segments, touchpoints and the brand are
     * never forgotten (their number is bounded by config and by the schema).
     */
    static final int MAX_UNLABELLED_SEGMENTS = 1_000;
    /** The latest alert record per scope:subject; segment subjects outside metrics.segments bounded. */
    private final Map<String, ScoreDropAlert> alerts = boundedByRecentUse(
            key -> !key.startsWith(AlertScope.SEGMENT.name() + ":") || labelledSegments().contains(key.substring(key.indexOf(':') + 1)));
    private final Map<String, TouchpointContribution> touchpoints = new ConcurrentHashMap<>();
    private final Map<String, StageContribution> stages = new ConcurrentHashMap<>();
    /** The latest window of each segment, under its own name (folded into labels by {@link #refresh()}); bounded. */
    private final Map<String, SegmentExperienceScore> segmentScores = boundedByRecentUse(segment -> labelledSegments().contains(segment));
    private final AtomicBoolean scoresChanged = new AtomicBoolean();
    private final AtomicBoolean alertsChanged = new AtomicBoolean();
    private volatile BrandEquity equity;
    /** The equity record the segment-labelled gauges were last folded from; guarded by this. */
    private BrandEquity foldedEquity;
    private volatile long equityReceivedAtMillis;
    private volatile double endToEndLatencySeconds = Double.NaN;

    /** Per segment label: &Sigma; contribution (as signal) and &Sigma; volume of its segments. */
    private final GaugeTable<String, Sums> segmentEquity;
    private final GaugeTable<String, SegmentScoreFold> segmentScoreGauges;
    private final GaugeTable<AlertKey, AlertFold> alertGauges;
    /** Per (segment label, touchpoint, stage): the summed cells. */
    private final GaugeTable<CellKey, Sums> cellGauges;
    private final GaugeTable<PairKey, PairFold> segmentTouchpointGauges;
    private final GaugeTable<PairKey, PairFold> segmentStageGauges;

    private record CellKey(String segment, String touchpoint, String stage) {}

    /** A segment label and a touchpoint or stage symbol. */
    private record PairKey(String segment, String part) {}

    /**
     * &Sigma; contribution (as signal) and &Sigma; volume of the segments folded into one label at one
     * touchpoint or stage, and its promise (null: none configured). Perceived = &Sigma; contribution /
     * &Sigma; volume, the promise gap = promise - perceived: for one segment exactly its record's values.
     */
    private record PairFold(Sums sums, Double promise) {
        PairFold plus(PairFold o) {
            return new PairFold(sums.plus(o.sums), promise);
        }

        double perceived() {
            return sums.perceived();
        }

        double promiseGap() {
            return promise - sums.perceived();
        }
    }

    private record AlertKey(String scope, String subject) {}

    /** Per (scope, subject label): 1 when any of its subjects' latest alert is firing, else 0; the largest drop. */
    private record AlertFold(double firing, double drop) {
        AlertFold plus(AlertFold o) {
            return new AlertFold(Math.max(firing, o.firing), Math.max(drop, o.drop));
        }
    }

    /**
     * {@code clock} gives wall-clock epoch milliseconds (a parameter so tests can fix it);
     * {@code labelledSegments} are the segments with a label of their own ({@code metrics.segments}).
     */
    public DomainMetrics(MeterRegistry registry, LongSupplier clock, Set<String> labelledSegments) {
        this.registry = registry;
        this.clock = clock;
        this.labelledSegments = Set.copyOf(labelledSegments);
        segmentEquity = new GaugeTable<String, Sums>(registry, label -> Tags.of("segment", label))
                .gauge("brandequity_segment_contribution", "This segment's share of the equity stock; the segments sum to the stock",
                        Sums::signal)
                .gauge("brandequity_segment_perceived", "Decayed weighted mean experience of the segment, in [-1, 1] "
                        + "(for other: summed contribution / summed volume)", Sums::perceived);
        segmentScoreGauges = new GaugeTable<String, SegmentScoreFold>(registry, label -> Tags.of("segment", label))
                .gauge("brandequity_segment_net_experience", "Net experience of the segment's latest window: % positive - % negative "
                        + "customers, -100..100 (for other: from the summed counts)", SegmentScoreFold::netExperience)
                .gauge("brandequity_segment_net_experience_margin", "95% margin of error of the latest window's net experience, in points",
                        SegmentScoreFold::netExperienceMargin)
                .gauge("brandequity_segment_sample_size", "Customers (n) behind the latest window's net experience",
                        SegmentScoreFold::sampleSize)
                .gauge("brandequity_segment_mean_score", "Unweighted mean customer score of the latest window, in [-1, 1]",
                        SegmentScoreFold::meanScore)
                .gauge("brandequity_segment_window_start_seconds", "Start of the segment's latest window, epoch seconds",
                        f -> f.windowStartMillis() / 1000.0)
                // A score with no answer behind it has no series (not NaN); its _responses gauge says 0.
                .gauge("brandequity_segment_nps", "NPS of the segment's latest window over its answers: % promoters (9-10) - "
                        + "% detractors (0-6), -100..100; absent with no answer", f -> f.nps(), f -> f.nps() != null)
                .gauge("brandequity_segment_nps_margin", "95% margin of error of the latest window's NPS, in points",
                        f -> f.npsMargin(), f -> f.npsMargin() != null)
                .gauge("brandequity_segment_nps_responses", "likelihoodToRecommend answers behind the latest window's NPS",
                        SegmentScoreFold::npsResponses)
                .gauge("brandequity_segment_csat", "CSAT of the segment's latest window: % of ratings that are 4-5; absent with no rating",
                        f -> f.csat(), f -> f.csat() != null)
                .gauge("brandequity_segment_csat_lower", "Lower bound of the latest window's CSAT, Wilson 95% interval, in %",
                        f -> f.csatLower(), f -> f.csatLower() != null)
                .gauge("brandequity_segment_csat_upper", "Upper bound of the latest window's CSAT, Wilson 95% interval, in %",
                        f -> f.csatUpper(), f -> f.csatUpper() != null)
                .gauge("brandequity_segment_csat_responses", "Ratings behind the latest window's CSAT", SegmentScoreFold::csatResponses)
                .gauge("brandequity_segment_ces", "CES of the segment's latest window: mean effort answer, 1..7 (7 = easy); absent "
                        + "with no answer", f -> f.ces(), f -> f.ces() != null)
                .gauge("brandequity_segment_ces_lower", "Lower bound of the latest window's CES, 95% confidence interval (Student t); "
                        + "absent with fewer than 2 answers", f -> f.cesLower(), f -> f.cesLower() != null)
                .gauge("brandequity_segment_ces_upper", "Upper bound of the latest window's CES, 95% confidence interval (Student t); "
                        + "absent with fewer than 2 answers", f -> f.cesUpper(), f -> f.cesUpper() != null)
                .gauge("brandequity_segment_ces_responses", "Effort answers behind the latest window's CES", SegmentScoreFold::cesResponses);
        cellGauges = new GaugeTable<CellKey, Sums>(registry, k -> Tags.of("segment", k.segment(), "touchpoint", k.touchpoint(),
                        "stage", k.stage()))
                .gauge("brandequity_cell_contribution", "This segment x touchpoint x stage cell's share of the equity stock; "
                        + "the cells sum to the stock", Sums::signal)
                .gauge("brandequity_cell_volume", "Decayed weighted volume of this segment x touchpoint x stage cell", Sums::volume);
        segmentTouchpointGauges = new GaugeTable<PairKey, PairFold>(registry, k -> Tags.of("segment", k.segment(), "touchpoint", k.part()))
                .gauge("brandequity_segment_touchpoint_perceived", "Decayed weighted mean experience of the segment at this touchpoint, "
                        + "in [-1, 1]", PairFold::perceived)
                .gauge("brandequity_segment_touchpoint_promise_gap", "The touchpoint's promise minus the segment's perceived experience "
                        + "there; positive when it falls short", PairFold::promiseGap);
        segmentStageGauges = new GaugeTable<PairKey, PairFold>(registry, k -> Tags.of("segment", k.segment(), "stage", k.part()))
                .gauge("brandequity_segment_stage_perceived", "Decayed weighted mean experience of the segment at this lifecycle stage, "
                        + "in [-1, 1]", PairFold::perceived)
                .gauge("brandequity_segment_stage_promise_gap", "The stage's promise (model.stage.<S>.promise) minus the segment's "
                        + "perceived experience there; only stages with a promise", PairFold::promiseGap, f -> f.promise() != null);
        alertGauges = new GaugeTable<AlertKey, AlertFold>(registry, k -> Tags.of("scope", k.scope(), "subject", k.subject()))
                .gauge("brandequity_score_drop_alert_firing",
                        "1 while the pipeline's score-drop detector has an open alert for this scope and subject", AlertFold::firing)
                .gauge("brandequity_score_drop_alert_drop_points", "Baseline minus value of the latest score-drop alert, in points "
                        + "(for scope SEGMENT, subject other: the largest of its segments')", AlertFold::drop);
        Gauge.builder("brandequity_equity_stock", this, m -> equityValue(BrandEquity::getStock))
                .description("Brand equity stock BE at asOf (latest brand-equity record)").register(registry);
        Gauge.builder("brandequity_equity_index", this, m -> equityValue(BrandEquity::getIndex))
                .description("Brand equity index, 100 * stock / (volume + K), in (-100, 100)").register(registry);
        Gauge.builder("brandequity_equity_volume", this, m -> equityValue(BrandEquity::getVolume))
                .description("Decayed weighted volume behind the equity stock").register(registry);
        FunctionCounter.builder("brandequity_equity_events", this, m -> equityValue(e -> e.getEvents()))
                .description("Events folded into brand equity so far, as reported by the latest brand-equity record")
                .register(registry);
        Gauge.builder("brandequity_equity_as_of_seconds", this, m -> equityValue(e -> e.getAsOf().toEpochMilli() / 1000.0))
                .description("Event time the latest brand equity is decayed to, epoch seconds").register(registry);
        Gauge.builder("brandequity_equity_last_update_timestamp_seconds", this,
                        m -> m.equity == null ? Double.NaN : m.equityReceivedAtMillis / 1000.0)
                .description("Wall-clock time this instance last read a brand-equity record, epoch seconds; "
                        + "time() minus it is how long the pipeline has been silent").register(registry);
        Gauge.builder("brandequity_end_to_end_latency_seconds", this, m -> m.endToEndLatencySeconds)
                .description("Wall-clock time the latest brand-equity record was read minus its asOf (the event time "
                        + "of the newest event folded in): how far the committed equity trails the customers")
                .register(registry);
    }

    @Override
    public void onEquity(BrandEquity e) {
        long now = clock.getAsLong();
        equity = e;
        equityReceivedAtMillis = now;
        endToEndLatencySeconds = Math.max(0, now - e.getAsOf().toEpochMilli()) / 1000.0;
        for (TouchpointContribution t : e.getTouchpoints()) {
            String name = t.getTouchpoint().name();
            touchpoints.put(name, t);
            registerOnce("touchpoint/" + name, () -> {
                touchpointGauge("brandequity_touchpoint_contribution", "This touchpoint's share of the equity stock", name,
                        TouchpointContribution::getContribution);
                touchpointGauge("brandequity_touchpoint_perceived", "Actual brand at this touchpoint: decayed weighted mean experience, in [-1, 1]",
                        name, TouchpointContribution::getPerceived);
                touchpointGauge("brandequity_touchpoint_promise", "Aspirational brand at this touchpoint: the configured target, in [-1, 1]",
                        name, TouchpointContribution::getPromise);
                touchpointGauge("brandequity_touchpoint_promise_gap", "Promise minus perceived; positive when experience falls short",
                        name, TouchpointContribution::getPromiseGap);
                touchpointGauge("brandequity_touchpoint_volume", "Decayed weighted volume at this touchpoint", name,
                        TouchpointContribution::getVolume);
            });
        }
        for (StageContribution s : e.getStages()) {
            String name = s.getStage().name();
            stages.put(name, s);
            registerOnce("stage/" + name, () -> {
                stageGauge("brandequity_stage_contribution", "This lifecycle stage's share of the equity stock", name,
                        StageContribution::getContribution);
                stageGauge("brandequity_stage_perceived", "Decayed weighted mean experience at this lifecycle stage, in [-1, 1]",
                        name, StageContribution::getPerceived);
            });
        }
    }

    @Override
    public void onSegmentScore(SegmentExperienceScore s) {
        // The latest window per segment: an update of an older window (a late customer) does not
        // move the gauge back in time.
        segmentScores.merge(s.getSegment(), s, (old, now) -> now.getWindowStart().isBefore(old.getWindowStart()) ? old : now);
        scoresChanged.set(true);
    }

    @Override
    public void onAlert(ScoreDropAlert a) {
        // The stream's detector already judged significance, persistence and hysteresis; this gauge
        // hands its verdict to Prometheus so that paging follows one rule, not two that disagree.
        alerts.put(a.getScope() + ":" + a.getSubject(), a);
        alertsChanged.set(true);
    }

    private Set<String> labelledSegments() {
        return labelledSegments;
    }

    /**
     * A map in least-recently-used order that keeps every key {@code kept} accepts and at most
     * {@link #MAX_UNLABELLED_SEGMENTS} others, dropping the least recently used of those. Synchronized:
     * the stream threads write it, the scrape reads it (iterate under its lock).
     */
    private static <V> Map<String, V> boundedByRecentUse(java.util.function.Predicate<String> kept) {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<String, V>(64, 0.75f, true) {
            private int others;

            @Override
            public V put(String key, V value) {
                boolean added = !containsKey(key);
                V old = super.put(key, value);
                if (added && !kept.test(key) && ++others > MAX_UNLABELLED_SEGMENTS) {
                    for (java.util.Iterator<String> it = keySet().iterator(); it.hasNext(); ) {
                        if (!kept.test(it.next())) {
                            it.remove();
                            others--;
                            break;
                        }
                    }
                }
                return old;
            }

            @Override
            public V merge(String key, V value, java.util.function.BiFunction<? super V, ? super V, ? extends V> remap) {
                V old = get(key);
                V now = old == null ? value : remap.apply(old, value);
                put(key, now);
                return now;
            }
        });
    }

    /** A copy of {@code map}'s values, taken under its lock. */
    private static <V> List<V> valuesOf(Map<String, V> map) {
        synchronized (map) {
            return new ArrayList<>(map.values());
        }
    }

    /** How many segments' latest windows are remembered (labelled and others): for tests. */
    int rememberedSegmentScores() {
        return segmentScores.size();
    }

    /** The label of {@code segment}: its name when {@code metrics.segments} names it, else {@value #OTHER}. */
    public String segmentLabel(String segment) {
        return labelledSegments.contains(segment) ? segment : OTHER;
    }

    /**
     * Folds what arrived since the last call into the segment-labelled gauges (label rows appear and
     * disappear here). Call before reading the registry; {@link MetricsServer} does before each scrape.
     */
    public synchronized void refresh() {
        BrandEquity e = equity;
        if (e != null && e != foldedEquity) {
            foldedEquity = e;
            foldEquity(e);
        }
        // The flag is cleared before the maps are read: a record landing meanwhile sets it again.
        if (scoresChanged.getAndSet(false)) foldScores();
        if (alertsChanged.getAndSet(false)) foldAlerts();
    }

    private void foldEquity(BrandEquity e) {
        Map<String, Sums> bySegment = new TreeMap<>();
        for (SegmentContribution s : e.getSegments()) {
            bySegment.merge(segmentLabel(s.getSegment()), new Sums(s.getContribution(), s.getVolume()), Sums::plus);
        }
        segmentEquity.update(bySegment);
        Map<CellKey, Sums> cells = new java.util.HashMap<>();
        for (EquityCell c : e.getCells()) {
            cells.merge(new CellKey(segmentLabel(c.getSegment()), c.getTouchpoint().name(), c.getStage().name()),
                    new Sums(c.getContribution(), c.getVolume()), Sums::plus);
        }
        cellGauges.update(cells);
        Map<PairKey, PairFold> byTouchpoint = new java.util.HashMap<>();
        for (SegmentTouchpointExperience x : e.getSegmentTouchpoints()) {
            byTouchpoint.merge(new PairKey(segmentLabel(x.getSegment()), x.getTouchpoint().name()),
                    new PairFold(new Sums(x.getContribution(), x.getVolume()), x.getPromise()), PairFold::plus);
        }
        segmentTouchpointGauges.update(byTouchpoint);
        Map<PairKey, PairFold> byStage = new java.util.HashMap<>();
        for (SegmentStageExperience x : e.getSegmentStages()) {
            byStage.merge(new PairKey(segmentLabel(x.getSegment()), x.getStage().name()),
                    new PairFold(new Sums(x.getContribution(), x.getVolume()), x.getPromise()), PairFold::plus);
        }
        segmentStageGauges.update(byStage);
    }

    private void foldScores() {
        // Per label, the latest windows of its segments that start at the newest start among them: a
        // segment whose latest window is older has no customers in the newest one.
        Map<String, List<SegmentExperienceScore>> newest = new TreeMap<>();
        for (SegmentExperienceScore s : valuesOf(segmentScores)) {
            newest.compute(segmentLabel(s.getSegment()), (label, members) -> {
                int order = members == null ? 1 : s.getWindowStart().compareTo(members.get(0).getWindowStart());
                if (order > 0) return new ArrayList<>(List.of(s));
                if (order == 0) members.add(s);
                return members;
            });
        }
        Map<String, SegmentScoreFold> folds = new TreeMap<>();
        newest.forEach((label, members) -> folds.put(label, SegmentScoreFold.of(members)));
        segmentScoreGauges.update(folds);
    }

    private void foldAlerts() {
        Map<AlertKey, AlertFold> byKey = new java.util.HashMap<>();
        for (ScoreDropAlert a : valuesOf(alerts)) {
            String subject = a.getScope() == AlertScope.SEGMENT ? segmentLabel(a.getSubject()) : a.getSubject();
            byKey.merge(new AlertKey(a.getScope().name(), subject),
                    new AlertFold(a.getState() == AlertState.FIRING ? 1 : 0, a.getDrop()), AlertFold::plus);
        }
        alertGauges.update(byKey);
    }

    private void registerOnce(String key, Runnable register) {
        if (registered.add(key)) register.run();
    }

    private void touchpointGauge(String name, String help, String touchpoint, ToDoubleFunction<TouchpointContribution> f) {
        Gauge.builder(name, touchpoints, m -> valueOf(m.get(touchpoint), f))
                .description(help).tag("touchpoint", touchpoint).register(registry);
    }

    private void stageGauge(String name, String help, String stage, ToDoubleFunction<StageContribution> f) {
        Gauge.builder(name, stages, m -> valueOf(m.get(stage), f))
                .description(help).tag("stage", stage).register(registry);
    }

    private double equityValue(ToDoubleFunction<BrandEquity> f) {
        return valueOf(equity, f);
    }

    private static <T> double valueOf(T value, ToDoubleFunction<T> f) {
        return value == null ? Double.NaN : f.applyAsDouble(value);
    }
}
