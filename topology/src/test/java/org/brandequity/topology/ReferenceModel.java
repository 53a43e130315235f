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
 * A batch recomputation of docs/model.md (sections 1 to 5), written without looking at the
 * topology, to check the streaming outputs against.
 *
 * <p>Only three things happen online, because they depend on arrival order by definition: the
 * admission decision of each event (too late / duplicate / counted, against the stream time of the
 * events counted before it), the profile in force when the event is processed, and the stream time
 * at which each event was counted (which decides whether it entered a window before or after the
 * window's first record, issue 11). Everything else (windows and their revisions, scores, segment
 * folds, decayed equity) is recomputed from scratch from the list of counted events whenever it is
 * asked for, with plain loops and no incremental state, so that a shared mistake with the streaming
 * code is unlikely.
 */
final class ReferenceModel {
    static final String UNASSIGNED = "unassigned";

    /** What happened to one arriving interaction. */
    enum Fate { COUNTED, DUPLICATE, TOO_LATE }

    /**
     * A counted event, with what docs/model.md says it carries: x, w, and segment and value weight at
     * processing time; {@code late}: it was more than window.grace behind stream time (issue 11);
     * {@code streamTime}: the stream time once it was counted.
     */
    record Counted(long seq, CustomerInteraction event, long time, double x, double w, String segment, double valueWeight,
                   boolean late, long streamTime) {}

    record WindowKey(String customer, long start) {
        @Override
        public String toString() {
            return "WindowKey[customer=" + customer + ", start=" + java.time.Instant.ofEpochMilli(start) + "]";
        }
    }

    /**
     * One record of a customer window. {@code revision}: how many records of this (customer, start)
     * came before it; {@code emittedLate}: written because a late event entered the closed window
     * (a revision, or the first record of a window that had no event while it was open).
     */
    record CustomerWindow(String customer, long start, long end, String segment, long events,
                          long positive, long neutral, long negative, double weight, double score,
                          int revision, boolean emittedLate) {}

    record SegmentKey(String segment, long start) {
        @Override
        public String toString() {
            return "SegmentKey[segment=" + segment + ", start=" + java.time.Instant.ofEpochMilli(start) + "]";
        }
    }

    record SegmentWindow(String segment, long start, long end, long customers, long events, double meanCustomerScore,
                         long positiveCustomers, long negativeCustomers, double netExperience, double marginOfError) {}

    /**
     * What late customer records a segment window took in: customer-window revisions whose customer
     * stayed in this segment, arrived from another one, or left for another one (each replaces the
     * customer's earlier version), and first records of customer windows written by a late event.
     */
    record SegmentRevisions(int stayed, int arrived, int left, int lateFirst) {
        /** The spec's revision: customer-window revisions applied to this segment window. */
        int applied() {
            return stayed + arrived + left;
        }
    }

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
    private final long lateHorizon;
    private final Map<String, Profile> profiles = new HashMap<>();
    /** (customer id, event id) -> event times of the counted events with that id: ids are per customer. */
    private final Map<String, List<Long>> countedIds = new HashMap<>();
    private final List<Counted> counted = new ArrayList<>();
    private long streamTime = Long.MIN_VALUE;
    private long seq;

    ReferenceModel(PipelineConfig config) {
        this.model = config.model();
        this.scoring = new ScoringModel(model);
        this.size = config.windows().size().toMillis();
        this.advance = config.windows().advance().toMillis();
        this.grace = config.windows().grace().toMillis();
        this.dedupHorizon = config.windows().dedupHorizon().toMillis();
        this.lateHorizon = config.windows().lateHorizon().toMillis();
        this.maxSegments = config.equityMaxSegments();
    }

    /** equity.max.segments. */
    private final int maxSegments;
    /** The overflow segment of the cap, written out here rather than taken from EquityStock. */
    static final String OTHER = "other";

    /**
     * Issue 21's segment cap, from its statement alone: of the counted events' segments that have no
     * configured weight and are not unassigned (or other), the equity.max.segments smallest names keep
     * their own entry; every other one is summed into "other". Segment name -> the segment it counts in.
     */
    Map<String, String> equitySegmentOf() {
        java.util.SortedSet<String> capped = new java.util.TreeSet<>();
        Map<String, String> of = new HashMap<>();
        for (Counted e : counted) {
            String s = e.segment();
            if (model.segmentWeight().containsKey(s) || s.equals(UNASSIGNED) || s.equals(OTHER)) of.put(s, s);
            else capped.add(s);
        }
        int i = 0;
        for (String s : capped) of.put(s, i++ < maxSegments ? s : OTHER);
        return of;
    }

    void profile(CustomerProfile p) {
        profiles.put(p.getCustomerId(), new Profile(p.getSegment(), p.getValueWeight()));
    }

