package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.streams.test.TestRecord;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Money;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.SegmentContribution;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.StageContribution;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.TouchpointContribution;
import org.brandequity.avro.TouchpointExperienceScore;
import org.brandequity.model.Polarity;
import org.brandequity.topology.ReferenceModel.Counted;
import org.brandequity.topology.ReferenceModel.CustomerWindow;
import org.brandequity.topology.ReferenceModel.Fate;
import org.brandequity.topology.ReferenceModel.SegmentKey;
import org.brandequity.topology.ReferenceModel.SegmentRevisions;
import org.brandequity.topology.ReferenceModel.SegmentWindow;
import org.brandequity.topology.ReferenceModel.Sums;
import org.brandequity.topology.ReferenceModel.WindowKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random event streams through the topology must produce what a plain batch recomputation of the
 * model of docs/model.md ({@link ReferenceModel}) produces: every record of every closed customer window
 * (revisions included), the final record of every segment window, the dead letters, and the brand
 * equity at several points of the stream.
 *
 * <p>The first streams mix everything docs/model.md distinguishes on the on-time path, with
 * late.horizon = window.grace (no late path: an event behind the grace period is a TOO_LATE dead
 * letter, the behaviour before issue 11): customers with and without a profile, profile changes
 * mid-stream, events with and without signals, out-of-order arrivals inside the grace period,
 * events exactly on the grace boundary and one millisecond past it, events later than the grace
 * period, re-sent duplicates (recent ones and ones far behind stream time), event ids reused after
 * the dedup horizon, and events on window boundaries.
 *
 * <p>The late streams (issue 11) run over eleven days of event time with the 7-day horizon: a share
 * of the events arrives from one minute to ten days behind stream time (into closed windows that
 * had events, into windows that had none, at the very time of a counted event, after a segment
 * change, exactly on the horizon and one millisecond beyond it), and copies of late events and of
 * old counted events are re-sent.
 */
class ReferenceModelTest {
    private static final int EVENTS = 3_000;
    private static final int LATE_EVENTS = 3_500;
    private static final double TOLERANCE = 1e-9;
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final List<String> SEGMENTS = List.of("broad-base", "high-value", "mid-market", "trial");
    private static final List<String> LATE_SEGMENTS = List.of(
            "broad-base", "high-value", "mid-market", "trial", "enterprise", "public-sector", "startup");

    /**
     * Segment weights differ so that a wrong segment or weight shows in equity; "trial" has no key
     * and takes the default. late.horizon = window.grace (TEST_CONFIG's 2m): the on-time path alone.
     */
    private static Map<String, String> overrides(String advance, String halfLife) {
        return Map.of(
                "window.advance", advance,
                "late.horizon", "2m",
                "model.equity.half.life", halfLife,
                "model.segment.weights", "broad-base:1.0,high-value:3.0,mid-market:1.7,unassigned:0.6",
                "model.segment.default.weight", "0.8",
                "model.equity.index.prior", "5",
                // Issue 14: a promise for two stages only, so segment × stage has gaps for those and null for the others.
                "model.stage.PURCHASE.promise", "0.6",
                "model.stage.SERVICE.promise", "0.4");
    }

