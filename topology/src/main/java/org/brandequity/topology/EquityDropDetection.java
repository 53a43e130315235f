package org.brandequity.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.brandequity.avro.AlertScope;
import org.brandequity.avro.CellChange;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.internal.DropDetectorState;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.avro.internal.EquityWindowSamples;
import org.brandequity.model.Decay;
import org.brandequity.model.DropDetector;
import org.brandequity.model.EquityChange;
import org.brandequity.model.EquityChange.StockVolume;
import org.brandequity.model.EquityStock;
import org.brandequity.model.Sums;
import org.brandequity.model.WindowGrid;

/**
 * Runs the drop detector on the brand and on each touchpoint, once per window of event time, on the
 * <em>on-time</em> experience only.
 *
 * <p>What is judged is the experience <em>delivered during the window</em>, not the decayed stock:
 * with a 30-day half-life a 15-minute window adds about 1/4000 of the stock's volume, so even a
 * complete collapse of experience would take days to move the equity index by a few points. Decay is
 * linear, so the experience folded in between two ledgers is exact:
 * flow = ledger(t1) - ledger(t0)·2^(-(t1 - t0)/H), for the total and for every segment and touchpoint.
 *
 * <p>Why on time only: the input is the stream of delta ledgers from {@link EquityPreAggregator}, and
 * this processor folds only the on-time ones (no {@value EquityPreAggregator#LATE_HEADER} header)
 * into a ledger of its own, L_on(t) = Σ_{e on time} c_e·x_e·2^(-(t - t_e)/H) (and V_on likewise),
 * stored as {@link EquityWindowSamples#getLatest()}. Brand equity itself (fold-brand-equity) counts
 * every event, late ones included: BE = BE_on + BE_late. A late event (more than {@code window.grace}
 * behind stream time) belongs to a window already judged, or to history being backfilled; folded into
 * the window open now, it would be judged as this window's experience, so a backfill of bad months
 * beside healthy live traffic would fire alerts, and good late news would resolve them. Windows are
 * judged once, on what arrived on time, like the segment windows. At an upgrade from a version
 * without late events, the stored ledger (then the brand's total) is all on time, so it carries on.
 *
 * <p>Sampling: the on-time ledger is sampled once per window of {@code window.advance}
 * (epoch-aligned, like the segment windows). When an on-time delta's {@code asOf} falls in a later
 * window than the on-time ledger's, that ledger closes its window and the flow since the previous
 * sample is judged; then the delta is folded in. A late delta changes nothing here, not even the
 * sampling clock.
 *
 * <ul>
 *   <li>Brand: value = 100·ΔBE/ΔV (the window's experience index, points), n = events folded in the
 *       window; every Δ here is taken on the on-time ledger. Standard error: 100·√((1 - μ²)/n) with μ = ΔBE/ΔV; for signals in [-1, 1] with mean μ
 *       the variance is at most (1 - μ²) (Bhatia-Davis), tight for ±1 answers (CSAT 1 or 5,
 *       promoters / detractors), conservative otherwise, which offsets treating the n events as
 *       equally weighted. Parts: each segment's and each touchpoint's share 100·ΔBE_i/ΔV, so the
 *       alert names the segments and touchpoints whose change explains most of the drop.</li>
 *   <li>Touchpoint: value = 100·ΔBE_tp/ΔV_tp (perceived experience in the window, points), effective
 *       sample size n·ΔV_tp/ΔV (the window's events in proportion to the touchpoint's share of the
 *       decayed volume; the equity record carries no per-touchpoint count), the same standard error
 *       formula. No contributors.</li>
 * </ul>
 *
 * <p>Top cells (issue 24): a FIRING or RESOLVED alert of either scope also carries the
 * {@value #TOP_CELLS} cells that moved the brand's (on-time) equity index most over the window, by
 * {@link EquityChange}: each cell's new experience (its flow, above) and decay ((f - 1)&middot;what it
 * held at the previous sample), in points of the index, and nothing else (no restatement: late events
 * are not in this ledger). A touchpoint alert carries that touchpoint's cells only. Computed only when
 * an alert is sent.
 */
final class EquityDropDetection extends ContextualProcessor<String, EquityLedger, String, ScoreDropAlert> {
    // A touchpoint flow smaller than this share of its own decayed volume is rounding, not experience.
    private static final double RELATIVE_EPSILON = 1e-9;
    /** How many cells an alert carries. */
    static final int TOP_CELLS = 5;

    private final String samplesStoreName;
    private final String detectorStoreName;
    private final WindowGrid windows;
    private final EquityLedgers ledgers;
    private final Decay decay;
    private final DropDetector brandDetector;
    private final DropDetector touchpointDetector;
    private final double indexPrior;
    private KeyValueStore<String, EquityWindowSamples> samples;
    private KeyValueStore<String, DropDetectorState> detectors;

    EquityDropDetection(String samplesStoreName, String detectorStoreName, Duration window, EquityLedgers ledgers,
                        Decay decay, DropDetector brandDetector, DropDetector touchpointDetector, double indexPrior) {
        this.samplesStoreName = samplesStoreName;
        this.detectorStoreName = detectorStoreName;
        this.windows = WindowGrid.tumbling(window);
        this.ledgers = ledgers;
        this.decay = decay;
        this.brandDetector = brandDetector;
        this.touchpointDetector = touchpointDetector;
        this.indexPrior = indexPrior;
    }

    @Override
    public void init(ProcessorContext<String, ScoreDropAlert> context) {
        super.init(context);
        samples = context.getStateStore(samplesStoreName);
        detectors = context.getStateStore(detectorStoreName);
    }