    /**
     * Decides the fate of the next arriving event (issue 11's admission, in this order): more than
     * late.horizon behind stream time is TOO_LATE, whatever its id; else a copy of a counted event
     * (same customer and id, event times within dedup.horizon) is a DUPLICATE; else it is COUNTED,
     * late when more than window.grace behind stream time. A late event never moves stream time
     * (it is behind it by definition).
     */
    Fate interaction(CustomerInteraction e) {
        long t = e.getEventTime().toEpochMilli();
        if (beyondHorizon(t)) return Fate.TOO_LATE;
        String id = idOf(e);
        List<Long> times = countedIds.get(id);
        if (times != null && times.stream().anyMatch(first -> Math.abs(t - first) <= dedupHorizon)) return Fate.DUPLICATE;
        boolean late = behindGrace(t);
        countedIds.computeIfAbsent(id, k -> new ArrayList<>()).add(t);
        streamTime = Math.max(streamTime, t);
        Profile p = profiles.getOrDefault(e.getCustomerId(), new Profile(UNASSIGNED, 1.0));
        ExperienceSignal s = scoring.score(e);
        counted.add(new Counted(seq++, e, t, s.value(), s.weight(), p.segment(), p.valueWeight(), late, streamTime));
        return Fate.COUNTED;
    }

    private static String idOf(CustomerInteraction e) {
        return e.getCustomerId() + '\u0000' + e.getEventId();
    }

    /** Whether an event with this customer and id has been counted (at any time). */
    boolean countedBefore(CustomerInteraction e) {
        return countedIds.containsKey(idOf(e));
    }

    /** Whether an event at {@code time} would be behind the grace period now (late, or too late). */
    boolean behindGrace(long time) {
        return streamTime != Long.MIN_VALUE && time < streamTime - grace;
    }

    /** Whether an event at {@code time} would be beyond the late horizon now: a TOO_LATE dead letter. */
    boolean beyondHorizon(long time) {
        return streamTime != Long.MIN_VALUE && time < streamTime - lateHorizon;
    }

    long streamTime() {
        return streamTime;
    }

    List<Counted> counted() {
        return List.copyOf(counted);
    }

    int countedSize() {
        return counted.size();
    }

    Counted counted(int index) {
        return counted.get(index);
    }

    /** Every epoch-aligned window start s (a multiple of advance) with s <= t < s + size. */
    List<Long> windowStarts(long t) {
        List<Long> starts = new ArrayList<>();
        for (long s = Math.floorDiv(t, advance) * advance; s > t - size; s -= advance) starts.add(s);
        return starts;
    }

    /**
     * The latest record of every customer window whose end plus grace the stream time has reached
     * (docs/model.md §2): the window over every event counted in it, on time or late.
     */
    Map<WindowKey, CustomerWindow> closedCustomerWindows() {
        Map<WindowKey, CustomerWindow> latest = new TreeMap<>(WINDOW_ORDER);
        customerWindowRecords().forEach((key, records) -> latest.put(key, records.get(records.size() - 1)));
        return latest;
    }

    /**
     * Every record the customer-score topic should hold per closed customer window, in emission
     * order (docs/model.md §2 and issue 11). A window closes when stream time reaches its end plus grace.
     * The events counted while it was open make one record (revision 0), written when it closes, if
     * there are any; then each event counted into it after it closed (a late event) writes one more
     * record over every event counted in it so far. So the record after k late events has revision
     * k, or k - 1 when the window had no event while it was open (its first record is a late one).
     */
    Map<WindowKey, List<CustomerWindow>> customerWindowRecords() {
        Map<WindowKey, List<Counted>> members = new LinkedHashMap<>();
        for (Counted c : counted) {
            for (long s : windowStarts(c.time())) {
                members.computeIfAbsent(new WindowKey(c.event().getCustomerId(), s), k -> new ArrayList<>()).add(c);
            }
        }
        Map<WindowKey, List<CustomerWindow>> out = new TreeMap<>(WINDOW_ORDER);
        members.forEach((key, events) -> {
            long close = key.start() + size + grace;
            if (streamTime < close) return;
            // Members are in processing order and stream time never decreases, so the ones counted
            // before the window closed come first.
            int open = 0;
            while (open < events.size() && events.get(open).streamTime() < close) open++;
            List<CustomerWindow> records = new ArrayList<>();
            if (open > 0) records.add(fold(key, events.subList(0, open), 0, false));
            for (int i = open + 1; i <= events.size(); i++) records.add(fold(key, events.subList(0, i), records.size(), true));
            out.put(key, records);
        });
        return out;
    }

    private static final java.util.Comparator<WindowKey> WINDOW_ORDER =
            java.util.Comparator.comparing(WindowKey::customer).thenComparingLong(WindowKey::start);

    private CustomerWindow fold(WindowKey key, List<Counted> events, int revision, boolean emittedLate) {
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
        return new CustomerWindow(key.customer(), key.start(), key.start() + size, latest.segment(), events.size(),
                pos, neu, neg, sumW, sumWx / sumW, revision, emittedLate);
    }

