package org.brandequity.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.config.PipelineConfig;

/**
 * {@link ReferenceModel}'s batch recomputation for tests outside this package (the end-to-end tests
 * of the demo module), with public result types; the math stays in the reference model.
 *
 * <p>It recomputes the outputs over <em>every</em> event given, each counted once: the events are
 * admitted in event-time order, so none is ever behind the stream time and only copies of an event
 * id (same customer, within dedup.horizon) are left out. That is what the pipeline counts when every
 * event arrives within late.horizon of its partition's stream time (issue 11), whatever the arrival
 * order; the caller checks that side (no dead letter).
 */
public final class BatchRecomputation {
    /** The brand's equity valued at the newest event time, and its segment breakdown. */
    public record Equity(long asOf, double stock, double volume, double index, long events, Map<String, Slice> segments) {}

    /** One slice of the equity: its share of the stock and its decayed volume. */
    public record Slice(double contribution, double volume) {}

    /** A customer window closed at the newest event time (end + window.grace reached). */
    public record CustomerWindow(String customer, long start, String segment, long events,
                                 long positive, long neutral, long negative, double weight, double score) {}

    /** A segment window over the closed customer windows. */
    public record SegmentWindow(String segment, long start, long customers, long events, double meanCustomerScore,
                                long positiveCustomers, long negativeCustomers, double netExperience, double marginOfError) {}

    private final ReferenceModel model;

    private BatchRecomputation(ReferenceModel model) {
        this.model = model;
    }

    /**
     * @param profiles the profiles in force for every event (applied before any event)
     * @param interactions every event sent, copies included, in any order
     */
    public static BatchRecomputation of(PipelineConfig config, Collection<CustomerProfile> profiles,
                                        Collection<CustomerInteraction> interactions) {
        ReferenceModel model = new ReferenceModel(config);
        profiles.forEach(model::profile);
        List<CustomerInteraction> inTimeOrder = new ArrayList<>(interactions);
        inTimeOrder.sort(Comparator.comparing(CustomerInteraction::getEventTime));
        for (CustomerInteraction e : inTimeOrder) {
            if (model.interaction(e) == ReferenceModel.Fate.TOO_LATE) {
                throw new IllegalStateException("in event-time order no event is too late: " + e);
            }
        }
        return new BatchRecomputation(model);
    }

    public Equity equity() {
        ReferenceModel.Equity e = model.equity();
        Map<String, Slice> segments = new LinkedHashMap<>();
        e.segments().forEach((segment, sums) -> segments.put(segment, new Slice(sums.stock(), sums.volume())));
        return new Equity(e.asOf(), e.stock(), e.volume(), e.index(), e.events(), segments);
    }

    /** Every closed customer window, keyed by customer id and window start ({@code customer@start}). */
    public Map<String, CustomerWindow> closedCustomerWindows() {
        Map<String, CustomerWindow> out = new LinkedHashMap<>();
        model.closedCustomerWindows().forEach((key, w) -> out.put(w.customer() + "@" + w.start(), customerWindow(w)));
        return out;
    }

    /**
     * Every segment window over the closed customer windows, keyed {@code segment@start}.
     * {@code polarityScore} gives the score that decides each customer window's polarity: pass the
     * streamed score (checked close to the batch one) so that a score on a threshold within rounding
     * error counts the same on both sides.
     */
    public Map<String, SegmentWindow> segmentWindows(ToDoubleFunction<CustomerWindow> polarityScore) {
        Map<String, SegmentWindow> out = new LinkedHashMap<>();
        model.segmentWindows(model.closedCustomerWindows(), w -> model.polarity(polarityScore.applyAsDouble(customerWindow(w))))
                .forEach((key, w) -> out.put(w.segment() + "@" + w.start(), new SegmentWindow(w.segment(), w.start(), w.customers(),
                        w.events(), w.meanCustomerScore(), w.positiveCustomers(), w.negativeCustomers(), w.netExperience(), w.marginOfError())));
        return out;
    }

    /** The survey answers behind a window's NPS, CSAT and CES (issue 14); {@code revision}: late answers (touchpoint windows). */
    public record Responses(long npsPromoters, long npsPassives, long npsDetractors, long csatResponses, long csatSatisfied,
                            long cesResponses, long cesSum, long cesSumOfSquares, int revision) {}

    /** The answers of every segment window over the closed customer windows, keyed {@code segment@start}. */
    public Map<String, Responses> segmentWindowResponses() {
        Map<String, Responses> out = new LinkedHashMap<>();
        StandardMetricsReference.segmentWindows(model).forEach((k, t) -> out.put(k.segment() + "@" + k.start(), responses(t)));
        return out;
    }

    /** The answers of every touchpoint window closed at the newest event time, keyed {@code TOUCHPOINT@start}. */
    public Map<String, Responses> touchpointWindowResponses(PipelineConfig config) {
        Map<String, Responses> out = new LinkedHashMap<>();
        StandardMetricsReference.touchpointWindows(model, config).forEach((k, t) -> out.put(k.touchpoint() + "@" + k.start(), responses(t)));
        return out;
    }

    private static Responses responses(StandardMetricsReference.Tally t) {
        return new Responses(t.promoters, t.passives, t.detractors, t.csat, t.satisfied, t.ces, t.cesSum, t.cesSquares, t.revision);
    }

    private static CustomerWindow customerWindow(ReferenceModel.CustomerWindow w) {
        return new CustomerWindow(w.customer(), w.start(), w.segment(), w.events(), w.positive(), w.neutral(), w.negative(),
                w.weight(), w.score());
    }
}
