package org.brandequity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.ExperienceSignal;
import org.brandequity.model.InteractionValidator;
import org.brandequity.model.ScoringModel;
import org.junit.jupiter.api.Test;

class CustomerJourneysTest {
    private static final Instant START = Instant.parse("2025-03-01T08:00:00Z");
    private static final long STEP_MS = 2;

    /** Defaults with no incident, so that only the tests about incidents see one. */
    private static SimulationConfig quiet() {
        return SimulationConfig.defaults().withIncidents(List.of());
    }

    /** Interactions at the default 2 ms spacing; the i-th one is generated at START + 2i ms. */
    private static List<CustomerInteraction> generate(CustomerJourneys journeys, int n) {
        List<CustomerInteraction> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(journeys.next(clock(i)));
        }
        return events;
    }

    private static Instant clock(int i) {
        return START.plusMillis(STEP_MS * i);
    }

    private static ScoringModel scoringModel() {
        return new ScoringModel(org.brandequity.config.PipelineConfig.defaults().model());
    }

    @Test
    void theSameSeedGivesTheSameInteractionsAndProfiles() {
        CustomerJourneys first = new CustomerJourneys(SimulationConfig.defaults(), START);
        CustomerJourneys second = new CustomerJourneys(SimulationConfig.defaults(), START);

        assertEquals(first.profiles(), second.profiles());
        assertEquals(generate(first, 20_000), generate(second, 20_000));
    }

    @Test
    void aDifferentSeedGivesDifferentInteractions() {
        Properties other = new Properties();
        other.setProperty("simulator.seed", "7");

        List<CustomerInteraction> a = generate(new CustomerJourneys(SimulationConfig.defaults(), START), 1_000);
        List<CustomerInteraction> b = generate(new CustomerJourneys(SimulationConfig.fromProperties(other), START), 1_000);

        assertNotEquals(a.stream().map(CustomerInteraction::getCustomerId).toList(),
                b.stream().map(CustomerInteraction::getCustomerId).toList());
        assertTrue(b.get(0).getEventId().startsWith("7-"), b.get(0).getEventId());
    }

    @Test
    void everyInteractionIsValidAndOnlyExactResendsRepeatAnEventId() {
        CustomerJourneys journeys = new CustomerJourneys(SimulationConfig.defaults(), START);
        InteractionValidator validator = new InteractionValidator(Duration.ofHours(1));
        Map<String, CustomerInteraction> byId = new HashMap<>();
        int duplicates = 0;
        for (int i = 0; i < 100_000; i++) {
            Instant now = clock(i);
            CustomerInteraction e = journeys.next(now);
            String key = e.getCustomerId();

            assertNull(validator.validate(key, e, now.toEpochMilli()), () -> "invalid: " + e);
            assertFalse(e.getEventTime().isAfter(now), () -> "ahead of the simulation clock: " + e);
            CustomerInteraction earlier = byId.putIfAbsent(e.getEventId(), e);
            if (earlier != null) {
                assertEquals(earlier, e, "a repeated event id must be a re-send of the same interaction");
                duplicates++;
            }
        }
        assertEquals(100_000 - duplicates, byId.size());
        assertEquals(byId.size(), journeys.generated());
        assertTrue(byId.containsKey("42-0") && byId.containsKey("42-" + (byId.size() - 1)),
                "event ids are <seed>-<sequence> without gaps");
    }

    @Test
    void duplicatesAndLateInteractionsComeAtTheConfiguredSharesWithinTheMaximumLateness() {
        Properties p = new Properties();
        p.setProperty("simulator.duplicate.share", "0.05");
        p.setProperty("simulator.late.share", "0.1");
        p.setProperty("simulator.max.lateness", "30s");
        CustomerJourneys journeys = new CustomerJourneys(SimulationConfig.fromProperties(p), START);
        Set<String> seen = new HashSet<>();
        int n = 50_000, duplicates = 0, late = 0;
        for (int i = 0; i < n; i++) {
            CustomerInteraction e = journeys.next(clock(i));
            if (!seen.add(e.getEventId())) {
                duplicates++;
                continue;
            }
            long behind = clock(i).toEpochMilli() - e.getEventTime().toEpochMilli();
            if (behind > 0) {
                late++;
                assertTrue(behind <= 30_000, "late by " + behind + " ms");
            }
        }
        assertEquals(0.05, duplicates / (double) n, 0.005);
        assertEquals(0.1, late / (double) (n - duplicates), 0.01);
    }

    @Test
    void segmentSharesOfCustomersAndInteractionsAreCloseToTheConfiguredOnes() {
        CustomerJourneys journeys = new CustomerJourneys(quiet(), START);
        Map<String, Integer> customers = new HashMap<>();
        for (int i = 1; i <= 2_000; i++) {
            customers.merge(journeys.segmentOf(String.format("cust-%05d", i)), 1, Integer::sum);
        }
        Map<String, Integer> events = new HashMap<>();
        List<CustomerInteraction> generated = generate(journeys, 50_000);
        generated.forEach(e -> events.merge(journeys.segmentOf(e.getCustomerId()), 1, Integer::sum));

        assertEquals(Map.of("high-value", 300, "unassigned", 40, "broad-base", 1_660), customers);
        assertEquals(0.15, events.get("high-value") / 50_000.0, 0.01);
        assertEquals(0.02, events.get("unassigned") / 50_000.0, 0.005);
        assertEquals(0.83, events.get("broad-base") / 50_000.0, 0.01);
    }

    @Test
    void everyCustomerButTheUnassignedHasAProfileWithItsSegmentsValueWeight() {
        CustomerJourneys journeys = new CustomerJourneys(quiet(), START);
        List<CustomerProfile> profiles = journeys.profiles();

        assertEquals(1_960, profiles.size());
        for (CustomerProfile p : profiles) {
            assertEquals(journeys.segmentOf(p.getCustomerId()), p.getSegment());
            double w = p.getValueWeight();
            if (p.getSegment().equals("high-value")) {
                assertTrue(w >= 3 && w <= 10, "high-value weight " + w);
            } else {
                assertEquals("broad-base", p.getSegment());
                assertTrue(w >= 0.5 && w <= 2, "broad-base weight " + w);
            }
            assertTrue(p.getCustomerSince().isBefore(START), p.toString());
        }
    }

    @Test
    void highValueCustomersHaveTheBetterExperience() throws IOException {
        ScoringModel model = scoringModel();
        CustomerJourneys journeys = new CustomerJourneys(quiet(), START);
        Map<String, Mean> bySegment = new HashMap<>();
        for (CustomerInteraction e : generate(journeys, 100_000)) {
            bySegment.computeIfAbsent(journeys.segmentOf(e.getCustomerId()), s -> new Mean()).add(model.score(e));
        }
        assertTrue(bySegment.get("high-value").value() > bySegment.get("broad-base").value() + 0.05,
                "high-value " + bySegment.get("high-value").value() + ", broad-base " + bySegment.get("broad-base").value());
    }

    /**
     * Same seed with and without the incident: identical before it, a clear drop for the hit
     * segment while it lasts, and back to normal afterwards; other segments do not notice.
     * Recommend answers are kept apart: they are drawn from the driver model, whose delivery
     * experience remembers the failed deliveries after the incident (DriverModelTest covers them).
     */
    @Test
    void anIncidentLowersTheAffectedSegmentsScoreDuringItsSpanAndNotOutside() throws IOException {
        ScoringModel model = scoringModel();
        Incident wave = Incident.parse("simulator.incident.1",
                "wave;segment=high-value;touchpoint=DELIVERY;start=200s;duration=200s;failure=0.8;shift=-0.6");
        Map<String, Mean> hit = phaseMeans(model, quiet().withIncidents(List.of(wave)));
        Map<String, Mean> control = phaseMeans(model, quiet());

        assertEquals(control.get("high-value before").value(), hit.get("high-value before").value(), 0.0);
        assertTrue(hit.get("high-value during").value() < control.get("high-value during").value() - 0.08,
                "during: " + hit.get("high-value during").value() + " vs " + control.get("high-value during").value());
        assertEquals(control.get("high-value after").value(), hit.get("high-value after").value(), 0.02);
        assertEquals(control.get("broad-base during").value(), hit.get("broad-base during").value(), 0.01);
    }

    /** 300,000 interactions 2 ms apart: 0-200 s before the incident, 200-400 s during, 400-600 s after. */
    private static Map<String, Mean> phaseMeans(ScoringModel model, SimulationConfig config) {
        CustomerJourneys journeys = new CustomerJourneys(config, START);
        Map<String, Mean> means = new HashMap<>();
        for (int i = 0; i < 300_000; i++) {
            CustomerInteraction e = journeys.next(clock(i));
            // By the clock, not the event time: a late event generated after the incident began
            // is not "before" it, since it follows the diverged random draws.
            long sinceStart = Duration.between(START, clock(i)).toSeconds();
            String phase = sinceStart < 200 ? "before" : sinceStart < 400 ? "during" : "after";
            String answers = e.getLikelihoodToRecommend() == null ? "" : " answers";
            means.computeIfAbsent(journeys.segmentOf(e.getCustomerId()) + " " + phase + answers, k -> new Mean()).add(model.score(e));
        }
        return means;
    }

    @Test
    void customersMeetTouchpointsThatFitTheirLifecycleStageAndMoveAlongTheLifecycle() {
        Map<LifecycleStage, Set<Touchpoint>> fits = new EnumMap<>(Map.of(
                LifecycleStage.AWARENESS, EnumSet.of(Touchpoint.AD, Touchpoint.SOCIAL_MENTION, Touchpoint.WORD_OF_MOUTH),
                LifecycleStage.CONSIDERATION, EnumSet.of(Touchpoint.WEBSITE_VISIT, Touchpoint.STORE_VISIT, Touchpoint.SALES_CONTACT),
                LifecycleStage.PURCHASE, EnumSet.of(Touchpoint.CHECKOUT, Touchpoint.DELIVERY),
                LifecycleStage.USAGE, EnumSet.of(Touchpoint.PRODUCT_USAGE, Touchpoint.APP_SESSION),
                LifecycleStage.SERVICE, EnumSet.of(Touchpoint.SUPPORT_CONTACT, Touchpoint.RETURN),
                LifecycleStage.LOYALTY, EnumSet.of(Touchpoint.SURVEY_RESPONSE, Touchpoint.REVIEW, Touchpoint.REFERRAL, Touchpoint.RENEWAL),
                LifecycleStage.DISPOSAL, EnumSet.of(Touchpoint.CANCELLATION, Touchpoint.DISPOSAL)));
        CustomerJourneys journeys = new CustomerJourneys(quiet(), START);
        Set<String> seen = new HashSet<>();
        Map<String, LifecycleStage> lastStage = new HashMap<>();
        Set<String> moves = new HashSet<>();
        Set<Touchpoint> touchpoints = EnumSet.noneOf(Touchpoint.class);
        for (CustomerInteraction e : generate(journeys, 200_000)) {
            if (!seen.add(e.getEventId())) continue;
            assertTrue(fits.get(e.getStage()).contains(e.getTouchpoint()), e::toString);
            touchpoints.add(e.getTouchpoint());
            LifecycleStage before = lastStage.put(e.getCustomerId(), e.getStage());
            if (before != null && before != e.getStage()) moves.add(before + ">" + e.getStage());
        }
        assertEquals(EnumSet.complementOf(EnumSet.of(Touchpoint.OTHER)), touchpoints);
        assertTrue(moves.containsAll(Set.of("AWARENESS>CONSIDERATION", "CONSIDERATION>PURCHASE", "PURCHASE>USAGE",
                "USAGE>SERVICE", "SERVICE>USAGE", "USAGE>LOYALTY", "LOYALTY>DISPOSAL", "DISPOSAL>AWARENESS",
                "PURCHASE>SERVICE")), moves::toString);
    }

    @Test
    void eachTouchpointCarriesItsTypicalSignalsAndManyInteractionsCarryNone() {
        CustomerJourneys journeys = new CustomerJourneys(quiet(), START);
        int silent = 0, total = 0;
        for (CustomerInteraction e : generate(journeys, 50_000)) {
            total++;
            boolean rating = e.getRating() != null, ltr = e.getLikelihoodToRecommend() != null;
            switch (e.getTouchpoint()) {
                case SURVEY_RESPONSE -> assertTrue(rating || ltr, e::toString);
                case SUPPORT_CONTACT -> assertTrue(e.getEffort() != null && e.getOutcome() != null, e::toString);
                case REVIEW -> assertTrue(rating && e.getSentiment() != null, e::toString);
                case DELIVERY, CHECKOUT, RETURN -> assertTrue(e.getOutcome() != null, e::toString);
                case REFERRAL, DISPOSAL -> assertTrue(!rating && !ltr && e.getEffort() == null
                        && e.getSentiment() == null && e.getOutcome() == null, e::toString);
                case AD -> assertTrue(!rating && !ltr && e.getEffort() == null && e.getOutcome() == null, e::toString);
                case PRODUCT_USAGE -> assertTrue(!ltr && e.getEffort() == null && e.getSentiment() == null
                        && e.getOutcome() == null, e::toString);
                default -> { }
            }
            if (!rating && !ltr && e.getEffort() == null && e.getSentiment() == null && e.getOutcome() == null) silent++;
        }
        assertTrue(silent > total * 0.4, silent + " of " + total + " without a signal");
    }

    /** Weighted mean experience, as the pipeline folds it. */
    private static final class Mean {
        double sum;
        double weight;

        void add(ExperienceSignal s) {
            sum += s.weight() * s.value();
            weight += s.weight();
        }

        double value() {
            return sum / weight;
        }
    }
}
