package org.brandequity.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.DeadLetterReason;

/**
 * What one pipeline instance's topology decided about events, as Micrometer counters in that
 * instance's registry (exported at {@code /metrics}; the demo status line reads them too).
 *
 * <p>One instance per pipeline, handed to the processors when the topology is built and to the
 * exception handlers through their configs ({@link #CONFIG}): Kafka Streams creates processors per
 * task, and all tasks of the instance count into the same meters. Nothing is static, so two
 * pipelines (or test drivers) in one JVM each see only their own counts.
 */
public final class Counters {
    /**
     * The Streams config key under which {@link StreamsSettings} hands this object to the exception
     * handlers: Kafka Streams configures them with the original config map, objects included.
     */
    public static final String CONFIG = "brandequity.counters";

    private static final int STAGES = LifecycleStage.values().length;

    private final MeterRegistry registry;
    private final Counter duplicates;
    private final Counter lateAccepted;
    private final Counter lateCounted;
    private final Counter lateRejected;
    private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
    /** Per touchpoint x stage pair, registered on its first event (see {@link #countScored}). */
    private final AtomicReferenceArray<PairMeters> pairs = new AtomicReferenceArray<>(Touchpoint.values().length * STAGES);
    /** Open at-risk alerts held by this instance's tasks, by segment (closed loop). */
    private final Map<String, AtomicLong> customerAlertsOpen = new ConcurrentHashMap<>();

