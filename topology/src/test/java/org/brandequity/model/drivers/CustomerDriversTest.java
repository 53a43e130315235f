package org.brandequity.model.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.Decay;
import org.junit.jupiter.api.Test;

class CustomerDriversTest {
    private static final long H = Duration.ofDays(90).toMillis();
    private static final Decay DECAY = new Decay(Duration.ofMillis(H));
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final int DELIVERY = DriverSet.indexOf(Touchpoint.DELIVERY);
    private static final int SUPPORT = DriverSet.indexOf(Touchpoint.SUPPORT_CONTACT);
    private static final int NOT_A_DRIVER = -1;
    /** Nothing settled: every test event is within late.horizon unless a test says otherwise. */
    private static final long NO_SETTLING = Long.MIN_VALUE;

    /** One counted event: a driver event, an answer, or both. */
    record Event(String id, long time, int driver, double x, double w, Integer answer) {
        static Event driver(String id, long time, int driver, double x, double w) {
            return new Event(id, time, driver, x, w, null);
        }

        static Event answer(String id, long time, int answer) {
            return new Event(id, time, NOT_A_DRIVER, 0, 1, answer);
        }
    }

    private static List<ObservationChange> count(CustomerDrivers d, Event e, String segment, long settleBefore) {
        return d.count(e.id(), e.time(), e.driver(), e.x(), e.w(), e.answer(), segment, settleBefore, DECAY);
    }

    private static List<ObservationChange> count(CustomerDrivers d, Event e) {
        return count(d, e, "s", NO_SETTLING);
    }

    @Test
    void anAnswerWithNoEarlierExperienceHasEveryPredictorMissing() {
        CustomerDrivers d = CustomerDrivers.empty();
        List<ObservationChange> changes = count(d, Event.answer("a", 10 * DAY, 9));
        assertEquals(1, changes.size());
        ObservationChange c = changes.get(0);
        assertEquals(1, c.multiplier());
        assertEquals("a", c.observation().id());
        assertEquals(9.0, c.observation().outcome());
        for (int k = 0; k < DriverSet.size(); k++) assertTrue(Double.isNaN(c.observation().predictor(k)), "driver " + k);
    }

    @Test
    void aMetDriverIsTheDecayedExperienceWeightedMeanAndAnUnmetOneIsMissing() {
        CustomerDrivers d = CustomerDrivers.empty();
        count(d, Event.driver("d1", 0, DELIVERY, 1.0, 2.0));
        count(d, Event.driver("d2", 90 * DAY, DELIVERY, -1.0, 1.0));
        DriverObservation o = count(d, Event.answer("a", 180 * DAY, 3)).get(0).observation();
        // At the answer, d1 is two half-lives old (weight 2 * 1/4 = 0.5), d2 one (1 * 1/2 = 0.5):
        // (0.5 * 1 + 0.5 * -1) / (0.5 + 0.5) = 0.
        assertEquals(0.0, o.predictor(DELIVERY), 1e-15);
        assertTrue(Double.isNaN(o.predictor(SUPPORT)), "never met: missing, not zero");
    }

    @Test
    void anEventAtTheSameInstantAsAnAnswerIsNotAPredictorOfIt() {
        CustomerDrivers d = CustomerDrivers.empty();
        count(d, Event.driver("d", 5 * DAY, DELIVERY, 1.0, 1.0));
        DriverObservation o = count(d, Event.answer("a", 5 * DAY, 10)).get(0).observation();
        assertTrue(Double.isNaN(o.predictor(DELIVERY)));
    }

    @Test
    void anAnswerGivenAtADriverTouchpointIsAPredictorOfLaterAnswersOnly() {
        CustomerDrivers d = CustomerDrivers.empty();
        DriverObservation first = count(d, new Event("a1", DAY, DELIVERY, -0.6, 1.0, 6)).get(0).observation();
        DriverObservation second = count(d, Event.answer("a2", 2 * DAY, 8)).get(0).observation();
        assertTrue(Double.isNaN(first.predictor(DELIVERY)), "its own signal is not its predictor");
        assertEquals(-0.6, second.predictor(DELIVERY), 1e-15);
    }

    @Test
    void anEventWithoutAnAnswerAtNoDriverTouchpointChangesNothing() {
        CustomerDrivers d = CustomerDrivers.empty();
        assertEquals(List.of(), count(d, new Event("o", DAY, NOT_A_DRIVER, 1.0, 1.0, null)));
        assertTrue(d.isEmpty());
    }

