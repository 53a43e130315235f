package org.brandequity.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.ExperienceSignal;
import org.brandequity.model.ModelConfig;
import org.brandequity.model.Polarity;
import org.brandequity.model.ScoringModel;

/**
 * A batch recomputation of the README's model (sections 1 to 5), written without looking at the
 * topology, to check the streaming outputs against.
 *
 * <p>Only two things happen online, because they depend on arrival order by definition: the
 * admission decision of each event (duplicate / too late / counted, against the stream time of the
 * events counted before it) and the profile in force when the event is processed. Everything else
 * (windows, scores, segment folds, decayed equity) is recomputed from scratch from the list of
 * counted events whenever it is asked for, with plain loops and no incremental state, so that a
 * shared mistake with the streaming code is unlikely.
 */
final class ReferenceModel {
    static final String UNASSIGNED = "unassigned";

    /** What happened to one arriving interaction. */
    enum Fate { COUNTED, DUPLICATE, TOO_LATE }

    /** A counted event, with what the README says it carries: x, w, and segment and value weight at processing time. */
    record Counted(long seq, CustomerInteraction event, long time, double x, double w, String segment, double valueWeight) {}

    record WindowKey(String customer, long start) {}

    record CustomerWindow(String customer, long start, long end, String segment, long events,
                          long positive, long neutral, long negative, double weight, double score) {}

    record SegmentKey(String segment, long start) {}

    record SegmentWindow(String segment, long start, long end, long customers, long events, double meanCustomerScore,
                         long positiveCustomers, long negativeCustomers, double netExperience, double marginOfError) {}

    /** Stock BE and volume V of one slice of the events, valued at asOf. */
    record Sums(double stock, double volume) {}

    record Equity(long asOf, double stock, double volume, double index, long events,
                  Map<String, Sums> segments, Map<Touchpoint, Sums> touchpoints, Map<LifecycleStage, Sums> stages) {}

    private record Profile(String segment, double valueWeight) {}

    private final ModelConfig model;
    private final ScoringModel scoring;
    private final long size;
    private final long advance;
    private final long grace;
    private final long dedupHorizon;
    private final Map<String, Profile> profiles = new HashMap<>();
    /** (customer id, event id) -> event time of the first counted event with that id: ids are per customer. */
    private final Map<String, Long> firstCounted = new HashMap<>();
    private final List<Counted> counted = new ArrayList<>();
    private long streamTime = Long.MIN_VALUE;
    private long seq;

    ReferenceModel(PipelineConfig config) {
        this.model = config.model();
        this.scoring = new ScoringModel(model);
        this.size = config.windowSize().toMillis();
        this.advance = config.windowAdvance().toMillis();
        this.grace = config.windowGrace().toMillis();
        this.dedupHorizon = config.dedupHorizon().toMillis();
    }

    void profile(CustomerProfile p) {
        profiles.put(p.getCustomerId(), new Profile(p.getSegment(), p.getValueWeight()));
    }

    /** Decides the fate of the next arriving event, README §5: dedup first, then the lateness gate. */
    Fate interaction(CustomerInteraction e) {
        long t = e.getEventTime().toEpochMilli();
        String id = e.getCustomerId() + '\u0000' + e.getEventId();
        Long first = firstCounted.get(id);
        if (first != null && Math.abs(t - first) <= dedupHorizon) return Fate.DUPLICATE;
        if (behindGrace(t)) return Fate.TOO_LATE;
        firstCounted.putIfAbsent(id, t);
        streamTime = Math.max(streamTime, t);
        Profile p = profiles.getOrDefault(e.getCustomerId(), new Profile(UNASSIGNED, 1.0));
        ExperienceSignal s = scoring.score(e);
        counted.add(new Counted(seq++, e, t, s.value(), s.weight(), p.segment(), p.valueWeight()));
        return Fate.COUNTED;
    }

    /** Whether an event at {@code time} would fail the lateness gate now. */
    boolean behindGrace(long time) {
        return streamTime != Long.MIN_VALUE && time < streamTime - grace;
    }

    long streamTime() {
        return streamTime;
    }

    List<Counted> counted() {
        return List.copyOf(counted);
    }

    /** Every epoch-aligned window start s (a multiple of advance) with s <= t < s + size. */
    List<Long> windowStarts(long t) {
        List<Long> starts = new ArrayList<>();
        for (long s = Math.floorDiv(t, advance) * advance; s > t - size; s -= advance) starts.add(s);
        return starts;
    }

