package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.ArrayList;
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
import org.brandequity.model.Polarity;
import org.brandequity.topology.ReferenceModel.Counted;
import org.brandequity.topology.ReferenceModel.CustomerWindow;
import org.brandequity.topology.ReferenceModel.Fate;
import org.brandequity.topology.ReferenceModel.SegmentKey;
import org.brandequity.topology.ReferenceModel.SegmentWindow;
import org.brandequity.topology.ReferenceModel.Sums;
import org.brandequity.topology.ReferenceModel.WindowKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random event streams through the topology must produce what a plain batch recomputation of the
 * README's model ({@link ReferenceModel}) produces: every closed customer window, the final record
 * of every segment window, the dead letters, and the brand equity at several points of the stream.
 *
 * <p>The streams mix everything the README distinguishes: customers with and without a profile,
 * profile changes mid-stream, events with and without signals, out-of-order arrivals inside the
 * grace period, events exactly on the grace boundary and one millisecond past it, events later than
 * the grace period, re-sent duplicates (recent ones and ones far behind stream time), event ids
 * reused after the dedup horizon, and events on window boundaries.
 */
class ReferenceModelTest {
    private static final int EVENTS = 3_000;
    private static final double TOLERANCE = 1e-9;
    private static final long MINUTE = 60_000;
    private static final List<String> SEGMENTS = List.of("broad-base", "high-value", "mid-market", "trial");