    @Test
    void aLateAnswerGetsThePredictorsItWouldHaveHadInOrder() {
        CustomerDrivers d = CustomerDrivers.empty();
        count(d, Event.driver("d1", DAY, DELIVERY, 1.0, 1.0));
        count(d, Event.driver("d2", 3 * DAY, DELIVERY, -1.0, 1.0));
        DriverObservation late = count(d, Event.answer("a", 2 * DAY, 7)).get(0).observation();
        assertEquals(1.0, late.predictor(DELIVERY), 1e-15, "d2 came after the answer");
    }

    @Test
    void aLateDriverEventRetractsEachLaterAnswerAsEmittedAndAddsItCorrected() {
        CustomerDrivers d = CustomerDrivers.empty();
        count(d, Event.driver("d1", DAY, DELIVERY, 1.0, 1.0));
        DriverObservation before = count(d, Event.answer("a", 3 * DAY, 7)).get(0).observation();

        List<ObservationChange> changes = count(d, Event.driver("late", 2 * DAY, DELIVERY, -1.0, 1.0));

        assertEquals(2, changes.size());
        assertEquals(ObservationChange.retraction(before, "s"), changes.get(0));
        ObservationChange corrected = changes.get(1);
        assertEquals(1, corrected.multiplier());
        double w1 = DECAY.factor(DAY, 3 * DAY);
        double w2 = DECAY.factor(2 * DAY, 3 * DAY);
        assertEquals((w1 - w2) / (w1 + w2), corrected.observation().predictor(DELIVERY), 1e-15);
    }

    @Test
    void aLateDriverEventLeavesEarlierAnswersAlone() {
        CustomerDrivers d = CustomerDrivers.empty();
        count(d, Event.answer("a", DAY, 7));
        assertEquals(List.of(), count(d, Event.driver("late", 2 * DAY, DELIVERY, -1.0, 1.0)), "after the answer: not its predictor");
    }

    @Test
    void aRetractionGoesToTheSegmentItsAdditionWentTo() {
        CustomerDrivers d = CustomerDrivers.empty();
        assertEquals("broad-base", count(d, Event.answer("a", 3 * DAY, 7), "broad-base", NO_SETTLING).get(0).segment());

        List<ObservationChange> changes = count(d, Event.driver("late", 2 * DAY, DELIVERY, -1.0, 1.0), "high-value", NO_SETTLING);

        assertEquals(List.of(-1, 1), changes.stream().map(ObservationChange::multiplier).toList());
        assertEquals(List.of("broad-base", "broad-base"), changes.stream().map(ObservationChange::segment).toList(),
                "an answer stays in the segment it was given in");
    }

    @Test
    void settledExperienceGivesTheSamePredictorsAsKeptExperience() {
        CustomerDrivers kept = CustomerDrivers.empty();
        CustomerDrivers settled = CustomerDrivers.empty();
        for (int i = 0; i < 10; i++) {
            Event e = Event.driver("d" + i, i * DAY, i % 2 == 0 ? DELIVERY : SUPPORT, (i % 5) / 4.0 - 0.5, 1 + i % 3);
            count(kept, e);
            count(settled, e, "s", i * DAY); // settles everything before each event
        }
        assertEquals(10, kept.kept().size());
        assertEquals(1, settled.kept().size());
        double[] k = kept.predictorsBefore(20 * DAY, DECAY);
        double[] s = settled.predictorsBefore(20 * DAY, DECAY);
        for (int i = 0; i < k.length; i++) assertEquals(k[i], s[i], 1e-12, "driver " + i);
    }

    @Test
    void theKeptEventsComeBackWholeFromTheirPackedForm() {
        CustomerDrivers d = CustomerDrivers.empty();
        count(d, Event.driver("d1", -5 * DAY, DriverSet.size() - 1, -0.25, 1.5));
        count(d, Event.driver("d2", 7 * DAY, DELIVERY, 1.0 / 3, 0.1));
        java.nio.ByteBuffer packed = d.packedKept();
        byte[] bytes = new byte[packed.remaining()];
        packed.get(bytes);
        CustomerDrivers back = new CustomerDrivers(d.settledBefore(), d.asOf(), new double[DriverSet.size()], new double[DriverSet.size()],
                bytes, KeptAnswers.of(d.answers()).packed());
        assertEquals(List.of(new CustomerDrivers.Experience(DriverSet.size() - 1, -0.25, 1.5, -5 * DAY),
                new CustomerDrivers.Experience(DELIVERY, 1.0 / 3, 0.1, 7 * DAY)), back.kept());
    }

    @Test
    void settlingForgetsAnswersNoLaterEventCanChange() {
        CustomerDrivers d = CustomerDrivers.empty();
        count(d, Event.answer("a1", DAY, 7));
        count(d, Event.answer("a2", 3 * DAY, 7));
        d.settle(DAY, DECAY);
        assertEquals(List.of("a2"), d.answers().stream().map(CustomerDrivers.Answer::id).toList(),
                "a1 is not after any event still to come (none is older than the settling point)");
    }