    public Counters(MeterRegistry registry) {
        this.registry = registry;
        duplicates = Counter.builder("brandequity_duplicates_dropped")
                .description("Events dropped as duplicates of a counted event id").register(registry);
        lateAccepted = Counter.builder("brandequity_late_events_accepted")
                .description("Events behind stream time but inside the grace period").register(registry);
        lateCounted = Counter.builder("brandequity_late_events_revised")
                .description("Events behind stream time by more than the grace period but within late.horizon: counted, "
                        + "their closed windows re-emitted as revisions").register(registry);
        lateRejected = Counter.builder("brandequity_late_events_rejected")
                .description("Events behind stream time by more than late.horizon (dead-lettered as TOO_LATE)").register(registry);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, Counter.builder("brandequity_dead_letters")
                    .description("Records sent to the dead-letter topic").tag("reason", reason.name()).register(registry));
        }
    }

    /** The registry these counters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The instance {@link StreamsSettings} put in a handler's {@code configure} map. */
    static Counters from(Map<String, ?> configs) {
        Object counters = configs.get(CONFIG);
        if (counters instanceof Counters c) return c;
        throw new IllegalStateException(CONFIG + " is not set to the pipeline's Counters (got " + counters
                + "): build the Streams properties with StreamsSettings.of(config, counters)");
    }

    /** An event dropped because its id was already counted. */
    public void countDuplicate() {
        duplicates.increment();
    }

    /** An event behind stream time but inside the grace period: counted. */
    public void countLateAccepted() {
        lateAccepted.increment();
    }

    /** An event behind stream time by more than the grace period but within the late horizon: counted as a revision. */
    public void countLateCounted() {
        lateCounted.increment();
    }

    /** An event behind stream time by more than the late horizon: dead-lettered. */
    public void countLateRejected() {
        lateRejected.increment();
    }

    /** A record sent to the dead-letter topic. */
    public void countDeadLetter(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
    }

    /**
     * Counts one scored event with experience {@code signal} and weight {@code weight}: by touchpoint
     * and lifecycle stage, with the sums behind the mean experience there: sum of w, and of w * x
     * split by sign (so each sum only grows, as a Prometheus counter must; mean = (positive -
     * negative) / weight). A pair's four series are registered on its first event: the 152 possible
     * pairs would otherwise be mostly zero series that every dashboard query drags along.
     */
    public void countScored(Touchpoint touchpoint, LifecycleStage stage, double signal, double weight) {
        PairMeters m = pair(touchpoint, stage);
        m.events.increment();
        m.weight.increment(weight);
        if (signal > 0) m.positive.increment(weight * signal);
        else if (signal < 0) m.negative.increment(-weight * signal);
    }

    /**
     * An at-risk alert fired (closed loop): {@code brandequity_customer_alerts_total{segment,touchpoint,trigger}}.
     * Segments are those of {@code closedloop.segments} (only their customers fire), so the labels are bounded;
     * never a customer id.
     */
    public void countCustomerAlertFired(String segment, String touchpoint, String trigger) {
        Counter.builder("brandequity_customer_alerts")
                .description("At-risk customer alerts fired (FIRING records written to the customer alerts topic)")
                .tag("segment", segment).tag("touchpoint", touchpoint).tag("trigger", trigger)
                .register(registry).increment();
    }

    /** An at-risk alert resolved: {@code brandequity_customer_alerts_resolved_total{segment}}. */
    public void countCustomerAlertResolved(String segment) {
        Counter.builder("brandequity_customer_alerts_resolved")
                .description("At-risk customer alerts resolved (RESOLVED records written to the customer alerts topic)")
                .tag("segment", segment).register(registry).increment();
    }

    /**
     * Open at-risk alerts held by this instance's tasks change by {@code delta}:
     * {@code brandequity_customer_alerts_open{segment}}; the sum over instances is the cluster's.
     */
    public void customerAlertsOpen(String segment, long delta) {
        customerAlertsOpen.computeIfAbsent(segment, s -> {
            AtomicLong open = new AtomicLong();
            Gauge.builder("brandequity_customer_alerts_open", open, AtomicLong::get)
                    .description("Open at-risk customer alerts held by this instance's tasks (sum over instances = cluster)")
                    .tag("segment", s).register(registry);
            return open;
        }).addAndGet(delta);
    }

    /** Open at-risk alerts held by this instance's tasks, all segments. */
    public long customerAlertsOpen() {
        return customerAlertsOpen.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** At-risk alerts fired by this instance since start, all labels. */
    public long customerAlertsFired() {
        return (long) Search.in(registry).name("brandequity_customer_alerts").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Events counted late (beyond the grace period, within the late horizon) by this instance since start. */
    public long lateRevised() {
        return (long) lateCounted.count();
    }

    /** Events dropped as duplicates by this instance since start. */
    public long duplicates() {
        return (long) duplicates.count();
    }

    public long lateAccepted() {
        return (long) lateAccepted.count();
    }

    public long lateRejected() {
        return (long) lateRejected.count();
    }

    /** Dead letters written by this instance since start, for {@code reason}. */
    public long deadLetters(DeadLetterReason reason) {
        return (long) deadLetters.get(reason).count();
    }

    /** Dead letters written by this instance since start, all reasons. */
    public long deadLetters() {
        return deadLetters.values().stream().mapToLong(c -> (long) c.count()).sum();
    }

    /** Events scored and counted by this instance since start, all touchpoints and stages. */
    public long scored() {
        return (long) Search.in(registry).name("brandequity_events_scored").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Events scored at this touchpoint and stage by this instance since start. */
    public long scored(Touchpoint touchpoint, LifecycleStage stage) {
        PairMeters m = pairs.get(index(touchpoint, stage));
        return m == null ? 0 : (long) m.events.count();
    }

    private PairMeters pair(Touchpoint touchpoint, LifecycleStage stage) {
        Touchpoint t = touchpoint == null ? Touchpoint.OTHER : touchpoint;
        LifecycleStage s = stage == null ? LifecycleStage.UNKNOWN : stage;
        int i = index(t, s);
        PairMeters m = pairs.get(i);
        if (m == null) {
            // Two stream threads racing here register the same meters: Micrometer returns the
            // existing meter for an id already registered, so both hold the same counters.
            m = new PairMeters(registry, t, s);
            pairs.compareAndSet(i, null, m);
            m = pairs.get(i);
        }
        return m;
    }

    private static int index(Touchpoint touchpoint, LifecycleStage stage) {
        Touchpoint t = touchpoint == null ? Touchpoint.OTHER : touchpoint;
        LifecycleStage s = stage == null ? LifecycleStage.UNKNOWN : stage;
        return t.ordinal() * STAGES + s.ordinal();
    }

    private record PairMeters(Counter events, Counter weight, Counter positive, Counter negative) {
        PairMeters(MeterRegistry registry, Touchpoint t, LifecycleStage s) {
            this(Counter.builder("brandequity_events_scored")
                            .description("Events scored and counted, by touchpoint and lifecycle stage")
                            .tag("touchpoint", t.name()).tag("stage", s.name()).register(registry),
                    Counter.builder("brandequity_experience_weight")
                            .description("Sum of the experience weights w of the scored events, by touchpoint and stage")
                            .tag("touchpoint", t.name()).tag("stage", s.name()).register(registry),
                    Counter.builder("brandequity_experience_positive")
                            .description("Sum of w * x over scored events with positive experience x, by touchpoint and stage")
                            .tag("touchpoint", t.name()).tag("stage", s.name()).register(registry),
                    Counter.builder("brandequity_experience_negative")
                            .description("Sum of w * |x| over scored events with negative experience x; (positive - negative) "
                                    + "/ weight is their mean experience").tag("touchpoint", t.name()).tag("stage", s.name())
                            .register(registry));
        }
    }
}