    /** Segment weights differ so that a wrong segment or weight shows in equity; "trial" has no key and takes the default. */
    private static Map<String, String> overrides(String advance, String halfLife) {
        return Map.of(
                "window.advance", advance,
                "model.equity.half.life", halfLife,
                "model.segment.weights", "broad-base:1.0,high-value:3.0,mid-market:1.7,unassigned:0.6",
                "model.segment.default.weight", "0.8",
                "model.equity.index.prior", "5");
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of(11L, 50, "10m", "1h"),
                Arguments.of(23L, 200, "10m", "3h"),
                Arguments.of(37L, 80, "5m", "1h"),
                Arguments.of(41L, 160, "5m", "3h"),
                Arguments.of(59L, 120, "5m", "30m"));
    }

    @ParameterizedTest(name = "seed {0}, {1} customers, window 10m advancing {2}, half-life {3}")
    @MethodSource("scenarios")
    void streamingOutputsEqualABatchRecomputation(long seed, int customers, String advance, String halfLife) {
        try (PipelineDriver p = new PipelineDriver(overrides(advance, halfLife))) {
            ReferenceModel ref = new ReferenceModel(p.config);
            Run run = new Run(seed, customers, p, ref);
            Mismatches m = new Mismatches("seed " + seed + ", advance " + advance + ", half-life " + halfLife);

            run.generate(m);
            run.duplicatesChangeNothing();
            // A bystander event far enough ahead to close every window of the generated events; it counts too.
            long clock = ref.streamTime() + p.config.windowSize().toMillis() + p.config.windowGrace().toMillis();
            run.send(CustomerInteraction.newBuilder().setEventId("clock-" + seed).setCustomerId("clock")
                    .setEventTime(Instant.ofEpochMilli(clock)).setTouchpoint(Touchpoint.SURVEY_RESPONSE)
                    .setStage(LifecycleStage.USAGE).setRating(4).build());

            Map<WindowKey, CustomerWindow> expectedWindows = ref.closedCustomerWindows();
            Map<WindowKey, CustomerExperienceScore> actualWindows = run.customerScores(m);
            compareCustomerWindows(expectedWindows, actualWindows, m);
            compareSegmentWindows(ref, expectedWindows, actualWindows, run.segmentScores(), m);
            compareDeadLetters(run, m);
            compareEquity(ref, p.latestEquity(), "final", m);
            m.assertNone();
            run.assertTheStreamExercisedEveryCase(expectedWindows);
            System.out.printf("reference model, seed %d advance %s half-life %s: %s%n", seed, advance, halfLife, run.summary(expectedWindows));
        }
    }

    /** Generates the stream, feeding topology and reference in lockstep, and compares equity at checkpoints. */
    private static final class Run {
        final Random rnd;
        final long seed;
        final PipelineDriver p;
        final ReferenceModel ref;
        final List<String> customers = new ArrayList<>();
        final List<CustomerInteraction> sent = new ArrayList<>();
        final List<DeadLetter> expectedDeadLetters = new ArrayList<>();
        final Map<Fate, Integer> fates = new HashMap<>();
        final Set<String> reusedIds = new HashSet<>();
        final Set<String> everProfiled = new HashSet<>();
        final List<BrandEquity> equityRecords = new ArrayList<>();
        int resentInsideGrace, ties, profileChanges, lateDuplicates, lateDuplicatesDeadLettered, reusedAfterHorizon, boundaryAccepted, boundaryRejected, checkpoints;
        long cursor = Events.T0.plusSeconds(7_200).toEpochMilli();
        long nextId;

        Run(long seed, int customers, PipelineDriver p, ReferenceModel ref) {
            for (int i = 0; i < customers; i++) this.customers.add(String.format("c%03d", i));
            this.seed = seed;
            this.rnd = new Random(seed);
            this.p = p;
            this.ref = ref;
        }

        long grace() {
            return p.config.windowGrace().toMillis();
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
         * which earlier time a third copy is measured against would be a guess beyond the README.
         */
        Fate send(CustomerInteraction e, boolean resendable) {
            p.send(e);
            boolean behindGrace = ref.behindGrace(e.getEventTime().toEpochMilli());
            Fate fate = ref.interaction(e);
            fates.merge(fate, 1, Integer::sum);
            if (fate == Fate.TOO_LATE) expectedDeadLetters.add(new DeadLetter(e.getEventId(), true));
            if (fate == Fate.DUPLICATE && behindGrace) {
                expectedDeadLetters.add(new DeadLetter(e.getEventId(), false));
                lateDuplicates++;
            }
            if (resendable) sent.add(e);
            return fate;
        }

        CustomerProfile randomProfile(String customer) {
            double[] valueWeights = {0.5, 1.0, 1.0, 1.25, 2.0, 3.0};
            double v = rnd.nextBoolean() ? valueWeights[rnd.nextInt(valueWeights.length)] : 0.25 + 2.75 * rnd.nextDouble();
            return Events.profile(customer, SEGMENTS.get(rnd.nextInt(SEGMENTS.size())), v);
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
            List<Counted> counted = ref.counted();
            if (counted.isEmpty()) return false;
            Counted last = counted.get(Math.max(0, counted.size() - 1 - rnd.nextInt(20)));
            String customer = last.event().getCustomerId();
            if (!customers.contains(customer)) return false;
            String other = SEGMENTS.get((SEGMENTS.indexOf(last.segment()) + 1 + rnd.nextInt(SEGMENTS.size() - 1)) % SEGMENTS.size());
            profile(Events.profile(customer, other, 1.0));
            send(newEvent("s" + seed + "-e" + nextId++, customer, last.time()));
            return true;
        }

        /** Reuses the id of an event counted more than the dedup horizon ago: a new event, counted. */
        boolean reuseIdAfterHorizon() {
            long horizon = p.config.dedupHorizon().toMillis();
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
         * README §5 "counted once": re-sending counted events that are still inside the grace period
         * emits nothing and leaves the equity as it was.
         */
        void duplicatesChangeNothing() {
            // Equity is emitted only when something changed: the last checkpoint's record may be current.
            p.flushEquity();
            List<BrandEquity> pending = p.equity.readValuesToList();
            BrandEquity before = pending.isEmpty() ? equityRecords.get(equityRecords.size() - 1) : pending.get(pending.size() - 1);
            drain();
            long gateOpen = ref.streamTime() - grace();
            List<Counted> recent = ref.counted().stream().filter(c -> c.time() >= gateOpen && !reusedIds.contains(c.event().getEventId())).toList();
            assertTrue(!recent.isEmpty(), "no counted event inside the grace period to re-send");
            resentInsideGrace = recent.size();
            for (Counted c : recent) assertEquals(Fate.DUPLICATE, send(c.event()), "reference: re-sent " + c.event().getEventId());
            p.flushEquity();
            assertTrue(p.customerScores.isEmpty(), "a duplicate emitted a customer score");
            assertTrue(p.segmentScores.isEmpty(), "a duplicate emitted a segment score");
            assertTrue(p.deadLetters.isEmpty(), "a duplicate was dead-lettered");
            for (BrandEquity after : p.equity.readValuesToList()) {
                assertEquals(before, after, "a duplicate changed the brand equity");
            }
        }

        private final List<CustomerExperienceScore> customerScores = new ArrayList<>();
        private final List<SegmentExperienceScore> segmentScores = new ArrayList<>();
        private final List<TestRecord<byte[], byte[]>> deadLetters = new ArrayList<>();

        /** Moves what the topology emitted so far out of the output topics. */
        void drain() {
            customerScores.addAll(p.customerScores.readValuesToList());
            segmentScores.addAll(p.segmentScores.readValuesToList());
            deadLetters.addAll(p.deadLetters.readRecordsToList());
        }

        Map<WindowKey, CustomerExperienceScore> customerScores(Mismatches m) {
            drain();
            Map<WindowKey, CustomerExperienceScore> byKey = new LinkedHashMap<>();
            for (CustomerExperienceScore s : customerScores) {
                WindowKey key = new WindowKey(s.getCustomerId(), s.getWindowStart().toEpochMilli());
                if (byKey.put(key, s) != null) m.add("customer window " + key + " emitted more than once");
            }
            return byKey;
        }

        /** The last record per segment and window start, the final one (README §3). */
        Map<SegmentKey, SegmentExperienceScore> segmentScores() {
            drain();
            Map<SegmentKey, SegmentExperienceScore> last = new LinkedHashMap<>();
            for (SegmentExperienceScore s : segmentScores) last.put(new SegmentKey(s.getSegment(), s.getWindowStart().toEpochMilli()), s);
            return last;
        }

        /** Guards against a generator change that silently stops covering a case. */
        void assertTheStreamExercisedEveryCase(Map<WindowKey, CustomerWindow> windows) {
            assertTrue(fates.getOrDefault(Fate.DUPLICATE, 0) > 50, "duplicates: " + fates);
            assertTrue(fates.getOrDefault(Fate.TOO_LATE, 0) > 50, "late events: " + fates);
            assertTrue(lateDuplicates > 0 && reusedAfterHorizon > 0 && boundaryAccepted > 0 && boundaryRejected > 0, summary(windows));
            assertTrue(profileChanges > 10 && ties > 10 && checkpoints >= 4, summary(windows));
            List<Counted> counted = ref.counted();
            assertTrue(counted.stream().anyMatch(c -> c.segment().equals(ReferenceModel.UNASSIGNED) && everProfiled.contains(c.event().getCustomerId())),
                    "no customer went from unassigned to a segment mid-stream");
            assertTrue(counted.stream().anyMatch(c -> c.event().getRating() == null && c.event().getLikelihoodToRecommend() == null
                    && c.event().getEffort() == null && c.event().getSentiment() == null && c.event().getOutcome() == null), "no event without signal");
            assertTrue(windows.values().stream().filter(w -> w.events() > 1).count() > 100, "few multi-event windows");
            for (String s : SEGMENTS) assertTrue(windows.values().stream().anyMatch(w -> w.segment().equals(s)), "no window in " + s);
            assertTrue(windows.values().stream().anyMatch(w -> w.segment().equals(ReferenceModel.UNASSIGNED)), "no unassigned window");
        }

        String summary(Map<WindowKey, CustomerWindow> windows) {
            return String.format("%d customers, arrivals %s, %d profile changes, %d same-time events after a segment change, %d late duplicates (%d dead-lettered), %d ids reused after the horizon, "
                            + "%d on the grace boundary / %d one ms past it, %d closed customer windows, %d equity checkpoints, "
                            + "%d counted events re-sent at the end without effect",
                    customers.size(), fates, profileChanges, ties, lateDuplicates, lateDuplicatesDeadLettered, reusedAfterHorizon, boundaryAccepted, boundaryRejected,
                    windows.size(), checkpoints, resentInsideGrace);
        }
    }

    private static void compareCustomerWindows(Map<WindowKey, CustomerWindow> expected,
                                               Map<WindowKey, CustomerExperienceScore> actual, Mismatches m) {
        for (WindowKey k : expected.keySet()) if (!actual.containsKey(k)) m.add("customer window " + k + " missing: expected " + expected.get(k));
        for (WindowKey k : actual.keySet()) if (!expected.containsKey(k)) m.add("customer window " + k + " not expected: got " + actual.get(k));
        expected.forEach((k, e) -> {
            CustomerExperienceScore a = actual.get(k);
            if (a == null) return;
            String what = "customer window " + k + " ";
            m.equal(what + "end", e.end(), a.getWindowEnd().toEpochMilli());
            m.equal(what + "segment", e.segment(), a.getSegment());
            m.equal(what + "events", e.events(), a.getEvents());
            m.equal(what + "positive", e.positive(), a.getPositive());
            m.equal(what + "neutral", e.neutral(), a.getNeutral());
            m.equal(what + "negative", e.negative(), a.getNegative());
            m.close(what + "weight", e.weight(), a.getWeight());
            m.close(what + "score", e.score(), a.getScore());
        });
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
        for (SegmentKey k : actual.keySet()) if (!expected.containsKey(k)) m.add("segment window " + k + " not expected: got " + actual.get(k));
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
     * An arrival the reference expects on the dead-letter topic. Not {@code required}: a copy of a
     * counted event that is also behind the grace period. README §5 makes it both a duplicate
     * (dropped) and too late (dead letter) and does not say which rule wins; either way it is
     * counted nowhere, which the window and equity comparisons check. The topology drops such a copy
     * while the id is younger than the dedup horizon in stream time, and dead-letters it after.
     */
    record DeadLetter(String eventId, boolean required) {}

    private static void compareDeadLetters(Run run, Mismatches m) {
        run.drain();
        List<String> actualIds = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : run.deadLetters) {
            String reason = PipelineDriver.header(r, "brandequity.dlq.reason");
            CustomerInteraction e = run.p.serdes.interaction().deserializer().deserialize(run.p.config.topics().interactions(), r.value());
            if (!"TOO_LATE".equals(reason)) m.add("dead letter " + e.getEventId() + " has reason " + reason + ", expected TOO_LATE");
            actualIds.add(e.getEventId());
        }
        // Same order as the arrivals: walk both, skipping an optional one the topology did not dead-letter.
        int i = 0;
        for (DeadLetter d : run.expectedDeadLetters) {
            boolean there = i < actualIds.size() && actualIds.get(i).equals(d.eventId());
            if (there) {
                i++;
                if (!d.required()) run.lateDuplicatesDeadLettered++;
            } else if (d.required()) {
                m.add("dead letter " + d.eventId() + " (TOO_LATE) missing, or out of order: got "
                        + (i < actualIds.size() ? actualIds.get(i) : "nothing") + " at position " + i);
                return;
            }
        }
        if (i < actualIds.size()) m.add("unexpected dead letters " + actualIds.subList(i, actualIds.size()));
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

        // Invariant of the output itself (README §4): each breakdown partitions the events.
        m.close(what + "Σ segment contributions = stock", a.getStock(), a.getSegments().stream().mapToDouble(SegmentContribution::getContribution).sum());
        m.close(what + "Σ touchpoint contributions = stock", a.getStock(), a.getTouchpoints().stream().mapToDouble(TouchpointContribution::getContribution).sum());
        m.close(what + "Σ stage contributions = stock", a.getStock(), a.getStages().stream().mapToDouble(StageContribution::getContribution).sum());
        m.close(what + "Σ segment volumes = volume", a.getVolume(), a.getSegments().stream().mapToDouble(SegmentContribution::getVolume).sum());
        m.close(what + "Σ touchpoint volumes = volume", a.getVolume(), a.getTouchpoints().stream().mapToDouble(TouchpointContribution::getVolume).sum());
        m.close(what + "Σ stage volumes = volume", a.getVolume(), a.getStages().stream().mapToDouble(StageContribution::getVolume).sum());
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
            fail(scenario + ": " + found.size() + " difference(s) between the topology and the reference model, first ones:\n  "
                    + String.join("\n  ", found.subList(0, Math.min(40, found.size()))));
        }
    }
}