    @Override
    public void process(Record<String, EquityLedger> delta) {
        // Late experience is in the brand's equity (fold-brand-equity), never in what is judged.
        if (EquityPreAggregator.isLate(delta.headers())) return;
        String brand = delta.key();
        EquityWindowSamples s = samples.get(brand);
        if (s == null) s = new EquityWindowSamples(null, null);
        EquityLedger latest = s.getLatest();
        if (latest != null && windows.paneStart(delta.value().getAsOf()) > windows.paneStart(latest.getAsOf())) {
            judge(brand, s.getPrevious(), latest);
            s.setPrevious(latest);
        }
        s.setLatest(latest == null ? delta.value() : ledgers.merge(latest, delta.value()));
        samples.put(brand, s);
    }

    private void judge(String brand, EquityLedger previous, EquityLedger latest) {
        EquityStock now = ledgers.toStock(latest);
        EquityStock before = previous == null ? ledgers.newStock() : ledgers.toStock(previous);
        double f = previous == null ? 0 : decay.factor(previous.getAsOf(), latest.getAsOf());
        long events = latest.getEvents() - (previous == null ? 0 : previous.getEvents());
        long start = windows.paneStart(latest.getAsOf());
        long end = windows.windowEnd(start);

        // The stock's breakdowns are sums over its cells: take each once.
        Map<String, Sums> segmentsBefore = before.segments();
        Map<Touchpoint, Sums> touchpointsBefore = before.touchpoints();
        Map<Touchpoint, Sums> touchpointsNow = now.touchpoints();
        Map<String, Sums> segmentFlows = new HashMap<>();
        now.segments().forEach((k, v) -> segmentFlows.put(k, flow(v, segmentsBefore.get(k), f)));
        Map<Touchpoint, Sums> touchpointFlows = new HashMap<>();
        touchpointsNow.forEach((k, v) -> touchpointFlows.put(k, flow(v, touchpointsBefore.get(k), f)));
        Sums total = segmentFlows.values().stream().reduce(Sums.ZERO, Sums::plus);
        if (events <= 0 || !(total.volume() > RELATIVE_EPSILON * now.total().volume())) return;

        Map<String, Double> parts = new HashMap<>();
        segmentFlows.forEach((k, v) -> parts.put("segment:" + k, 100 * v.signal() / total.volume()));
        touchpointFlows.forEach((k, v) -> parts.put("touchpoint:" + k, 100 * v.signal() / total.volume()));
        judge(AlertScope.BRAND, brand, brandDetector, observation(start, end, total, events, parts),
                () -> topCells(before, now, f, c -> true));

        touchpointFlows.forEach((tp, flow) -> {
            if (!(flow.volume() > RELATIVE_EPSILON * touchpointsNow.get(tp).volume())) return;
            double effective = events * flow.volume() / total.volume();
            judge(AlertScope.TOUCHPOINT, tp.name(), touchpointDetector, observation(start, end, flow, effective, Map.of()),
                    () -> topCells(before, now, f, c -> c.touchpoint() == tp));
        });
    }

    /**
     * The cells (those {@code which} admits) that moved the brand's index most between the two
     * samples, as {@link EquityChange} accounts them over all cells: the contributions are shares of
     * the brand's index change, so a touchpoint's cells keep the brand's scale.
     */
    private List<CellChange> topCells(EquityStock before, EquityStock now, double f, Predicate<EquityStock.Cell> which) {
        Map<String, StockVolume> held = new HashMap<>();
        Map<String, StockVolume> flows = new HashMap<>();
        Map<String, EquityStock.Cell> byKey = new HashMap<>();
        before.cells().forEach((c, v) -> {
            held.put(c.key(), new StockVolume(v.signal(), v.volume()));
            byKey.put(c.key(), c);
        });
        now.cells().forEach((c, v) -> {
            Sums flow = flow(v, before.cells().get(c), f);
            flows.put(c.key(), new StockVolume(flow.signal(), flow.volume()));
            byKey.put(c.key(), c);
        });
        // With no previous sample (f = 0) nothing was held: the decay factor is irrelevant, and 1 keeps the account valid.
        EquityChange.Account account = EquityChange.of(held, flows, Map.of(), f > 0 ? f : 1, indexPrior);
        List<CellChange> top = new ArrayList<>();
        for (EquityChange.Group g : account.groups()) {
            EquityStock.Cell c = byKey.get(g.key());
            if (!which.test(c)) continue;
            top.add(new CellChange(c.segment(), c.touchpoint(), c.stage(), g.newExperience().index(), g.decay().index(),
                    g.total().index()));
            if (top.size() == TOP_CELLS) break;
        }
        return top;
    }

    private static Sums flow(Sums now, Sums before, double f) {
        return before == null ? now : now.plus(before.scaled(-f));
    }

    /** The window's experience in points, with the conservative standard error described on the class. */
    static DropDetector.Observation observation(long start, long end, Sums flow, double sampleSize, Map<String, Double> parts) {
        double mean = Math.max(-1, Math.min(1, flow.signal() / flow.volume()));
        double se = 100 * Math.sqrt((1 - mean * mean) / sampleSize);
        return new DropDetector.Observation(start, end, 100 * mean, se, Math.round(sampleSize), parts);
    }

    private void judge(AlertScope scope, String subject, DropDetector detector, DropDetector.Observation o,
                       Supplier<List<CellChange>> topCells) {
        String key = ScoreDropAlerts.key(scope, subject);
        DropDetector.Step step = detector.evaluate(ScoreDropAlerts.state(detectors.get(key)), o);
        detectors.put(key, ScoreDropAlerts.stored(step.state(), null));
        step.alert().ifPresent(a -> context().forward(new Record<>(key,
                ScoreDropAlerts.render(scope, subject, a, context().currentSystemTimeMs(), topCells.get()), a.windowEnd())));
    }
}