    @Test
    void aFloodOfEventsKeepsAtMostTheBoundAndStaysExactForEventsAfterIt() {
        CustomerDrivers d = CustomerDrivers.empty();
        int n = CustomerDrivers.MAX_KEPT_EXPERIENCES + 10;
        for (int i = 0; i < n; i++) count(d, Event.driver("d" + i, i * 1000L, DELIVERY, i % 2, 1.0));
        assertTrue(d.kept().size() <= CustomerDrivers.MAX_KEPT_EXPERIENCES, "kept " + d.kept().size());
        double expectedS = 0;
        double expectedW = 0;
        long t = n * 1000L;
        for (int i = 0; i < n; i++) {
            expectedS += (i % 2) * DECAY.factor(i * 1000L, t);
            expectedW += DECAY.factor(i * 1000L, t);
        }
        assertEquals(expectedS / expectedW, count(d, Event.answer("a", t, 5)).get(0).observation().predictor(DELIVERY), 1e-12);
    }

    /**
     * The rule the ledger keeps: whatever order a customer's events arrive in (within late.horizon),
     * the live observations (additions minus retractions) are those of the events in time order,
     * each answer's predictors computed straight from the definition.
     */
    @Test
    void anyArrivalOrderLeavesTheLiveObservationsOfTheDefinition() {
        Random random = new Random(26);
        for (int round = 0; round < 200; round++) {
            List<Event> events = new ArrayList<>();
            int n = 1 + random.nextInt(30);
            for (int i = 0; i < n; i++) {
                long t = random.nextInt(20) * DAY / 2; // ties on purpose
                int driver = random.nextInt(4) == 0 ? NOT_A_DRIVER : random.nextInt(4);
                Integer answer = driver == NOT_A_DRIVER || random.nextInt(3) == 0 ? random.nextInt(11) : null;
                events.add(new Event("e" + i, t, driver, random.nextDouble() * 2 - 1, 0.5 + random.nextDouble(), answer));
            }
            List<Event> arrival = new ArrayList<>(events);
            Collections.shuffle(arrival, random);
            // As the ledger: an event more than the late horizon behind the newest time so far is not
            // counted (a dead letter); at each counted one, what is older than that is settled.
            long horizon = new long[] {DAY, 3 * DAY, 20 * DAY}[random.nextInt(3)];
            CustomerDrivers d = CustomerDrivers.empty();
            Map<String, DriverObservation> live = new HashMap<>();
            List<Event> counted = new ArrayList<>();
            long streamTime = Long.MIN_VALUE;
            for (Event e : arrival) {
                if (streamTime != Long.MIN_VALUE && e.time() < streamTime - horizon) continue;
                counted.add(e);
                streamTime = Math.max(streamTime, e.time());
                for (ObservationChange c : count(d, e, "s", streamTime - horizon)) {
                    if (c.multiplier() > 0) assertEquals(null, live.put(c.observation().id(), c.observation()), "added twice");
                    else assertEquals(c.observation(), live.remove(c.observation().id()), "retracted as emitted");
                }
            }
            Map<String, double[]> expected = definition(counted);
            assertEquals(expected.keySet(), live.keySet(), "round " + round);
            for (Map.Entry<String, double[]> x : expected.entrySet()) {
                double[] got = live.get(x.getKey()).predictors();
                for (int k = 0; k < got.length; k++) {
                    if (Double.isNaN(x.getValue()[k])) assertTrue(Double.isNaN(got[k]), "round " + round + " driver " + k);
                    else assertEquals(x.getValue()[k], got[k], 1e-12, "round " + round + " driver " + k);
                }
            }
        }
    }

    /** Each answer's predictors straight from the definition: every event at k strictly before it. */
    private static Map<String, double[]> definition(List<Event> events) {
        Map<String, double[]> out = new HashMap<>();
        for (Event a : events) {
            if (a.answer() == null) continue;
            double[] s = new double[DriverSet.size()];
            double[] w = new double[DriverSet.size()];
            for (Event e : events) {
                if (e.driver() < 0 || e.time() >= a.time()) continue;
                double f = Math.pow(2, -(double) (a.time() - e.time()) / H);
                s[e.driver()] += e.w() * e.x() * f;
                w[e.driver()] += e.w() * f;
            }
            double[] p = new double[s.length];
            for (int k = 0; k < p.length; k++) p[k] = w[k] > 0 ? s[k] / w[k] : Double.NaN;
            out.put(a.id(), p);
        }
        return out;
    }
}