    /**
     * Hour windows, so that a stream of a few thousand events covers eleven days with several events
     * per customer window; a half-life of half a day or more, so that an event a week late still
     * weighs more than the tolerance in equity.
     */
    private static Map<String, String> lateOverrides(String advance, String halfLife) {
        Map<String, String> m = new HashMap<>(Map.of(
                "window.size", "1h",
                "window.advance", advance,
                "window.grace", "10m",
                "dedup.horizon", "2h",
                "late.horizon", "7d",
                "model.equity.half.life", halfLife,
                "model.segment.weights", "broad-base:1.0,high-value:3.0,mid-market:1.7,enterprise:2.5,startup:0.7,unassigned:0.6",
                "model.segment.default.weight", "0.8",
                "model.equity.index.prior", "5",
                "model.stage.USAGE.promise", "0.5"));
        // Issue 21: "trial" and "public-sector" have no weight, so one of them is over the cap and its
        // contributions are summed into segment "other" (the reference folds independently).
        m.put("equity.max.segments", "1");
        return m;
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of(11L, 50, "10m", "1h"),
                Arguments.of(23L, 200, "10m", "3h"),
                Arguments.of(37L, 80, "5m", "1h"),
                Arguments.of(41L, 160, "5m", "3h"),
                Arguments.of(59L, 120, "5m", "30m"));
    }

    static Stream<Arguments> lateScenarios() {
        return Stream.of(
                Arguments.of(101L, 150, "1h", "1d"),
                Arguments.of(211L, 400, "30m", "12h"));
    }

    @ParameterizedTest(name = "seed {0}, {1} customers, window 10m advancing {2}, half-life {3}")
    @MethodSource("scenarios")
    void streamingOutputsEqualABatchRecomputation(long seed, int customers, String advance, String halfLife) {
        try (PipelineDriver p = new PipelineDriver(overrides(advance, halfLife))) {
            ReferenceModel ref = new ReferenceModel(p.config);
            Run run = new Run(seed, customers, SEGMENTS, p, ref);
            Mismatches m = new Mismatches("seed " + seed + ", advance " + advance + ", half-life " + halfLife);

            run.generate(m);
            Map<WindowKey, List<CustomerWindow>> expected = run.closeEveryWindowAndCompare(m);
            System.out.printf("reference model, seed %d advance %s half-life %s: %s%n", seed, advance, halfLife, run.summary(expected));
            m.assertNone();
            run.assertTheStreamExercisedEveryCase(expected);
            run.assertTheOnTimeStreamExercisedTheGraceBoundary();
            run.assertTheStreamExercisedTheStandardMetrics();
        }
    }

    @ParameterizedTest(name = "seed {0}, {1} customers, window 1h advancing {2}, half-life {3}, events up to 10 days late")
    @MethodSource("lateScenarios")
    void lateEventsWithinTheHorizonCountAndTheLatestRevisionsEqualABatchRecomputation(long seed, int customers, String advance, String halfLife) {
        try (PipelineDriver p = new PipelineDriver(lateOverrides(advance, halfLife))) {
            ReferenceModel ref = new ReferenceModel(p.config);
            Run run = new Run(seed, customers, LATE_SEGMENTS, p, ref);
            Mismatches m = new Mismatches("late path, seed " + seed + ", advance " + advance + ", half-life " + halfLife);
            HistoryTracker history = new HistoryTracker(p, ref);
            p.wallClock = history;
            run.historyFlushEvery = 100;

            run.generateWithLateArrivals(m);
            Map<WindowKey, List<CustomerWindow>> expected = run.closeEveryWindowAndCompare(m);
            p.flushHistory();
            int restated = history.compareChangeAccounts(new Random(seed), 40, m);
            System.out.printf("reference model (late path), seed %d advance %s half-life %s: %s; %s; history: %d points, "
                            + "%d of 40 (T1, T2) pairs with restatement%n",
                    seed, advance, halfLife, run.summary(expected), run.lateSummary(expected), p.historyPoints().size(), restated);
            m.assertNone();
            assertTrue(restated > 0, "no pair (T1, T2) had a restatement to compare");
            run.assertTheStreamExercisedEveryCase(expected);
            run.assertTheStreamExercisedTheLatePath(expected);
            run.assertTheStreamExercisedTheStandardMetrics();
        }
    }

    /**
     * The reference model itself on a stream small enough to work out by hand from the spec
     * (issue 11), so that the random runs compare the topology with the intended semantics.
     */
    @org.junit.jupiter.api.Test
    void theReferenceModelAdmitsAndNumbersRevisionsAsTheSpecSays() {
        Map<String, String> all = new HashMap<>(PipelineDriver.TEST_CONFIG);
        all.putAll(lateOverrides("1h", "1d"));
        ReferenceModel ref = new ReferenceModel(org.brandequity.config.PipelineConfig.defaults().with(all));
        Function<String, Instant> at = hhmm -> Events.T0.plus(Duration.parse("PT" + hhmm.replace(":", "H") + "M"));
        ref.profile(Events.profile("a", "trial"));
        assertEquals(Fate.COUNTED, ref.interaction(Events.rated("a", at.apply("10:05"), 5)));
        CustomerInteraction twenty = Events.rated("a", at.apply("10:20"), 4);
        assertEquals(Fate.COUNTED, ref.interaction(twenty));
        assertEquals(Fate.COUNTED, ref.interaction(Events.rated("b", at.apply("11:30"), 3)));
        // (a, 10:00) closed at 11:10: a late event revises it, and a copy of an on-time event now behind the grace period is a duplicate.
        assertEquals(Fate.COUNTED, ref.interaction(Events.rated("a", at.apply("10:50"), 1)));
        assertEquals(Fate.DUPLICATE, ref.interaction(twenty));
        ref.profile(Events.profile("a", "enterprise"));
        CustomerInteraction fiftyFive = Events.rated("a", at.apply("10:55"), 1);
        assertEquals(Fate.COUNTED, ref.interaction(fiftyFive));
        assertEquals(Fate.DUPLICATE, ref.interaction(fiftyFive));
        assertEquals(Fate.COUNTED, ref.interaction(Events.rated("a", at.apply("09:30"), 2)));
        CustomerInteraction onTheHorizon = Events.rated("a", at.apply("11:30").minus(Duration.ofDays(7)), 5);
        assertEquals(Fate.COUNTED, ref.interaction(onTheHorizon));
        assertEquals(Fate.TOO_LATE, ref.interaction(Events.rated("a", at.apply("11:30").minus(Duration.ofDays(7)).minusMillis(1), 5)));
        assertEquals(at.apply("11:30").toEpochMilli(), ref.streamTime(), "late events do not move stream time");
        assertEquals(Fate.COUNTED, ref.interaction(Events.rated("b", at.apply("11:31"), 3)));
        // The horizon is checked first: a copy of a counted event beyond it is a dead letter, not a duplicate.
        assertEquals(Fate.TOO_LATE, ref.interaction(onTheHorizon));
        assertEquals(Fate.COUNTED, ref.interaction(Events.rated("b", at.apply("13:00"), 3)));

        Map<WindowKey, List<CustomerWindow>> records = ref.customerWindowRecords();
        List<CustomerWindow> ten = records.get(new WindowKey("a", at.apply("10:00").toEpochMilli()));
        assertEquals(List.of(0, 1, 2), ten.stream().map(CustomerWindow::revision).toList());
        assertEquals(List.of(2L, 3L, 4L), ten.stream().map(CustomerWindow::events).toList());
        assertEquals(List.of("trial", "trial", "enterprise"), ten.stream().map(CustomerWindow::segment).toList());
        assertEquals(List.of(false, true, true), ten.stream().map(CustomerWindow::emittedLate).toList());
        List<CustomerWindow> nine = records.get(new WindowKey("a", at.apply("09:00").toEpochMilli()));
        assertEquals(1, nine.size());
        assertTrue(nine.get(0).emittedLate() && nine.get(0).revision() == 0 && nine.get(0).segment().equals("enterprise"));

        Map<SegmentKey, SegmentRevisions> revisions = ref.segmentRevisions(records);
        long tenAm = at.apply("10:00").toEpochMilli();
        assertEquals(new SegmentRevisions(1, 0, 1, 0), revisions.get(new SegmentKey("trial", tenAm)));
        assertEquals(new SegmentRevisions(0, 1, 0, 0), revisions.get(new SegmentKey("enterprise", tenAm)));
        assertEquals(new SegmentRevisions(0, 0, 0, 1), revisions.get(new SegmentKey("enterprise", at.apply("09:00").toEpochMilli())));
        // The trial window at 10:00 lost its only customer to enterprise: no expected fold.
        Map<SegmentKey, SegmentWindow> segments = ref.segmentWindows(ref.closedCustomerWindows(), w -> ref.polarity(w.score()));
        assertTrue(!segments.containsKey(new SegmentKey("trial", tenAm)));
        assertEquals(4, segments.get(new SegmentKey("enterprise", tenAm)).events());
        assertEquals(9, ref.equity().events());
    }

    /** Generates the stream, feeding topology and reference in lockstep, and compares equity at checkpoints. */
    private static final class Run {
        final Random rnd;
        final long seed;
        final PipelineDriver p;
        final ReferenceModel ref;
        final List<String> segments;
        final List<String> customers = new ArrayList<>();
        final List<CustomerInteraction> sent = new ArrayList<>();
        /** Events sent behind the grace period (late, or beyond the horizon), to send copies of. */
        final List<CustomerInteraction> lateSent = new ArrayList<>();
        final List<String> expectedDeadLetters = new ArrayList<>();
        final Map<Fate, Integer> fates = new HashMap<>();
        final Set<String> reusedIds = new HashSet<>();
        final Set<String> everProfiled = new HashSet<>();
        final List<BrandEquity> equityRecords = new ArrayList<>();
        final Deque<String> recentCustomers = new ArrayDeque<>();
        int resentInsideHorizon, ties, profileChanges, copiesBeyondHorizon, lateCopies, reusedAfterHorizon, boundaryAccepted, boundaryRejected, checkpoints;
        int boundaries, lateCounted, lateCountedWithinAnHour, lateIntoClosedWindows, segmentChangesBeforeLate, horizonAccepted, horizonRejected;
        int segmentRevisionsCountingLateFirstRecords, emptiedSegmentWindows;
        /** Flushes equity and history every this many events (0: at the checkpoints only). */
        int historyFlushEvery;
        long maxLatenessCounted;
        long cursor = Events.T0.plusSeconds(7_200).toEpochMilli();
        long nextId;

        Run(long seed, int customers, List<String> segments, PipelineDriver p, ReferenceModel ref) {
            for (int i = 0; i < customers; i++) this.customers.add(String.format("c%03d", i));
            this.seed = seed;
            this.segments = segments;
            this.rnd = new Random(seed);
            this.p = p;
            this.ref = ref;
        }

        long grace() {
            return p.config.windows().grace().toMillis();
        }

        long horizon() {
            return p.config.windows().lateHorizon().toMillis();
        }

        long size() {
            return p.config.windows().size().toMillis();
        }

        long advance() {
            return p.config.windows().advance().toMillis();
        }

        void profile(CustomerProfile profile) {
            p.profile(profile);
            ref.profile(profile);
            everProfiled.add(profile.getCustomerId());
        }

        Fate send(CustomerInteraction e) {
            return send(e, true);
        }

        /**
         * {@code resendable}: whether a later duplicate may copy it. An event that reuses an id is not:
         * which earlier time a third copy is measured against would be a guess beyond docs/model.md.
         */
        Fate send(CustomerInteraction e, boolean resendable) {
            p.send(e);
            long t = e.getEventTime().toEpochMilli();
            boolean copy = ref.countedBefore(e);
            boolean behindGrace = ref.behindGrace(t);
            Fate fate = ref.interaction(e);
            fates.merge(fate, 1, Integer::sum);
            switch (fate) {
                case TOO_LATE -> {
                    expectedDeadLetters.add(e.getEventId());
                    if (copy) copiesBeyondHorizon++;
                }
                case DUPLICATE -> {
                    if (behindGrace) lateCopies++;
                }
                case COUNTED -> {
                    if (behindGrace) {
                        lateCounted++;
                        long lateness = ref.streamTime() - t;
                        maxLatenessCounted = Math.max(maxLatenessCounted, lateness);
                        if (lateness < HOUR) lateCountedWithinAnHour++;
                    }
                }
            }
            if (resendable) sent.add(e);
            return fate;
        }

        /** Sends an event behind the grace period (or meant to be) and keeps it for copies. */
        Fate sendLate(CustomerInteraction e) {
            lateSent.add(e);
            return send(e);
        }

        CustomerProfile randomProfile(String customer) {
            double[] valueWeights = {0.5, 1.0, 1.0, 1.25, 2.0, 3.0};
            double v = rnd.nextBoolean() ? valueWeights[rnd.nextInt(valueWeights.length)] : 0.25 + 2.75 * rnd.nextDouble();
            return Events.profile(customer, segments.get(rnd.nextInt(segments.size())), v);
        }

        void generate(Mismatches m) {
            // About one customer in five starts without a profile ("unassigned"); some of them get one later.
            for (String c : customers) {
                if (rnd.nextDouble() < 0.8) profile(randomProfile(c));
            }
            int events = 0;
            while (events < EVENTS) {
                double r = rnd.nextDouble();
                if (r < 0.01) {
                    profile(randomProfile(customers.get(rnd.nextInt(customers.size()))));
                    profileChanges++;
                    continue;
                }
                events++;
                if (r < 0.05 && !sent.isEmpty()) {
                    // A producer retry: the same record again, shortly after.
                    send(sent.get(Math.max(0, sent.size() - 1 - rnd.nextInt(40))));
                } else if (r < 0.055 && !sent.isEmpty()) {
                    // A replay of an old record, often far behind stream time by now.
                    send(sent.get(rnd.nextInt(sent.size())));
                } else if (r < 0.058 && reuseIdAfterHorizon()) {
                    reusedAfterHorizon++;
                } else if (r < 0.065 && tieAfterASegmentChange()) {
                    ties++;
                } else {
                    send(newEvent(eventTime()));
                }
                if (events % 750 == 0) {
                    compareEquity(ref, latestEquity(), "checkpoint after " + events + " events", m);
                    checkpoints++;
                }
            }
        }

        /**
         * Eleven days of event time (starting 13 days before the driver's clock, so that nothing is
         * in the future), bursts of events per customer, and a share of late arrivals: random ones
         * from one minute to ten days behind stream time, ones into closed windows of a customer that
         * had events there, exactly on the horizon and one millisecond beyond it, and copies.
         */
        void generateWithLateArrivals(Mismatches m) {
            for (String c : customers) {
                if (rnd.nextDouble() < 0.8) profile(randomProfile(c));
            }
            cursor = Events.T0.minus(Duration.ofDays(13)).toEpochMilli();
            int events = 0;
            while (events < LATE_EVENTS) {
                double r = rnd.nextDouble();
                if (r < 0.01) {
                    profile(randomProfile(customers.get(rnd.nextInt(customers.size()))));
                    profileChanges++;
                    continue;
                }
                events++;
                boolean started = ref.streamTime() != Long.MIN_VALUE;
                if (r < 0.04 && !sent.isEmpty()) {
                    send(sent.get(Math.max(0, sent.size() - 1 - rnd.nextInt(40))));
                } else if (r < 0.07 && !lateSent.isEmpty()) {
                    // A copy of a late arrival: counted once inside the horizon, a dead letter beyond it.
                    send(lateSent.get(rnd.nextInt(lateSent.size())));
                } else if (r < 0.085 && !sent.isEmpty()) {
                    // A replay of any earlier record: days behind stream time by now, often.
                    send(sent.get(rnd.nextInt(sent.size())));
                } else if (r < 0.088 && reuseIdAfterHorizon()) {
                    reusedAfterHorizon++;
                } else if (r < 0.095 && tieAfterASegmentChange()) {
                    ties++;
                } else if (r < 0.105 && started) {
                    onABoundary();
                } else if (r < 0.22 && started && lateIntoAClosedWindow()) {
                    lateIntoClosedWindows++;
                } else if (r < 0.32 && started) {
                    sendLate(newEvent(ref.streamTime() - lateness()));
                } else {
                    send(newEvent("s" + seed + "-e" + nextId++, burstCustomer(), onTimeEventTime()));
                }
                if (events % 800 == 0) {
                    compareEquity(ref, latestEquity(), "checkpoint after " + events + " events", m);
                    checkpoints++;
                }
                if (historyFlushEvery > 0 && events % historyFlushEvery == 0) p.flushHistory();
            }
        }

        /** Log-uniform from one minute to ten days: as many a few minutes late as a few days late. */
        long lateness() {
            return (long) (MINUTE * Math.exp(rnd.nextDouble() * Math.log(10.0 * DAY / MINUTE)));
        }

        /** About 11 days over the run, now and then on a window boundary, some out of order inside the grace period. */
        long onTimeEventTime() {
            // About 68 % of the arrivals are on-time events: 11 days / (0.68 * LATE_EVENTS) on average.
            cursor += rnd.nextInt((int) (2 * 11 * DAY / (0.68 * LATE_EVENTS)));
            if (rnd.nextDouble() < 0.03) cursor = (cursor / advance() + 1) * advance();
            double r = rnd.nextDouble();
            if (r < 0.70) return cursor;
            if (r < 0.95) return cursor - (long) (rnd.nextDouble() * grace());
            return cursor + rnd.nextInt(90_000);
        }

        /** Half the time one of the last few customers again, so that customer windows hold several events. */
        String burstCustomer() {
            String c = !recentCustomers.isEmpty() && rnd.nextBoolean()
                    ? List.copyOf(recentCustomers).get(rnd.nextInt(recentCustomers.size()))
                    : customers.get(rnd.nextInt(customers.size()));
            recentCustomers.addLast(c);
            if (recentCustomers.size() > 8) recentCustomers.removeFirst();
            return c;
        }

        /**
         * In turn: exactly window.grace behind stream time (on time), one millisecond more (late),
         * exactly late.horizon behind (counted late) and one millisecond more (a dead letter).
         */
        void onABoundary() {
            long streamTime = ref.streamTime();
            Fate fate;
            switch (boundaries++ % 4) {
                case 0 -> {
                    fate = sendLate(newEvent(streamTime - grace()));
                    if (fate == Fate.COUNTED) boundaryAccepted++;
                }
                case 1 -> {
                    fate = sendLate(newEvent(streamTime - grace() - 1));
                    if (fate == Fate.COUNTED) boundaryRejected++;
                }
                case 2 -> {
                    fate = sendLate(newEvent(streamTime - horizon()));
                    if (fate == Fate.COUNTED) horizonAccepted++;
                }
                default -> {
                    fate = sendLate(newEvent(streamTime - horizon() - 1));
                    if (fate == Fate.TOO_LATE) horizonRejected++;
                }
            }
        }

        /**
         * A late event of a customer into a window that had already closed with events of that
         * customer in it (so a revision): near a counted event's time, sometimes at that very time,
         * sometimes after the customer moved to another segment.
         */
        boolean lateIntoAClosedWindow() {
            long streamTime = ref.streamTime();
            for (int tries = 0; tries < 10; tries++) {
                Counted c = ref.counted(rnd.nextInt(ref.countedSize()));
                String customer = c.event().getCustomerId();
                if (c.time() > streamTime - grace() - size() || c.time() < streamTime - horizon() + HOUR) continue;
                long t = rnd.nextDouble() < 0.2 ? c.time() : c.time() + (long) ((rnd.nextDouble() - 0.5) * advance());
                if (rnd.nextDouble() < 0.3) {
                    profile(Events.profile(customer, otherSegment(c.segment()), 0.25 + 2.75 * rnd.nextDouble()));
                    segmentChangesBeforeLate++;
                }
                sendLate(newEvent("s" + seed + "-e" + nextId++, customer, t));
                return true;
            }
            return false;
        }

        String otherSegment(String segment) {
            return segments.get((segments.indexOf(segment) + 1 + rnd.nextInt(segments.size() - 1)) % segments.size());
        }

        /** An event time relative to the arrival cursor and the stream time: mostly in order, some late, some early. */
        long eventTime() {
            cursor += rnd.nextInt(8_000);
            // Now and then exactly on a minute, so on window starts and ends.
            if (rnd.nextDouble() < 0.05) cursor = (cursor / MINUTE + 1) * MINUTE;
            long streamTime = ref.streamTime() == Long.MIN_VALUE ? cursor : ref.streamTime();
            double r = rnd.nextDouble();
            if (r < 0.70) return cursor;
            if (r < 0.88) return cursor - (long) (rnd.nextDouble() * grace());
            if (r < 0.90) { boundaryAccepted++; return streamTime - grace(); }
            if (r < 0.92) { boundaryRejected++; return streamTime - grace() - 1; }
            if (r < 0.97) return streamTime - grace() - 1 - rnd.nextInt(30 * (int) MINUTE);
            return cursor + rnd.nextInt(90_000);
        }

        CustomerInteraction newEvent(long time) {
            return newEvent("s" + seed + "-e" + nextId++, time);
        }

        CustomerInteraction newEvent(String id, long time) {
            return newEvent(id, customers.get(rnd.nextInt(customers.size())), time);
        }

        CustomerInteraction newEvent(String id, String customer, long time) {
            Touchpoint[] tps = Touchpoint.values();
            LifecycleStage[] stages = LifecycleStage.values();
            CustomerInteraction.Builder b = CustomerInteraction.newBuilder()
                    .setEventId(id)
                    .setCustomerId(customer)
                    .setEventTime(Instant.ofEpochMilli(time))
                    .setTouchpoint(tps[rnd.nextInt(tps.length)])
                    .setStage(stages[rnd.nextInt(stages.length)])
                    .setChannel(rnd.nextBoolean() ? "web" : null);
            // One event in six carries no signal at all, so its touchpoint prior scores it.
            if (rnd.nextDouble() >= 1.0 / 6) {
                if (rnd.nextDouble() < 0.35) b.setRating(1 + rnd.nextInt(5));
                if (rnd.nextDouble() < 0.3) b.setLikelihoodToRecommend(rnd.nextInt(11));
                if (rnd.nextDouble() < 0.25) b.setEffort(1 + rnd.nextInt(7));
                if (rnd.nextDouble() < 0.25) {
                    double[] edges = {-1, -0.25, 0, 0.25, 1};
                    b.setSentiment(rnd.nextDouble() < 0.3 ? edges[rnd.nextInt(edges.length)] : 2 * rnd.nextDouble() - 1);
                }
                if (rnd.nextDouble() < 0.3) b.setOutcome(Outcome.values()[rnd.nextInt(Outcome.values().length)]);
            }
            if (rnd.nextDouble() < 0.1) b.setSpend(new Money(100 * rnd.nextDouble(), "EUR"));
            return b.build();
        }

        /**
         * Moves the customer of a recent counted event to another segment, then sends an event of that
         * customer at the very same time: the window's segment must be the later processed one's.
         */
        boolean tieAfterASegmentChange() {
            if (ref.countedSize() == 0) return false;
            Counted last = ref.counted(Math.max(0, ref.countedSize() - 1 - rnd.nextInt(20)));
            String customer = last.event().getCustomerId();
            if (!customers.contains(customer)) return false;
            profile(Events.profile(customer, otherSegment(last.segment()), 1.0));
            send(newEvent("s" + seed + "-e" + nextId++, customer, last.time()));
            return true;
        }

        /** Reuses the id of an event counted more than the dedup horizon ago: a new event, counted. */
        boolean reuseIdAfterHorizon() {
            long horizon = p.config.windows().dedupHorizon().toMillis();
            for (Counted c : ref.counted()) {
                if (c.time() >= cursor - horizon - MINUTE) break;
                String id = c.event().getEventId();
                if (c.event().getCustomerId().equals("clock") || !reusedIds.add(id)) continue;
                send(newEvent(id, cursor), false);
                return true;
            }
            return false;
        }

        BrandEquity latestEquity() {
            BrandEquity e = p.latestEquity();
            equityRecords.add(e);
            return e;
        }

        /**
         * Ends the stream and compares everything: copies of counted events inside the horizon
         * change nothing, then a bystander event far enough ahead closes every window of the
         * generated events (it counts too), then windows, segments, dead letters and equity.
         * Returns the expected customer-window records.
         */
        Map<WindowKey, List<CustomerWindow>> closeEveryWindowAndCompare(Mismatches m) {
            copiesInsideTheHorizonChangeNothing(m);
            long clock = ref.streamTime() + size() + grace();
            send(CustomerInteraction.newBuilder().setEventId("clock-" + seed).setCustomerId("clock")
                    .setEventTime(Instant.ofEpochMilli(clock)).setTouchpoint(Touchpoint.SURVEY_RESPONSE)
                    .setStage(LifecycleStage.USAGE).setRating(4).build());

            Map<WindowKey, List<CustomerWindow>> expected = ref.customerWindowRecords();
            Map<WindowKey, List<CustomerExperienceScore>> actual = customerScores(m);
            compareCustomerWindows(expected, actual, m);
            compareSegmentScores(expected, actual, m);
            compareStandardMetrics(m);
            compareDeadLetters(this, m);
            compareEquity(ref, p.latestEquity(), "final", m);
            return expected;
        }

        /**
         * docs/model.md §5 "counted once", and issue 11 "a copy of a counted event arriving anywhere inside
         * the horizon counts once": re-sending counted events that are still inside the horizon
         * (the oldest ones, right at its edge, and a random share of the others, on time and late)
         * emits nothing and leaves the equity as it was.
         */
        void copiesInsideTheHorizonChangeNothing(Mismatches m) {
            // Equity is emitted only when something changed: the last checkpoint's record may be current.
            p.flushEquity();
            List<BrandEquity> pending = p.equity.readValuesToList();
            BrandEquity before = pending.isEmpty() ? equityRecords.get(equityRecords.size() - 1) : pending.get(pending.size() - 1);
            drain();
            List<Counted> inside = new ArrayList<>(ref.counted().stream()
                    .filter(c -> !ref.beyondHorizon(c.time()) && !reusedIds.contains(c.event().getEventId())).toList());
            assertTrue(!inside.isEmpty(), "no counted event inside the horizon to re-send");
            inside.sort(java.util.Comparator.comparingLong(Counted::time));
            List<Counted> copies = new ArrayList<>();
            for (int i = 0; i < inside.size(); i++) {
                if (i < 20 || inside.size() <= 300 || rnd.nextInt(inside.size()) < 280) copies.add(inside.get(i));
            }
            resentInsideHorizon = copies.size();
            for (Counted c : copies) assertEquals(Fate.DUPLICATE, send(c.event()), "reference: re-sent " + c.event().getEventId());
            p.flushEquity();
            List<BrandEquity> after = p.equity.readValuesToList();
            int customerRecords = customerScores.size(), segmentRecords = segmentScores.size(), deadLettersBefore = deadLetters.size();
            int touchpointRecords = touchpointScores.size();
            drain();
            // Recorded, not thrown, so that the rest of the comparison still runs (what they emitted stays in the outputs compared).
            if (customerScores.size() > customerRecords) m.add(copies.size() + " copies inside the horizon emitted " + (customerScores.size() - customerRecords)
                    + " customer score(s), first " + customerScores.get(customerRecords));
            if (segmentScores.size() > segmentRecords) m.add(copies.size() + " copies inside the horizon emitted " + (segmentScores.size() - segmentRecords)
                    + " segment score(s), first " + segmentScores.get(segmentRecords).value());
            if (touchpointScores.size() > touchpointRecords) m.add(copies.size() + " copies inside the horizon emitted "
                    + (touchpointScores.size() - touchpointRecords) + " touchpoint score(s), first " + touchpointScores.get(touchpointRecords));
            if (deadLetters.size() > deadLettersBefore) m.add(copies.size() + " copies inside the horizon were dead-lettered " + (deadLetters.size() - deadLettersBefore) + " time(s)");
            for (BrandEquity e : after) {
                if (!before.equals(e)) {
                    m.add("copies inside the horizon changed the brand equity: from " + before + " to " + e);
                    break;
                }
            }
        }

        private final List<CustomerExperienceScore> customerScores = new ArrayList<>();
        private final List<TestRecord<String, SegmentExperienceScore>> segmentScores = new ArrayList<>();
        private final List<TestRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        private final List<TouchpointExperienceScore> touchpointScores = new ArrayList<>();

        /** Moves what the topology emitted so far out of the output topics. */
        void drain() {
            customerScores.addAll(p.customerScores.readValuesToList());
            segmentScores.addAll(p.segmentScores.readRecordsToList());
            deadLetters.addAll(p.deadLetters.readRecordsToList());
            touchpointScores.addAll(p.touchpointScores.readValuesToList());
        }

        /**
         * Issue 14: NPS, CSAT and CES (counts, values and intervals) of the latest record of every
         * segment window and every touchpoint window (with its revision) equal the batch
         * recomputation ({@link StandardMetricsReference}).
         */
        void compareStandardMetrics(Mismatches m) {
            drain();
            Map<SegmentKey, SegmentExperienceScore> segments = new LinkedHashMap<>();
            for (TestRecord<String, SegmentExperienceScore> r : segmentScores) {
                if (r.value() != null) segments.put(new SegmentKey(r.value().getSegment(), r.value().getWindowStart().toEpochMilli()), r.value());
            }
            StandardMetricsReference.compareSegments(ref, segments).forEach(m::add);
            Map<StandardMetricsReference.TouchpointKey, TouchpointExperienceScore> touchpoints = new LinkedHashMap<>();
            for (TouchpointExperienceScore t : touchpointScores) {
                touchpoints.put(new StandardMetricsReference.TouchpointKey(t.getTouchpoint(), t.getWindowStart().toEpochMilli()), t);
            }
            StandardMetricsReference.compareTouchpoints(ref, p.config, touchpoints).forEach(m::add);
            Map<SegmentKey, List<org.brandequity.avro.internal.TouchpointResponses>> byTouchpoint = new LinkedHashMap<>();
            org.apache.kafka.streams.state.KeyValueStore<String, org.brandequity.avro.internal.SegmentWindowAggregate> store =
                    p.driver.getKeyValueStore(BrandEquityTopology.SEGMENT_WINDOW_STORE);
            try (var it = store.all()) {
                it.forEachRemaining(kv -> {
                    SegmentWindowKey k = SegmentWindowKey.decode(kv.key);
                    byTouchpoint.put(new SegmentKey(k.segment(), k.windowStart()), kv.value.getTouchpointResponses());
                });
            }
            segmentWindowsWithTouchpointAnswers = byTouchpoint.values().stream().filter(l -> l.size() > 1).count();
            StandardMetricsReference.compareSegmentTouchpoints(ref, byTouchpoint).forEach(m::add);
            latestSegmentRecords = segments;
            latestTouchpointRecords = touchpoints;
        }

        private Map<SegmentKey, SegmentExperienceScore> latestSegmentRecords = Map.of();
        private long segmentWindowsWithTouchpointAnswers;
        private Map<StandardMetricsReference.TouchpointKey, TouchpointExperienceScore> latestTouchpointRecords = Map.of();

        /** Guards against a generator change that stops covering the standard metrics (after the comparison, which names differences first). */
        void assertTheStreamExercisedTheStandardMetrics() {
            Map<SegmentKey, SegmentExperienceScore> segments = latestSegmentRecords;
            Map<StandardMetricsReference.TouchpointKey, TouchpointExperienceScore> touchpoints = latestTouchpointRecords;
            assertTrue(segments.values().stream().filter(s -> s.getNpsResponses() > 1 && s.getCsatResponses() > 1 && s.getCesResponses() > 1).count() > 20,
                    "few segment windows with several answers of each kind");
            assertTrue(segments.values().stream().anyMatch(s -> s.getCustomers() > 0 && s.getNpsResponses() == 0), "no segment window without NPS answers");
            assertTrue(touchpoints.size() > 50, "few touchpoint windows: " + touchpoints.size());
            assertTrue(segmentWindowsWithTouchpointAnswers > 5, "few stored segment windows with answers at two touchpoints or more: "
                    + segmentWindowsWithTouchpointAnswers);
            if (horizon() > grace()) {
                assertTrue(touchpoints.values().stream().filter(t -> t.getRevision() > 1).count() > 10, "few touchpoint windows revised twice");
            }
        }

        /**
         * Every customer record per (customer, window start), in emission order. Each record's
         * revision must be the number of records of its window before it (issue 11: "records of
         * one customer are in revision order", the latest is the current one).
         */
        Map<WindowKey, List<CustomerExperienceScore>> customerScores(Mismatches m) {
            drain();
            Map<WindowKey, List<CustomerExperienceScore>> byKey = new LinkedHashMap<>();
            for (CustomerExperienceScore s : customerScores) {
                WindowKey key = new WindowKey(s.getCustomerId(), s.getWindowStart().toEpochMilli());
                List<CustomerExperienceScore> records = byKey.computeIfAbsent(key, k -> new ArrayList<>());
                if (s.getRevision() != records.size()) {
                    m.add("customer window " + key + " record #" + records.size() + " has revision " + s.getRevision());
                }
                records.add(s);
            }
            return byKey;
        }

        /** Guards against a generator change that silently stops covering a case. */
        void assertTheStreamExercisedEveryCase(Map<WindowKey, List<CustomerWindow>> records) {
            Map<WindowKey, CustomerWindow> windows = latest(records);
            assertTrue(fates.getOrDefault(Fate.DUPLICATE, 0) > 50, "duplicates: " + fates);
            assertTrue(fates.getOrDefault(Fate.TOO_LATE, 0) > 15, "late events: " + fates);
            assertTrue(copiesBeyondHorizon > 0 && reusedAfterHorizon > 0, summary(records));
            assertTrue(profileChanges > 10 && ties > 10 && checkpoints >= 4, summary(records));
            List<Counted> counted = ref.counted();
            assertTrue(counted.stream().anyMatch(c -> c.segment().equals(ReferenceModel.UNASSIGNED) && everProfiled.contains(c.event().getCustomerId())),
                    "no customer went from unassigned to a segment mid-stream");
            assertTrue(counted.stream().anyMatch(c -> c.event().getRating() == null && c.event().getLikelihoodToRecommend() == null
                    && c.event().getEffort() == null && c.event().getSentiment() == null && c.event().getOutcome() == null), "no event without signal");
            assertTrue(windows.values().stream().filter(w -> w.events() > 1).count() > 100, "few multi-event windows");
            for (String s : segments) assertTrue(windows.values().stream().anyMatch(w -> w.segment().equals(s)), "no window in " + s);
            assertTrue(windows.values().stream().anyMatch(w -> w.segment().equals(ReferenceModel.UNASSIGNED)), "no unassigned window");
        }

        /** The on-time streams only: the grace boundary, and the late events all dead letters. */
        void assertTheOnTimeStreamExercisedTheGraceBoundary() {
            assertTrue(fates.getOrDefault(Fate.TOO_LATE, 0) > 50, "late events: " + fates);
            assertTrue(boundaryAccepted > 0 && boundaryRejected > 0, "grace boundary: " + boundaryAccepted + " / " + boundaryRejected);
        }

        /** The late streams: every kind of late arrival the issue names, and every kind of revision. */
        void assertTheStreamExercisedTheLatePath(Map<WindowKey, List<CustomerWindow>> records) {
            String s = lateSummary(records);
            assertTrue(lateCounted > 600 && lateCountedWithinAnHour > 20 && maxLatenessCounted > 6 * DAY, s);
            assertTrue(horizonAccepted > 0 && horizonRejected > 0 && boundaryAccepted > 0 && boundaryRejected > 0, s);
            assertTrue(lateCopies > 50 && copiesBeyondHorizon > 5, s);
            assertTrue(lateIntoClosedWindows > 200 && segmentChangesBeforeLate > 30, s);
            assertTrue(count(records, l -> !l.get(0).emittedLate() && l.size() > 1) > 150, "few revisions of on-time windows: " + s);
            assertTrue(count(records, l -> l.get(0).emittedLate()) > 100, "few windows first written by a late event: " + s);
            assertTrue(count(records, l -> l.size() > 2) > 20, "few windows revised twice: " + s);
            assertTrue(segmentMoves(records) > 10, "few revisions moving a customer window to another segment: " + s);
            Map<SegmentKey, SegmentRevisions> revisions = ref.segmentRevisions(records);
            assertTrue(revisions.values().stream().filter(r -> r.applied() > 1).count() > 50, "few segment windows revised twice: " + s);
        }

        String summary(Map<WindowKey, List<CustomerWindow>> records) {
            return String.format("%d customers, arrivals %s, %d profile changes, %d same-time events after a segment change, %d copies beyond the horizon, "
                            + "%d ids reused after the dedup horizon, %d on the grace boundary / %d one ms past it, %d closed customer windows, %d equity checkpoints, "
                            + "%d counted events re-sent at the end without effect",
                    customers.size(), fates, profileChanges, ties, copiesBeyondHorizon, reusedAfterHorizon, boundaryAccepted, boundaryRejected,
                    records.size(), checkpoints, resentInsideHorizon);
        }

        String lateSummary(Map<WindowKey, List<CustomerWindow>> records) {
            return String.format("%d counted late (%d under an hour, the latest %.2f days), %d into closed windows (%d after a segment change), "
                            + "%d on the horizon / %d one ms beyond it, %d late copies dropped; customer windows: %d revised, %d first written late, "
                            + "%d revised twice or more, %d revisions moving segment; segment windows: %d taking in customer windows first written late, %d emptied",
                    lateCounted, lateCountedWithinAnHour, maxLatenessCounted / (double) DAY, lateIntoClosedWindows, segmentChangesBeforeLate,
                    horizonAccepted, horizonRejected, lateCopies,
                    count(records, l -> !l.get(0).emittedLate() && l.size() > 1), count(records, l -> l.get(0).emittedLate()),
                    count(records, l -> l.size() > 2), segmentMoves(records),
                    segmentRevisionsCountingLateFirstRecords, emptiedSegmentWindows);
        }

        /** Compares the last record of every segment window (docs/model.md §3), its revision, and that revisions never go down. */
        void compareSegmentScores(Map<WindowKey, List<CustomerWindow>> records,
                                   Map<WindowKey, List<CustomerExperienceScore>> actualCustomerRecords, Mismatches m) {
            drain();
            Map<SegmentKey, SegmentExperienceScore> actual = new LinkedHashMap<>();
            Map<SegmentKey, Integer> highest = new HashMap<>();
            for (TestRecord<String, SegmentExperienceScore> r : segmentScores) {
                SegmentExperienceScore s = r.value();
                if (s == null) {
                    m.add("segment-score tombstone with key " + r.key() + ": the window cannot be told");
                    continue;
                }
                SegmentKey key = new SegmentKey(s.getSegment(), s.getWindowStart().toEpochMilli());
                actual.put(key, s);
                Integer before = highest.put(key, s.getRevision());
                if (before != null && s.getRevision() < before) {
                    m.add("segment window " + key + " revision went down from " + before + " to " + s.getRevision());
                }
            }
            Map<WindowKey, CustomerExperienceScore> actualCustomerWindows = new HashMap<>();
            actualCustomerRecords.forEach((k, l) -> actualCustomerWindows.put(k, l.get(l.size() - 1)));
            Map<SegmentKey, SegmentRevisions> revisions = ref.segmentRevisions(records);
            compareSegmentWindows(ref, latest(records), actualCustomerWindows, actual, m);
            // A segment window every customer left by a revision has no expected fold; its latest
            // record must say it is empty.
            actual.forEach((k, a) -> {
                if (revisions.containsKey(k) && a.getCustomers() == 0 && a.getEvents() == 0) emptiedSegmentWindows++;
            });
            actual.forEach((k, a) -> compareSegmentRevision(k, a, revisions.getOrDefault(k, new SegmentRevisions(0, 0, 0, 0)), m));
        }

        /**
         * docs/model.md §3: a segment window's revision counts the late changes it took in: every
         * customer-window revision applied to it (a revision whose customer moved segment is applied
         * to both windows: it leaves one and joins the other) and every customer window whose first
         * record is a late one (revision 0 on the customer topic, but a late change of the segment
         * window, which then no longer holds on-time windows only).
         */
        void compareSegmentRevision(SegmentKey k, SegmentExperienceScore a, SegmentRevisions r, Mismatches m) {
            int got = a.getRevision();
            int expected = r.applied() + r.lateFirst();
            if (got == expected) {
                if (r.lateFirst() > 0) segmentRevisionsCountingLateFirstRecords++;
            } else {
                m.add("segment window " + k + " revision: expected " + expected + " (customer revisions: " + r.stayed() + " in this segment, "
                        + r.arrived() + " arriving from another, " + r.left() + " leaving for another, " + r.lateFirst()
                        + " customer windows first written late), got " + got);
            }
        }
    }

    private static Map<WindowKey, CustomerWindow> latest(Map<WindowKey, List<CustomerWindow>> records) {
        Map<WindowKey, CustomerWindow> out = new LinkedHashMap<>();
        records.forEach((k, l) -> out.put(k, l.get(l.size() - 1)));
        return out;
    }

    private static long count(Map<WindowKey, List<CustomerWindow>> records, java.util.function.Predicate<List<CustomerWindow>> p) {
        return records.values().stream().filter(p).count();
    }

    private static long segmentMoves(Map<WindowKey, List<CustomerWindow>> records) {
        long moves = 0;
        for (List<CustomerWindow> l : records.values()) {
            for (int i = 1; i < l.size(); i++) if (!l.get(i).segment().equals(l.get(i - 1).segment())) moves++;
        }
        return moves;
    }

    /**
     * The latest record of every customer window must equal the window over every event counted in
     * it; each earlier record, the window as it stood when that record was written.
     */
    private static void compareCustomerWindows(Map<WindowKey, List<CustomerWindow>> expected,
                                               Map<WindowKey, List<CustomerExperienceScore>> actual, Mismatches m) {
        for (WindowKey k : expected.keySet()) if (!actual.containsKey(k)) m.add("customer window " + k + " missing: expected " + expected.get(k));
        for (WindowKey k : actual.keySet()) if (!expected.containsKey(k)) m.add("customer window " + k + " not expected: got " + actual.get(k));
        expected.forEach((k, e) -> {
            List<CustomerExperienceScore> a = actual.get(k);
            if (a == null) return;
            compareCustomerWindow("customer window " + k + " latest ", e.get(e.size() - 1), a.get(a.size() - 1), m);
            if (a.size() != e.size()) {
                m.add("customer window " + k + ": expected " + e.size() + " record(s) (" + (e.get(0).emittedLate() ? "first written by a late event, " : "")
                        + (e.size() - 1) + " revision(s)), got " + a.size() + ": events per record expected "
                        + e.stream().map(CustomerWindow::events).toList() + ", got " + a.stream().map(CustomerExperienceScore::getEvents).toList());
                return;
            }
            for (int i = 0; i < e.size() - 1; i++) compareCustomerWindow("customer window " + k + " record #" + i + " ", e.get(i), a.get(i), m);
        });
    }

    private static void compareCustomerWindow(String what, CustomerWindow e, CustomerExperienceScore a, Mismatches m) {
        m.equal(what + "revision", e.revision(), a.getRevision());
        m.equal(what + "end", e.end(), a.getWindowEnd().toEpochMilli());
        m.equal(what + "segment", e.segment(), a.getSegment());
        m.equal(what + "events", e.events(), a.getEvents());
        m.equal(what + "positive", e.positive(), a.getPositive());
        m.equal(what + "neutral", e.neutral(), a.getNeutral());
        m.equal(what + "negative", e.negative(), a.getNegative());
        m.close(what + "weight", e.weight(), a.getWeight());
        m.close(what + "score", e.score(), a.getScore());
    }

    private static void compareSegmentWindows(ReferenceModel ref, Map<WindowKey, CustomerWindow> customerWindows,
                                              Map<WindowKey, CustomerExperienceScore> actualCustomerWindows,
                                              Map<SegmentKey, SegmentExperienceScore> actual, Mismatches m) {
        // A customer score within rounding error of a polarity threshold has no well-defined side:
        // classify it by the streaming score (already checked equal to ours within tolerance).
        Function<CustomerWindow, Polarity> polarity = w -> {
            CustomerExperienceScore a = actualCustomerWindows.get(new WindowKey(w.customer(), w.start()));
            boolean onAThreshold = ref.polarity(w.score() - TOLERANCE) != ref.polarity(w.score() + TOLERANCE);
            return onAThreshold && a != null ? ref.polarity(a.getScore()) : ref.polarity(w.score());
        };
        Map<SegmentKey, SegmentWindow> expected = ref.segmentWindows(customerWindows, polarity);
        for (SegmentKey k : expected.keySet()) if (!actual.containsKey(k)) m.add("segment window " + k + " missing: expected " + expected.get(k));
        for (SegmentKey k : actual.keySet()) {
            SegmentExperienceScore a = actual.get(k);
            // A window every customer left (a revision moved them to another segment) may remain as an empty record.
            if (!expected.containsKey(k) && !(a.getCustomers() == 0 && a.getEvents() == 0)) m.add("segment window " + k + " not expected: got " + a);
        }
        expected.forEach((k, e) -> {
            SegmentExperienceScore a = actual.get(k);
            if (a == null) return;
            String what = "segment window " + k + " ";
            m.equal(what + "end", e.end(), a.getWindowEnd().toEpochMilli());
            m.equal(what + "customers", e.customers(), a.getCustomers());
            m.equal(what + "sampleSize", e.customers(), a.getSampleSize());
            m.equal(what + "events", e.events(), a.getEvents());
            m.close(what + "meanCustomerScore", e.meanCustomerScore(), a.getMeanCustomerScore());
            m.equal(what + "positiveCustomers", e.positiveCustomers(), a.getPositiveCustomers());
            m.equal(what + "negativeCustomers", e.negativeCustomers(), a.getNegativeCustomers());
            m.close(what + "netExperience", e.netExperience(), a.getNetExperience());
            m.close(what + "netExperienceMarginOfError", e.marginOfError(), a.getNetExperienceMarginOfError());
        });
    }

    /**
     * Dead letters must be exactly the arrivals beyond the horizon (issue 11: "beyond-horizon events
     * are dead letters and nothing else"), in arrival order, as TOO_LATE with the horizon named in
     * the detail. Copies of counted events inside the horizon are dropped, not dead-lettered.
     */
    private static void compareDeadLetters(Run run, Mismatches m) {
        run.drain();
        List<String> actualIds = new ArrayList<>();
        List<String> unnamedHorizon = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : run.deadLetters) {
            String reason = PipelineDriver.header(r, "brandequity.dlq.reason");
            String detail = PipelineDriver.header(r, "brandequity.dlq.detail");
            CustomerInteraction e = run.p.serdes.interaction().deserializer().deserialize(run.p.config.topics().interactions(), r.value());
            if (!"TOO_LATE".equals(reason)) m.add("dead letter " + e.getEventId() + " has reason " + reason + ", expected TOO_LATE");
            else if (detail == null || !detail.toLowerCase(java.util.Locale.ROOT).contains("horizon")) unnamedHorizon.add(detail);
            actualIds.add(e.getEventId());
        }
        if (!unnamedHorizon.isEmpty()) {
            m.add(unnamedHorizon.size() + " TOO_LATE dead letter(s) do not name the horizon in their detail, first: " + unnamedHorizon.get(0));
        }
        for (int i = 0; i < Math.max(actualIds.size(), run.expectedDeadLetters.size()); i++) {
            String expected = i < run.expectedDeadLetters.size() ? run.expectedDeadLetters.get(i) : null;
            String actual = i < actualIds.size() ? actualIds.get(i) : null;
            if (!java.util.Objects.equals(expected, actual)) {
                m.add("dead letter #" + i + ": expected " + (expected == null ? "nothing" : expected + " (TOO_LATE)") + ", got " + actual
                        + " (" + run.expectedDeadLetters.size() + " expected, " + actualIds.size() + " written)");
                return;
            }
        }
    }

    private static void compareEquity(ReferenceModel ref, BrandEquity a, String when, Mismatches m) {
        ReferenceModel.Equity e = ref.equity();
        String what = "equity (" + when + ") ";
        m.equal(what + "asOf", e.asOf(), a.getAsOf().toEpochMilli());
        m.equal(what + "events", e.events(), a.getEvents());
        m.close(what + "stock", e.stock(), a.getStock());
        m.close(what + "volume", e.volume(), a.getVolume());
        m.close(what + "index", e.index(), a.getIndex());

        Map<String, SegmentContribution> segments = new HashMap<>();
        a.getSegments().forEach(s -> segments.put(s.getSegment(), s));
        compareBreakdown(what + "segment ", e.segments(), segments, SegmentContribution::getContribution, SegmentContribution::getVolume, m);
        e.segments().forEach((s, sums) -> {
            SegmentContribution c = segments.get(s);
            if (c == null) return;
            m.close(what + "segment " + s + " weight", ref.segmentWeight(s), c.getSegmentWeight());
            m.close(what + "segment " + s + " perceived", sums.stock() / sums.volume(), c.getPerceived());
        });

        Map<Touchpoint, TouchpointContribution> touchpoints = new HashMap<>();
        a.getTouchpoints().forEach(t -> touchpoints.put(t.getTouchpoint(), t));
        compareBreakdown(what + "touchpoint ", e.touchpoints(), touchpoints, TouchpointContribution::getContribution, TouchpointContribution::getVolume, m);
        e.touchpoints().forEach((t, sums) -> {
            TouchpointContribution c = touchpoints.get(t);
            if (c == null) return;
            double perceived = sums.stock() / sums.volume();
            m.close(what + "touchpoint " + t + " perceived", perceived, c.getPerceived());
            m.close(what + "touchpoint " + t + " promise", ref.promise(t), c.getPromise());
            m.close(what + "touchpoint " + t + " promiseGap", ref.promise(t) - perceived, c.getPromiseGap());
        });

        Map<LifecycleStage, StageContribution> stages = new HashMap<>();
        a.getStages().forEach(s -> stages.put(s.getStage(), s));
        compareBreakdown(what + "stage ", e.stages(), stages, StageContribution::getContribution, StageContribution::getVolume, m);
        e.stages().forEach((s, sums) -> {
            StageContribution c = stages.get(s);
            if (c != null) m.close(what + "stage " + s + " perceived", sums.stock() / sums.volume(), c.getPerceived());
        });

        // Invariant of the output itself (docs/model.md §4): each breakdown partitions the events.
        m.close(what + "Σ segment contributions = stock", a.getStock(), a.getSegments().stream().mapToDouble(SegmentContribution::getContribution).sum());
        m.close(what + "Σ touchpoint contributions = stock", a.getStock(), a.getTouchpoints().stream().mapToDouble(TouchpointContribution::getContribution).sum());
        m.close(what + "Σ stage contributions = stock", a.getStock(), a.getStages().stream().mapToDouble(StageContribution::getContribution).sum());
        m.close(what + "Σ segment volumes = volume", a.getVolume(), a.getSegments().stream().mapToDouble(SegmentContribution::getVolume).sum());
        m.close(what + "Σ touchpoint volumes = volume", a.getVolume(), a.getTouchpoints().stream().mapToDouble(TouchpointContribution::getVolume).sum());
        m.close(what + "Σ stage volumes = volume", a.getVolume(), a.getStages().stream().mapToDouble(StageContribution::getVolume).sum());
        compareCells(ref, a, what, m);
    }

    /**
     * Issue 14's cross breakdown: every (segment, touchpoint, stage) cell, every segment × touchpoint
     * (perceived, the touchpoint's promise and its gap) and every segment × stage (perceived, and a
     * promise and gap only for the stages configured with one) against the batch recomputation; the
     * two-way views are summed here from the reference's cells, which it sums over the events.
     */
    private static void compareCells(ReferenceModel ref, BrandEquity a, String what, Mismatches m) {
        Map<ReferenceModel.CellKey, Sums> cells = ref.equityCells();
        Map<ReferenceModel.CellKey, org.brandequity.avro.EquityCell> actualCells = new HashMap<>();
        a.getCells().forEach(c -> actualCells.put(new ReferenceModel.CellKey(c.getSegment(), c.getTouchpoint(), c.getStage()), c));
        m.equal(what + "cells listed once each", actualCells.size(), a.getCells().size());
        compareBreakdown(what + "cell ", cells, actualCells, org.brandequity.avro.EquityCell::getContribution,
                org.brandequity.avro.EquityCell::getVolume, m);

        Map<List<Object>, double[]> bySegmentTouchpoint = new LinkedHashMap<>();
        Map<List<Object>, double[]> bySegmentStage = new LinkedHashMap<>();
        cells.forEach((k, v) -> {
            double[] st = bySegmentTouchpoint.computeIfAbsent(List.of(k.segment(), k.touchpoint()), x -> new double[2]);
            st[0] += v.stock();
            st[1] += v.volume();
            double[] ss = bySegmentStage.computeIfAbsent(List.of(k.segment(), k.stage()), x -> new double[2]);
            ss[0] += v.stock();
            ss[1] += v.volume();
        });

        Map<List<Object>, org.brandequity.avro.SegmentTouchpointExperience> segmentTouchpoints = new HashMap<>();
        a.getSegmentTouchpoints().forEach(x -> segmentTouchpoints.put(List.of(x.getSegment(), x.getTouchpoint()), x));
        m.equal(what + "segment × touchpoint pairs", bySegmentTouchpoint.keySet(), segmentTouchpoints.keySet());
        bySegmentTouchpoint.forEach((k, e) -> {
            org.brandequity.avro.SegmentTouchpointExperience x = segmentTouchpoints.get(k);
            if (x == null) return;
            double perceived = e[0] / e[1];
            double promise = ref.promise((Touchpoint) k.get(1));
            m.close(what + "segment × touchpoint " + k + " contribution", e[0], x.getContribution());
            m.close(what + "segment × touchpoint " + k + " volume", e[1], x.getVolume());
            m.close(what + "segment × touchpoint " + k + " perceived", perceived, x.getPerceived());
            m.close(what + "segment × touchpoint " + k + " promise", promise, x.getPromise());
            m.close(what + "segment × touchpoint " + k + " promiseGap", promise - perceived, x.getPromiseGap());
        });

        Map<List<Object>, org.brandequity.avro.SegmentStageExperience> segmentStages = new HashMap<>();
        a.getSegmentStages().forEach(x -> segmentStages.put(List.of(x.getSegment(), x.getStage()), x));
        m.equal(what + "segment × stage pairs", bySegmentStage.keySet(), segmentStages.keySet());
        bySegmentStage.forEach((k, e) -> {
            org.brandequity.avro.SegmentStageExperience x = segmentStages.get(k);
            if (x == null) return;
            double perceived = e[0] / e[1];
            Double promise = ref.stagePromise((LifecycleStage) k.get(1));
            m.close(what + "segment × stage " + k + " contribution", e[0], x.getContribution());
            m.close(what + "segment × stage " + k + " volume", e[1], x.getVolume());
            m.close(what + "segment × stage " + k + " perceived", perceived, x.getPerceived());
            if (promise == null) {
                m.equal(what + "segment × stage " + k + " promise (none configured)", "null", String.valueOf(x.getPromise()));
                m.equal(what + "segment × stage " + k + " promiseGap (none configured)", "null", String.valueOf(x.getPromiseGap()));
            } else if (x.getPromise() == null || x.getPromiseGap() == null) {
                m.add(what + "segment × stage " + k + " has no promise or gap: expected promise " + promise);
            } else {
                m.close(what + "segment × stage " + k + " promise", promise, x.getPromise());
                m.close(what + "segment × stage " + k + " promiseGap", promise - perceived, x.getPromiseGap());
            }
        });
    }

    /** Same keys with the same sums; a key only the stream lists is accepted when it holds nothing. */
    private static <K, C> void compareBreakdown(String what, Map<K, Sums> expected, Map<K, C> actual,
                                                Function<C, Double> contribution, Function<C, Double> volume, Mismatches m) {
        expected.forEach((k, e) -> {
            C a = actual.get(k);
            if (a == null) {
                m.add(what + k + " missing: expected contribution " + e.stock() + ", volume " + e.volume());
                return;
            }
            m.close(what + k + " contribution", e.stock(), contribution.apply(a));
            m.close(what + k + " volume", e.volume(), volume.apply(a));
        });
        actual.forEach((k, a) -> {
            if (!expected.containsKey(k)) {
                m.close(what + k + " (no counted event) contribution", 0, contribution.apply(a));
                m.close(what + k + " (no counted event) volume", 0, volume.apply(a));
            }
        });
    }

    /** Collects every difference, so that one failure reports the whole picture. */
    /**
     * Issue 24: the equity history against a batch recomputation. Which events a point held when it
     * was first published follows from the driver: a flush forwards every pending delta, and the
     * history folds the deltas one flush later (the test driver runs every punctuation of a wall-clock
     * advance, then the records they sent), so a point first published at advance k holds exactly the
     * events counted before advance k - 1, and every later one with t &le; B is its restatement.
     */
    private static final class HistoryTracker implements PipelineDriver.WallClockListener {
        private final PipelineDriver p;
        private final ReferenceModel ref;
        /** The counted events before each advance (index k - 1 for advance k). */
        private final List<Integer> countedBefore = new ArrayList<>();
        private final Map<Long, Integer> firstPublishedAt = new HashMap<>();
        private int advances;

        HistoryTracker(PipelineDriver p, ReferenceModel ref) {
            this.p = p;
            this.ref = ref;
        }

        @Override
        public void before() {
            countedBefore.add(ref.countedSize());
        }

        @Override
        public void after() {
            advances++;
            for (org.brandequity.avro.EquityHistoryPoint point : p.history.readValuesToList()) {
                firstPublishedAt.putIfAbsent(point.getBoundary().toEpochMilli(), advances);
            }
        }

        /** The counted events (by sequence number) a point held when first published: those below this. */
        long heldAtFirstPublication(long boundary) {
            return countedBefore.get(firstPublishedAt.get(boundary) - 2);
        }

        /** Segments over the cap fold into "other" at different times in different points; their sum does not. */
        String segment(String s) {
            return p.config.model().segmentWeight().containsKey(s) || s.equals(BrandEquityTopology.UNASSIGNED_SEGMENT) ? s : "(capped)";
        }

        /**
         * For {@code pairs} random (T1, T2) on the grid: the account's parts sum to the measured index
         * change within 1e-9, and every group's new experience, decay and restatement (stock and volume)
         * equal the batch recomputation, by touchpoint, by stage and by cell. Returns how many pairs had
         * a restatement.
         */
        int compareChangeAccounts(Random rnd, int pairs, Mismatches m) {
            List<org.brandequity.model.EquityHistory.Point> points = p.historyPoints();
            HistoryBatch batch = new HistoryBatch(ref, p.config);
            org.brandequity.model.Decay decay = new org.brandequity.model.Decay(p.config.model().halfLife());
            double prior = p.config.model().indexPrior();
            int restated = 0;
            for (int i = 0; i < pairs; i++) {
                int a = rnd.nextInt(points.size() - 1);
                int b = a + 1 + rnd.nextInt(points.size() - a - 1);
                org.brandequity.model.EquityHistory.Point t1 = points.get(a), t2 = points.get(b);
                long T1 = t1.boundary(), T2 = t2.boundary();
                long held = heldAtFirstPublication(T1);
                double d = decay.factor(T1, T2);
                String pair = "(" + Instant.ofEpochMilli(T1) + ", " + Instant.ofEpochMilli(T2) + ")";
                if (t1.restatedEvents() > 0) restated++;
                for (org.brandequity.model.EquityHistory.Grouping by : List.of(org.brandequity.model.EquityHistory.Grouping.TOUCHPOINT,
                        org.brandequity.model.EquityHistory.Grouping.STAGE, org.brandequity.model.EquityHistory.Grouping.CELL)) {
                    Function<Counted, String> key = switch (by) {
                        case TOUCHPOINT -> e -> e.event().getTouchpoint().name();
                        case STAGE -> e -> e.event().getStage().name();
                        default -> e -> segment(e.segment()) + "|" + e.event().getTouchpoint() + "|" + e.event().getStage();
                    };
                    Function<String, String> mapped = by == org.brandequity.model.EquityHistory.Grouping.CELL
                            ? k -> segment(org.brandequity.model.EquityStock.Cell.parse(k).segment()) + k.substring(cellTail(k))
                            : k -> k;
                    org.brandequity.model.EquityChange.Account account = org.brandequity.model.EquityHistory.account(t1, t2, by, decay, prior);
                    String what = "history " + by + " " + pair;
                    double sum = account.groups().stream().mapToDouble(g -> g.total().index()).sum();
                    m.close(what + " parts sum to the change", account.indexChange(), sum);
                    m.close(what + " change measured from the points",
                            org.brandequity.model.EquityStock.index(t2.total(), prior) - org.brandequity.model.EquityStock.index(t1.firstPublished(), prior),
                            account.indexChange());
                    Map<String, double[]> actual = new HashMap<>();
                    for (org.brandequity.model.EquityChange.Group g : account.groups()) {
                        double[] acc = actual.computeIfAbsent(mapped.apply(g.key()), k -> new double[6]);
                        acc[0] += g.newExperience().stock();
                        acc[1] += g.newExperience().volume();
                        acc[2] += g.decay().stock();
                        acc[3] += g.decay().volume();
                        acc[4] += g.restatement().stock();
                        acc[5] += g.restatement().volume();
                    }
                    Map<String, org.brandequity.model.EquityChange.StockVolume> published = batch.sums(e -> e.seq() < held && e.time() <= T1, T1, key);
                    Map<String, org.brandequity.model.EquityChange.StockVolume> fresh = batch.sums(e -> e.time() > T1 && e.time() <= T2, T2, key);
                    Map<String, org.brandequity.model.EquityChange.StockVolume> late = batch.sums(e -> e.seq() >= held && e.time() <= T1, T2, key);
                    java.util.Set<String> groups = new java.util.TreeSet<>(actual.keySet());
                    groups.addAll(published.keySet());
                    groups.addAll(fresh.keySet());
                    groups.addAll(late.keySet());
                    var zero = org.brandequity.model.EquityChange.StockVolume.ZERO;
                    for (String g : groups) {
                        double[] got = actual.getOrDefault(g, new double[6]);
                        var n = fresh.getOrDefault(g, zero);
                        var h = published.getOrDefault(g, zero);
                        var r = late.getOrDefault(g, zero);
                        m.close(what + " " + g + " new experience stock", n.stock(), got[0]);
                        m.close(what + " " + g + " new experience volume", n.volume(), got[1]);
                        m.close(what + " " + g + " decay stock", (d - 1) * h.stock(), got[2]);
                        m.close(what + " " + g + " decay volume", (d - 1) * h.volume(), got[3]);
                        m.close(what + " " + g + " restatement stock", r.stock(), got[4]);
                        m.close(what + " " + g + " restatement volume", r.volume(), got[5]);
                    }
                }
            }
            return restated;
        }

        /** "|TOUCHPOINT|STAGE" of a cell key (segment names may contain '|'). */
        private static int cellTail(String key) {
            return key.lastIndexOf('|', key.lastIndexOf('|') - 1);
        }
    }

    private static final class Mismatches {
        private final String scenario;
        private final List<String> found = new ArrayList<>();

        Mismatches(String scenario) {
            this.scenario = scenario;
        }

        void add(String s) {
            found.add(s);
        }

        void equal(String what, Object expected, Object actual) {
            if (!expected.equals(actual)) add(what + ": expected " + expected + ", got " + actual);
        }

        /** Relative tolerance for large values, absolute near zero (stock can cancel to about 0). */
        void close(String what, double expected, double actual) {
            if (!(Math.abs(expected - actual) <= TOLERANCE * Math.max(1.0, Math.abs(expected)))) {
                add(what + ": expected " + expected + ", got " + actual + " (diff " + (actual - expected) + ")");
            }
        }

        void assertNone() {
            if (found.isEmpty()) return;
            // By kind (the words before the key), and the first few of each kind, so one failure shows every kind of difference.
            Map<String, List<String>> byKind = new LinkedHashMap<>();
            for (String f : found) byKind.computeIfAbsent(kind(f), k -> new ArrayList<>()).add(f);
            StringBuilder b = new StringBuilder(scenario + ": " + found.size() + " difference(s) between the topology and the reference model, by kind: ");
            byKind.forEach((k, l) -> b.append(k).append(" ").append(l.size()).append("; "));
            b.append("first ones of each kind:");
            byKind.values().forEach(l -> l.subList(0, Math.min(l.size(), 12)).forEach(f -> b.append("\n  ").append(f)));
            fail(b.toString());
        }

        private static String kind(String found) {
            String difference = found.replaceFirst("^\\d+ ", "");
            int cut = difference.length();
            for (String stop : List.of(" WindowKey[", " SegmentKey[", " TouchpointKey[", " (", ":", " #")) {
                int i = difference.indexOf(stop);
                if (i > 0) cut = Math.min(cut, i);
            }
            return difference.substring(0, cut);
        }
    }
}
