package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.test.TestRecord;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.internal.DriverObservationChange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key-driver observations the pipeline keeps live (additions minus retractions on the
 * {@code key-driver-observation-changes} topic) equal a batch derivation from the counted events
 * ({@link DriverBatch}), on random streams with out-of-order, late, too-late and duplicated events
 * and segment changes. Which events count is decided by {@link ReferenceModel}'s admission rule.
 */
class DriverObservationsReferenceTest {
    private static final Map<String, String> CONFIG = Map.of(
            "late.horizon", "3h", "drivers.half.life", "2h", "dedup.horizon", "1h");
    private static final Touchpoint[] TOUCHPOINTS = {Touchpoint.DELIVERY, Touchpoint.SUPPORT_CONTACT, Touchpoint.CHECKOUT,
            Touchpoint.APP_SESSION, Touchpoint.SURVEY_RESPONSE, Touchpoint.REFERRAL};
    private static final String[] SEGMENTS = {"high-value", "broad-base", "trial"};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {26, 261, 2626})
    void theLiveObservationsEqualABatchDerivationFromTheCountedEvents(long seed) {
        Random random = new Random(seed);
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            ReferenceModel ref = new ReferenceModel(p.config);
            Map<ReferenceModel.Fate, Integer> fates = new EnumMap<>(ReferenceModel.Fate.class);
            List<CustomerInteraction> sent = new ArrayList<>();
            long clock = 0;
            for (int i = 0; i < 1500; i++) {
                if (random.nextInt(60) == 0) {
                    var profile = Events.profile("c" + random.nextInt(15), SEGMENTS[random.nextInt(SEGMENTS.length)]);
                    ref.profile(profile);
                    p.profile(profile);
                    continue;
                }
                CustomerInteraction e;
                if (!sent.isEmpty() && random.nextInt(10) == 0) {
                    e = sent.get(random.nextInt(sent.size())); // a copy of an earlier event
                } else {
                    clock += random.nextInt(60_000);
                    int roll = random.nextInt(20);
                    // Mostly on time, some up to the grace period, some late (up to 4h: beyond the 3h horizon at times).
                    long behind = roll < 14 ? 0 : roll < 17 ? random.nextInt(120_000) : random.nextLong(4 * 3_600_000L);
                    e = event(random, "c" + random.nextInt(15), Events.T0.plusMillis(Math.max(0, clock - behind)));
                    sent.add(e);
                }
                fates.merge(ref.interaction(e), 1, Integer::sum);
                p.send(e);
            }

            Map<String, DriverObservationChange> live = new HashMap<>();
            int retractions = 0;
            for (TestRecord<String, DriverObservationChange> r : p.driverChanges.readRecordsToList()) {
                DriverObservationChange c = r.value();
                assertEquals(c.getSegment(), r.key(), "keyed by its segment");
                if (c.getMultiplier() > 0) {
                    assertEquals(null, live.put(c.getEventId(), c), "added twice: " + c.getEventId());
                } else {
                    retractions++;
                    DriverObservationChange added = live.remove(c.getEventId());
                    c.setMultiplier(1);
                    assertEquals(added, c, "a retraction takes out exactly what was added, from where it was added");
                }
            }

            Map<String, DriverBatch.Expected> expected = DriverBatch.observations(ref.counted(), p.config.drivers().halfLife());
            assertEquals(expected.keySet(), live.keySet(), "one live observation per counted answer");
            for (Map.Entry<String, DriverBatch.Expected> x : expected.entrySet()) {
                DriverObservationChange got = live.get(x.getKey());
                assertEquals(x.getValue().segment(), got.getSegment(), x.getKey());
                assertEquals(x.getValue().outcome(), got.getOutcome(), x.getKey());
                for (int k = 0; k < x.getValue().predictors().length; k++) {
                    double want = x.getValue().predictors()[k];
                    double have = got.getPredictors().get(k);
                    if (Double.isNaN(want)) assertTrue(Double.isNaN(have), x.getKey() + " driver " + k + ": " + have);
                    else assertEquals(want, have, 1e-9, x.getKey() + " driver " + k);
                }
            }
            System.out.printf("key-driver observations, seed %d: %s, %d live observations, %d retractions%n",
                    seed, fates, live.size(), retractions);
            assertTrue(retractions > 0, "no late driver event corrected an answer");
            assertTrue(fates.getOrDefault(ReferenceModel.Fate.DUPLICATE, 0) > 0, "no duplicate");
            assertTrue(fates.getOrDefault(ReferenceModel.Fate.TOO_LATE, 0) > 0, "no event beyond late.horizon");
            assertTrue(live.values().stream().anyMatch(o -> o.getPredictors().stream().anyMatch(x -> x.isNaN()))
                    && live.values().stream().anyMatch(o -> o.getPredictors().stream().filter(x -> !x.isNaN()).count() >= 2),
                    "observations with missing and with several met drivers");
        }
    }

    private static CustomerInteraction event(Random random, String customer, Instant time) {
        Touchpoint touchpoint = TOUCHPOINTS[random.nextInt(TOUCHPOINTS.length)];
        CustomerInteraction.Builder b = Events.interaction(customer, time).setTouchpoint(touchpoint)
                .setStage(random.nextBoolean() ? LifecycleStage.USAGE : LifecycleStage.PURCHASE);
        int signal = random.nextInt(4);
        if (signal == 0) b.setRating(1 + random.nextInt(5));
        if (signal == 1) b.setEffort(1 + random.nextInt(7));
        // signal 2: no signal, the touchpoint's prior
        if (signal == 3 || random.nextInt(4) == 0) b.setLikelihoodToRecommend(random.nextInt(11));
        return b.build();
    }
}