    /** Customer windows whose end plus grace the stream time has reached (README §2), keyed by customer and start. */
    Map<WindowKey, CustomerWindow> closedCustomerWindows() {
        Map<WindowKey, List<Counted>> members = new LinkedHashMap<>();
        for (Counted c : counted) {
            for (long s : windowStarts(c.time())) {
                members.computeIfAbsent(new WindowKey(c.event().getCustomerId(), s), k -> new ArrayList<>()).add(c);
            }
        }
        Map<WindowKey, CustomerWindow> closed = new TreeMap<>(
                java.util.Comparator.comparing(WindowKey::customer).thenComparingLong(WindowKey::start));
        members.forEach((key, events) -> {
            long end = key.start() + size;
            if (streamTime < end + grace) return;
            double sumW = 0, sumWx = 0;
            long pos = 0, neu = 0, neg = 0;
            Counted latest = null;
            for (Counted c : events) {
                sumW += c.w();
                sumWx += c.w() * c.x();
                switch (scoring.polarity(c.x())) {
                    case POSITIVE -> pos++;
                    case NEGATIVE -> neg++;
                    case NEUTRAL -> neu++;
                }
                // Latest by event time; on a tie the one processed later (events are in processing order).
                if (latest == null || c.time() >= latest.time()) latest = c;
            }
            closed.put(key, new CustomerWindow(key.customer(), key.start(), end, latest.segment(), events.size(),
                    pos, neu, neg, sumW, sumWx / sumW));
        });
        return closed;
    }

    /**
     * README §3 over the given closed customer windows. {@code polarity} classifies a customer score;
     * the caller decides it (see the test) because a score that lands on a threshold within rounding
     * error has no meaningful polarity to compare.
     */
    Map<SegmentKey, SegmentWindow> segmentWindows(Map<WindowKey, CustomerWindow> customerWindows,
                                                  java.util.function.Function<CustomerWindow, Polarity> polarity) {
        Map<SegmentKey, List<CustomerWindow>> bySegment = new TreeMap<>(
                java.util.Comparator.comparing(SegmentKey::segment).thenComparingLong(SegmentKey::start));
        for (CustomerWindow w : customerWindows.values()) {
            bySegment.computeIfAbsent(new SegmentKey(w.segment(), w.start()), k -> new ArrayList<>()).add(w);
        }
        Map<SegmentKey, SegmentWindow> out = new LinkedHashMap<>();
        bySegment.forEach((key, windows) -> {
            long n = windows.size(), events = 0, positive = 0, negative = 0;
            double sumScores = 0;
            for (CustomerWindow w : windows) {
                events += w.events();
                sumScores += w.score();
                Polarity p = polarity.apply(w);
                if (p == Polarity.POSITIVE) positive++;
                if (p == Polarity.NEGATIVE) negative++;
            }
            double p = (double) positive / n, d = (double) negative / n;
            double nx = 100 * (p - d);
            double moe = 1.96 * 100 * Math.sqrt(((p + d) - (p - d) * (p - d)) / n);
            out.put(key, new SegmentWindow(key.segment(), key.start(), key.start() + size, n, events,
                    sumScores / n, positive, negative, nx, moe));
        });
        return out;
    }

    Polarity polarity(double x) {
        return scoring.polarity(x);
    }

    /** README §4, valued at the newest counted event time, summed directly over the counted events. */
    Equity equity() {
        long asOf = streamTime;
        double halfLife = model.halfLife().toMillis();
        double stock = 0, volume = 0;
        Map<String, double[]> seg = new TreeMap<>();
        Map<Touchpoint, double[]> tp = new TreeMap<>();
        Map<LifecycleStage, double[]> st = new TreeMap<>();
        for (Counted e : counted) {
            double c = model.weightOfSegment(e.segment()) * e.valueWeight() * e.w();
            double decay = Math.pow(2, -(asOf - e.time()) / halfLife);
            double be = c * e.x() * decay, v = c * decay;
            stock += be;
            volume += v;
            add(seg.computeIfAbsent(e.segment(), k -> new double[2]), be, v);
            add(tp.computeIfAbsent(e.event().getTouchpoint(), k -> new double[2]), be, v);
            add(st.computeIfAbsent(e.event().getStage(), k -> new double[2]), be, v);
        }
        return new Equity(asOf, stock, volume, 100 * stock / (volume + model.indexPrior()), counted.size(),
                sums(seg), sums(tp), sums(st));
    }

    double segmentWeight(String segment) {
        return model.weightOfSegment(segment);
    }

    double promise(Touchpoint t) {
        return model.touchpointPromise().get(t);
    }

    private static void add(double[] acc, double be, double v) {
        acc[0] += be;
        acc[1] += v;
    }

    private static <K> Map<K, Sums> sums(Map<K, double[]> in) {
        Map<K, Sums> out = new LinkedHashMap<>();
        in.forEach((k, a) -> out.put(k, new Sums(a[0], a[1])));
        return out;
    }
}