    /**
     * Per segment window, the late customer records it took in (issue 11), from the customer
     * records in emission order: a revision replaces the customer's previous record, so it touches
     * the previous record's segment window and its own (one window when the segment is the same).
     */
    Map<SegmentKey, SegmentRevisions> segmentRevisions(Map<WindowKey, List<CustomerWindow>> records) {
        Map<SegmentKey, int[]> acc = new TreeMap<>(SEGMENT_ORDER);
        records.forEach((key, list) -> {
            for (int i = 0; i < list.size(); i++) {
                CustomerWindow r = list.get(i);
                if (i == 0) {
                    if (r.emittedLate()) slot(acc, r.segment(), key.start())[3]++;
                    continue;
                }
                String before = list.get(i - 1).segment();
                if (before.equals(r.segment())) {
                    slot(acc, r.segment(), key.start())[0]++;
                } else {
                    slot(acc, r.segment(), key.start())[1]++;
                    slot(acc, before, key.start())[2]++;
                }
            }
        });
        Map<SegmentKey, SegmentRevisions> out = new LinkedHashMap<>();
        acc.forEach((k, a) -> out.put(k, new SegmentRevisions(a[0], a[1], a[2], a[3])));
        return out;
    }

    private static int[] slot(Map<SegmentKey, int[]> acc, String segment, long start) {
        return acc.computeIfAbsent(new SegmentKey(segment, start), k -> new int[4]);
    }

    private static final java.util.Comparator<SegmentKey> SEGMENT_ORDER =
            java.util.Comparator.comparing(SegmentKey::segment).thenComparingLong(SegmentKey::start);

    /**
     * docs/model.md §3 over the given closed customer windows (the latest record of each: a revision
     * replaces the customer's earlier version, in the segment of its latest event). {@code polarity} classifies a customer score;
     * the caller decides it (see the test) because a score that lands on a threshold within rounding
     * error has no meaningful polarity to compare.
     */
    Map<SegmentKey, SegmentWindow> segmentWindows(Map<WindowKey, CustomerWindow> customerWindows,
                                                  java.util.function.Function<CustomerWindow, Polarity> polarity) {
        Map<SegmentKey, List<CustomerWindow>> bySegment = new TreeMap<>(SEGMENT_ORDER);
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

    /** docs/model.md §4, valued at the newest counted event time, summed directly over the counted events (late ones too). */
    Equity equity() {
        long asOf = streamTime;
        double halfLife = model.halfLife().toMillis();
        double stock = 0, volume = 0;
        Map<String, double[]> seg = new TreeMap<>();
        Map<Touchpoint, double[]> tp = new TreeMap<>();
        Map<LifecycleStage, double[]> st = new TreeMap<>();
        Map<String, String> segmentOf = equitySegmentOf();
        for (Counted e : counted) {
            double c = model.weightOfSegment(e.segment()) * e.valueWeight() * e.w();
            double decay = Math.pow(2, -(asOf - e.time()) / halfLife);
            double be = c * e.x() * decay, v = c * decay;
            stock += be;
            volume += v;
            add(seg.computeIfAbsent(segmentOf.get(e.segment()), k -> new double[2]), be, v);
            add(tp.computeIfAbsent(e.event().getTouchpoint(), k -> new double[2]), be, v);
            add(st.computeIfAbsent(e.event().getStage(), k -> new double[2]), be, v);
        }
        return new Equity(asOf, stock, volume, 100 * stock / (volume + model.indexPrior()), counted.size(),
                sums(seg), sums(tp), sums(st));
    }

    /** One (segment, touchpoint, stage) cell of the cross breakdown (issue 14). */
    record CellKey(String segment, Touchpoint touchpoint, LifecycleStage stage) {}

    /**
     * docs/model.md §4's cross breakdown, valued at the newest counted event time: per (segment, touchpoint,
     * stage) of the counted events (late ones too), BE and V summed directly over the events, like
     * {@link #equity()} and independently of it.
     */
    Map<CellKey, Sums> equityCells() {
        long asOf = streamTime;
        double halfLife = model.halfLife().toMillis();
        Map<CellKey, double[]> cells = new LinkedHashMap<>();
        Map<String, String> segmentOf = equitySegmentOf();
        for (Counted e : counted) {
            double c = model.weightOfSegment(e.segment()) * e.valueWeight() * e.w();
            double decay = Math.pow(2, -(asOf - e.time()) / halfLife);
            add(cells.computeIfAbsent(new CellKey(segmentOf.get(e.segment()), e.event().getTouchpoint(), e.event().getStage()), k -> new double[2]),
                    c * e.x() * decay, c * decay);
        }
        return sums(cells);
    }

    /** The configured brand promise of a lifecycle stage, or null (model.stage.S.promise unset). */
    Double stagePromise(LifecycleStage s) {
        return model.stagePromise().get(s);
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
