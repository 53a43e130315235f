package org.brandequity.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.SegmentContribution;
import org.brandequity.avro.AlertState;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.StageContribution;
import org.brandequity.avro.TouchpointContribution;

/**
 * Brand-level gauges read from the pipeline's output records, the way a downstream consumer sees
 * them (so a dashboard shows what was committed, not what a processor held in memory).
 *
 * <p>Label values are bounded: segment names (configured in the model and the profiles),
 * {@code Touchpoint} and {@code LifecycleStage} symbols. Never a customer or event id. A gauge is
 * registered the first time its label value appears in an output record, so Prometheus gets no
 * NaN series for touchpoints the brand never sees.
 *
 * <p>Every brand-level gauge is the same on every instance (each instance reads the whole output
 * topics), so dashboards aggregate them with {@code max by (...)}.
 */
public final class DomainMetrics implements OutputWatcher.Listener {
    private final MeterRegistry registry;
    private final LongSupplier clock;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final Map<String, ScoreDropAlert> alerts = new ConcurrentHashMap<>();
    private final Map<String, SegmentContribution> segmentContributions = new ConcurrentHashMap<>();
    private final Map<String, TouchpointContribution> touchpoints = new ConcurrentHashMap<>();
    private final Map<String, StageContribution> stages = new ConcurrentHashMap<>();
    private final Map<String, SegmentExperienceScore> segmentScores = new ConcurrentHashMap<>();
    private volatile BrandEquity equity;
    private volatile long equityReceivedAtMillis;
    private volatile double endToEndLatencySeconds = Double.NaN;

    /** {@code clock} gives wall-clock epoch milliseconds (a parameter so tests can fix it). */
    public DomainMetrics(MeterRegistry registry, LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
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
        for (SegmentContribution s : e.getSegments()) {
            segmentContributions.put(s.getSegment(), s);
            registerOnce("segment-contribution/" + s.getSegment(), () -> {
                segmentGauge("brandequity_segment_contribution", "This segment's share of the equity stock; the segments sum to the stock",
                        s.getSegment(), SegmentContribution::getContribution);
                segmentGauge("brandequity_segment_perceived", "Decayed weighted mean experience of the segment, in [-1, 1]",
                        s.getSegment(), SegmentContribution::getPerceived);
            });
        }
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
        SegmentExperienceScore latest = segmentScores.merge(s.getSegment(), s,
                (old, now) -> now.getWindowStart().isBefore(old.getWindowStart()) ? old : now);
        if (latest != s) return;
        String segment = s.getSegment();
        registerOnce("segment-score/" + segment, () -> {
            scoreGauge("brandequity_segment_net_experience", "Net experience of the segment's latest window: % positive - % negative customers, -100..100",
                    segment, SegmentExperienceScore::getNetExperience);
            scoreGauge("brandequity_segment_net_experience_margin", "95% margin of error of the latest window's net experience, in points",
                    segment, SegmentExperienceScore::getNetExperienceMarginOfError);
            scoreGauge("brandequity_segment_sample_size", "Customers (n) behind the latest window's net experience",
                    segment, x -> x.getSampleSize());
            scoreGauge("brandequity_segment_mean_score", "Unweighted mean customer score of the latest window, in [-1, 1]",
                    segment, SegmentExperienceScore::getMeanCustomerScore);
            scoreGauge("brandequity_segment_window_start_seconds", "Start of the segment's latest window, epoch seconds",
                    segment, x -> x.getWindowStart().toEpochMilli() / 1000.0);
        });
    }

    @Override
    public void onAlert(ScoreDropAlert a) {
        // The stream's detector already judged significance, persistence and hysteresis; this gauge
        // hands its verdict to Prometheus so that paging follows one rule, not two that disagree.
        String key = a.getScope() + ":" + a.getSubject();
        alerts.put(key, a);
        registerOnce("alert/" + key, () -> {
            Gauge.builder("brandequity_score_drop_alert_firing", alerts, m -> m.get(key).getState() == AlertState.FIRING ? 1 : 0)
                    .description("1 while the pipeline's score-drop detector has an open alert for this scope and subject")
                    .tag("scope", a.getScope().name()).tag("subject", a.getSubject()).register(registry);
            Gauge.builder("brandequity_score_drop_alert_drop_points", alerts, m -> m.get(key).getDrop())
                    .description("Baseline minus value of the latest score-drop alert, in points")
                    .tag("scope", a.getScope().name()).tag("subject", a.getSubject()).register(registry);
        });
    }

    private void registerOnce(String key, Runnable register) {
        if (registered.add(key)) register.run();
    }

    private void segmentGauge(String name, String help, String segment, ToDoubleFunction<SegmentContribution> f) {
        Gauge.builder(name, segmentContributions, m -> valueOf(m.get(segment), f))
                .description(help).tag("segment", segment).register(registry);
    }

    private void touchpointGauge(String name, String help, String touchpoint, ToDoubleFunction<TouchpointContribution> f) {
        Gauge.builder(name, touchpoints, m -> valueOf(m.get(touchpoint), f))
                .description(help).tag("touchpoint", touchpoint).register(registry);
    }

    private void stageGauge(String name, String help, String stage, ToDoubleFunction<StageContribution> f) {
        Gauge.builder(name, stages, m -> valueOf(m.get(stage), f))
                .description(help).tag("stage", stage).register(registry);
    }

    private void scoreGauge(String name, String help, String segment, ToDoubleFunction<SegmentExperienceScore> f) {
        Gauge.builder(name, segmentScores, m -> valueOf(m.get(segment), f))
                .description(help).tag("segment", segment).register(registry);
    }

    private double equityValue(ToDoubleFunction<BrandEquity> f) {
        return valueOf(equity, f);
    }

    private static <T> double valueOf(T value, ToDoubleFunction<T> f) {
        return value == null ? Double.NaN : f.applyAsDouble(value);
    }
}
