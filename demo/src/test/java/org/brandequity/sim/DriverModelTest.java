package org.brandequity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.descriptive.moment.Variance;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.Touchpoint;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.ExperienceSignal;
import org.brandequity.model.ScoringModel;
import org.brandequity.model.drivers.DriverObservation;
import org.brandequity.model.drivers.DriverSet;
import org.junit.jupiter.api.Test;

/** The simulator's known key-driver model: the ground truth the pipeline's key drivers are checked against. */
class DriverModelTest {
    private static final Instant START = Instant.parse("2025-03-01T08:00:00Z");

    private static SimulationConfig config(String... keyValues) {
        Properties p = new Properties();
        p.setProperty("simulator.incidents.default", "false");
        for (int i = 0; i < keyValues.length; i += 2) p.setProperty(keyValues[i], keyValues[i + 1]);
        return SimulationConfig.fromProperties(p);
    }

    /** The simulation's events (duplicates included) and its answers, {@code n} events {@code stepMillis} apart. */
    private record Run(List<CustomerInteraction> events, List<CustomerJourneys.Answer> answers) {
        List<DriverObservation> of(String segment) {
            return answers.stream().filter(a -> a.segment().equals(segment)).map(CustomerJourneys.Answer::observation).toList();
        }
    }

    private static Run run(SimulationConfig config, int n, long stepMillis) {
        List<CustomerJourneys.Answer> answers = new ArrayList<>();
        CustomerJourneys journeys = new CustomerJourneys(config, START, answers::add);
        List<CustomerInteraction> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) events.add(journeys.next(START.plusMillis(stepMillis * i)));
        return new Run(events, answers);
    }

    /** A driver's predictor as the model uses it: the experience where met, 0 (no contribution) where not. */
    private static double predictor(DriverObservation o, int k) {
        return o.has(k) ? o.predictor(k) : 0;
    }

    /**
     * OLS of (y − 7.5) / 2.5 on every driver's tracked experience (0 where never met) recovers
     * the configured coefficients, and 0 for the drivers not configured. Why 4 standard errors:
     * the predictors are exactly the experience each answer was drawn from, so the only errors
     * are the noise, the rounding to whole answers (independent of the predictors, mean 0) and
     * the rare clamping at 10 (under 2 % of answers here); the estimates are then unbiased to well
     * within their standard error, and a miss beyond 4 of them has a chance of about 6e-5 per
     * coefficient. Every standard error is also held under 0.05, so the bound cannot pass by
     * being wide: a coefficient off by 0.2 fails.
     */
    @Test
    void aLeastSquaresFitOfTheAnswersOnTheTrackedExperienceRecoversTheConfiguredCoefficientsPerSegment() {
        SimulationConfig config = config(
                "simulator.high.value.share", "0.5",
                "simulator.drivers.high-value", "DELIVERY:0.4,CHECKOUT:0.3,REVIEW:0.25,APP_SESSION:-0.2",
                "simulator.drivers.broad-base", "SUPPORT_CONTACT:0.45,WEBSITE_VISIT:0.3,RETURN:0.15");
        Map<String, Map<Touchpoint, Double>> configured = Map.of(
                CustomerJourneys.HIGH_VALUE, Map.of(Touchpoint.DELIVERY, 0.4, Touchpoint.CHECKOUT, 0.3,
                        Touchpoint.REVIEW, 0.25, Touchpoint.APP_SESSION, -0.2),
                CustomerJourneys.BROAD_BASE, Map.of(Touchpoint.SUPPORT_CONTACT, 0.45, Touchpoint.WEBSITE_VISIT, 0.3,
                        Touchpoint.RETURN, 0.15));
        Run run = run(config, 400_000, 2);

        for (String segment : configured.keySet()) {
            List<DriverObservation> obs = run.of(segment);
            List<Integer> drivers = new ArrayList<>();
            for (int k = 0; k < DriverSet.size(); k++) {
                int kk = k;
                double[] column = obs.stream().mapToDouble(o -> predictor(o, kk)).toArray();
                // A driver whose experience never varies (never met, or only its prior) cannot be estimated.
                if (new Variance().evaluate(column) > 1e-9) drivers.add(k);
            }
            double[][] x = new double[obs.size()][drivers.size()];
            double[] y = new double[obs.size()];
            for (int i = 0; i < obs.size(); i++) {
                for (int c = 0; c < drivers.size(); c++) x[i][c] = predictor(obs.get(i), drivers.get(c));
                y[i] = (obs.get(i).outcome() - 7.5) / 2.5;
            }
            OLSMultipleLinearRegression ols = new OLSMultipleLinearRegression();
            ols.newSampleData(y, x);
            double[] b = ols.estimateRegressionParameters();
            double[] se = ols.estimateRegressionParametersStandardErrors();

            assertTrue(obs.size() > 5_000, segment + ": " + obs.size() + " answers");
            assertEquals(DriverSet.size(), drivers.size(), segment + ": every driver varies");
            assertEquals(0, b[0], 4 * se[0], segment + ": intercept");
            for (int c = 0; c < drivers.size(); c++) {
                Touchpoint tp = DriverSet.touchpoints().get(drivers.get(c));
                double want = configured.get(segment).getOrDefault(tp, 0.0);
                String what = String.format("%s %s: estimated %.3f ± %.3f, configured %.2f", segment, tp, b[c + 1], se[c + 1], want);
                assertTrue(se[c + 1] < 0.05, what);
                assertEquals(want, b[c + 1], 4 * se[c + 1], what);
            }
        }
    }

    /** Pairwise-complete correlation of each driver's experience with the answer, as a correlation quadrant would show it. */
    private static Map<Touchpoint, Double> correlations(List<DriverObservation> obs) {
        Map<Touchpoint, Double> r = new EnumMap<>(Touchpoint.class);
        for (int k = 0; k < DriverSet.size(); k++) {
            int kk = k;
            List<DriverObservation> met = obs.stream().filter(o -> o.has(kk)).toList();
            r.put(DriverSet.touchpoints().get(k), new PearsonsCorrelation().correlation(
                    met.stream().mapToDouble(o -> o.predictor(kk)).toArray(),
                    met.stream().mapToDouble(DriverObservation::outcome).toArray()));
        }
        return r;
    }

    private static Touchpoint strongest(Map<Touchpoint, Double> correlations) {
        return correlations.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    @Test
    void underTheDefaultsHighValueAnswersFollowDeliveryMostAndBroadBaseAnswersSupportContact() {
        Run run = run(config(), 300_000, 2);

        Map<Touchpoint, Double> highValue = correlations(run.of(CustomerJourneys.HIGH_VALUE));
        Map<Touchpoint, Double> broadBase = correlations(run.of(CustomerJourneys.BROAD_BASE));

        assertEquals(Touchpoint.DELIVERY, strongest(highValue), highValue::toString);
        assertEquals(Touchpoint.SUPPORT_CONTACT, strongest(broadBase), broadBase::toString);
    }

    @Test
    void withoutNoiseEachRecommendAnswerIsTheModelsValueOfTheExperienceItWasDrawnFrom() {
        SimulationConfig config = config("simulator.drivers.noise", "0");
        Run run = run(config, 100_000, 2);
        Set<String> answerIds = new HashSet<>();
        int none = 0;
        for (CustomerJourneys.Answer a : run.answers()) {
            DriverObservation o = a.observation();
            double[] beta = config.drivers().coefficients(a.segment());
            double s = 0;
            boolean met = false;
            for (int k = 0; k < DriverSet.size(); k++) {
                if (beta[k] != 0 && o.has(k)) {
                    s += beta[k] * o.predictor(k);
                    met = true;
                }
            }
            if (!met) none++;
            assertEquals(Math.max(0, Math.min(10, Math.round(7.5 + 2.5 * s))), o.outcome(), o::toString);
            answerIds.add(o.id());
        }
        // The answers reported are the ones emitted, and every emitted one is reported.
        Map<String, Integer> emitted = new HashMap<>();
        for (CustomerInteraction e : run.events()) {
            if (e.getLikelihoodToRecommend() != null) emitted.put(e.getEventId(), e.getLikelihoodToRecommend());
        }
        assertEquals(emitted.keySet(), answerIds);
        run.answers().forEach(a -> assertEquals(emitted.get(a.observation().id()), (int) a.observation().outcome()));
        assertTrue(none > 0, "some answers come before any configured driver was met, and are 8 (7.5 rounded)");
    }

    /**
     * With 200 customers and 6 hours between events, a customer's events lie weeks apart, so the
     * 90-day decay weighs them visibly differently. The experience each answer reports must be
     * the decayed, weight-weighted mean of the default scoring model's scores of the customer's
     * earlier emitted events at each driver touchpoint, recomputed here from the events alone.
     */
    @Test
    void anAnswersExperienceIsTheDecayedWeightedMeanOfTheScoresOfTheCustomersEarlierEventsAtEachTouchpoint() {
        ScoringModel scoring = new ScoringModel(PipelineConfig.defaults().model());
        Run run = run(config("simulator.customers", "200", "simulator.late.share", "0"), 40_000, Duration.ofHours(6).toMillis());
        Map<String, CustomerJourneys.Answer> answersById = new HashMap<>();
        run.answers().forEach(a -> answersById.put(a.observation().id(), a));
        Map<String, List<CustomerInteraction>> earlier = new HashMap<>();
        Set<String> seen = new HashSet<>();
        double halfLifeMillis = DriverModel.HALF_LIFE.toMillis();
        int checked = 0;
        double largestDecayEffect = 0;
        for (CustomerInteraction e : run.events()) {
            if (!seen.add(e.getEventId())) continue;
            List<CustomerInteraction> history = earlier.computeIfAbsent(e.getCustomerId(), c -> new ArrayList<>());
            CustomerJourneys.Answer answer = answersById.get(e.getEventId());
            if (answer != null) {
                long t = e.getEventTime().toEpochMilli();
                for (int k = 0; k < DriverSet.size(); k++) {
                    Touchpoint tp = DriverSet.touchpoints().get(k);
                    double sum = 0, weight = 0, plainSum = 0, plainWeight = 0;
                    for (CustomerInteraction before : history) {
                        if (before.getTouchpoint() != tp) continue;
                        ExperienceSignal s = scoring.score(before);
                        double d = Math.pow(2, -(t - before.getEventTime().toEpochMilli()) / halfLifeMillis);
                        sum += d * s.weight() * s.value();
                        weight += d * s.weight();
                        plainSum += s.weight() * s.value();
                        plainWeight += s.weight();
                    }
                    DriverObservation o = answer.observation();
                    if (weight == 0) {
                        assertTrue(!o.has(k), () -> tp + " never met before " + o);
                    } else {
                        assertEquals(sum / weight, o.predictor(k), 1e-9, () -> tp + " in " + o);
                        largestDecayEffect = Math.max(largestDecayEffect, Math.abs(sum / weight - plainSum / plainWeight));
                    }
                }
                checked++;
            }
            history.add(e);
        }
        assertEquals(answersById.size(), checked);
        assertTrue(checked > 500, checked + " answers");
        assertTrue(largestDecayEffect > 0.05, "the decay must matter in this test: " + largestDecayEffect);
    }

    private static double meanAnswer(List<DriverObservation> answers, long fromMillis, long toMillis) {
        return answers.stream().filter(o -> o.time() >= fromMillis && o.time() < toMillis)
                .mapToDouble(DriverObservation::outcome).average().orElseThrow();
    }

    /**
     * Same seed with and without a delivery incident on high-value customers (200 s to 400 s of a
     * 600 s run): their failed deliveries lower their delivery experience, and under the defaults,
     * where delivery drives their answers, their recommend answers drop during the incident and stay
     * lower after it (the experience remembers, with a 90-day half-life). Broad-base answers,
     * driven by support contact, hardly move.
     */
    @Test
    void theDeliveryIncidentLowersHighValueRecommendAnswersAndNotBroadBaseOnes() {
        Incident wave = Incident.parse("simulator.incident.1",
                "wave;segment=high-value;touchpoint=DELIVERY;start=200s;duration=200s;failure=0.8;shift=-0.6");
        // No late events: one generated after the incident began could carry a time before it.
        SimulationConfig quiet = config("simulator.late.share", "0");
        Run hit = run(quiet.withIncidents(List.of(wave)), 300_000, 2);
        Run control = run(quiet, 300_000, 2);
        long from = START.plusSeconds(200).toEpochMilli(), to = START.plusSeconds(600).toEpochMilli();

        double hitHigh = meanAnswer(hit.of(CustomerJourneys.HIGH_VALUE), from, to);
        double controlHigh = meanAnswer(control.of(CustomerJourneys.HIGH_VALUE), from, to);
        double hitBroad = meanAnswer(hit.of(CustomerJourneys.BROAD_BASE), from, to);
        double controlBroad = meanAnswer(control.of(CustomerJourneys.BROAD_BASE), from, to);

        assertEquals(meanAnswer(control.of(CustomerJourneys.HIGH_VALUE), 0, from),
                meanAnswer(hit.of(CustomerJourneys.HIGH_VALUE), 0, from), 0.0, "identical before the incident");
        assertTrue(hitHigh < controlHigh - 0.25, "high-value: " + hitHigh + " vs " + controlHigh);
        assertEquals(controlBroad, hitBroad, 0.1, "broad-base");
    }

    @Test
    void everyDriverTouchpointStatesAnExperienceOnSomeOfItsEvents() {
        Run run = run(config(), 100_000, 2);
        Map<Touchpoint, int[]> counts = new EnumMap<>(Touchpoint.class);
        for (CustomerInteraction e : run.events()) {
            if (DriverSet.indexOf(e.getTouchpoint()) < 0) continue;
            boolean stated = e.getRating() != null || e.getLikelihoodToRecommend() != null || e.getEffort() != null
                    || e.getSentiment() != null || e.getOutcome() != null;
            int[] c = counts.computeIfAbsent(e.getTouchpoint(), t -> new int[2]);
            c[0]++;
            if (stated) c[1]++;
        }
        assertEquals(Set.copyOf(DriverSet.touchpoints()), counts.keySet());
        counts.forEach((tp, c) -> assertTrue(c[1] >= 0.05 * c[0], tp + ": " + c[1] + " of " + c[0] + " events state an experience"));
    }
}
