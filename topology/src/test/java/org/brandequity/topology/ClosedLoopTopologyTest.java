package org.brandequity.topology;

import static org.brandequity.topology.Events.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.brandequity.avro.AtRiskTrigger;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerAlertState;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.RecentInteraction;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.model.CustomerStock;
import org.junit.jupiter.api.Test;

/**
 * At-risk customer alerts (docs/model.md §8) through the whole topology, with explicit event times.
 * Half-life 30 days, so that minutes of decay do not blur the index arithmetic; K_c = 2 (default),
 * threshold -20, hysteresis 10, 3 events, detractor at -0.5 (defaults); cooldown 30 minutes.
 * Event weights at stage USAGE (1.2): survey response 1.2, checkout 1.2, delivery 1.44, app session 0.84.
 * A restart (open alerts are state, not memory) is {@code ClosedLoopRestartIntegrationTest}'s: the test
 * driver wipes its state directory on close.
 */
class ClosedLoopTopologyTest {
    private static final Map<String, String> CONFIG = Map.of(
            "model.equity.half.life", "30d", "closedloop.cooldown", "30m", "late.horizon", "1h");

    private static Map<String, String> config(String... keyValues) {
        Map<String, String> all = new HashMap<>(CONFIG);
        for (int i = 0; i < keyValues.length; i += 2) all.put(keyValues[i], keyValues[i + 1]);
        return all;
    }

    private static CustomerInteraction rated(String customer, long minute, Touchpoint tp, int rating) {
        return Events.interaction(customer, minutes(minute)).setTouchpoint(tp).setRating(rating).build();
    }

    private static CustomerProfile highValue(String customer) {
        return CustomerProfile.newBuilder(Events.profile(customer, "high-value", 2.5)).setTier("gold").build();
    }

    /** Four ratings of 5 from minute 0 to 3: a customer whose index is high (+70.6) before anything goes wrong. */
    private static void happyHistory(PipelineDriver p, String customer) {
        for (int m = 0; m < 4; m++) p.send(rated(customer, m, Touchpoint.SURVEY_RESPONSE, 5));
    }

    private static List<CustomerAlert> alerts(PipelineDriver p) {
        return p.customerAlerts.readValuesToList();
    }

    private static CustomerStock equity(PipelineDriver p, String customer) {
        KeyValueStore<String, CustomerLedger> ledgers = p.driver.getKeyValueStore(BrandEquityTopology.CUSTOMER_LEDGER_STORE);
        return CustomerClosedLoop.stock(ledgers.get(customer));
    }

    @Test
    void aDetractorExperienceOfAHighValueCustomerFiresAtOnceWithItsContext() {
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            p.profile(highValue("ana"));
            p.send(rated("ana", 0, Touchpoint.CHECKOUT, 5), rated("ana", 1, Touchpoint.APP_SESSION, 4));
            CustomerInteraction bad = rated("ana", 2, Touchpoint.DELIVERY, 1);
            p.send(bad);

            // No window closed, stream time moved two minutes: the alert is the event's own output.
            List<TestRecord<String, CustomerAlert>> records = p.customerAlerts.readRecordsToList();
            assertEquals(1, records.size());
            assertEquals("ana", records.get(0).key());
            CustomerAlert a = records.get(0).value();
            assertEquals(CustomerAlertState.FIRING, a.getState());
            assertEquals(AtRiskTrigger.DETRACTOR_EXPERIENCE, a.getTrigger());
            assertEquals("ana:" + bad.getEventId(), a.getAlertId());
            assertEquals("high-value", a.getSegment());
            assertEquals("gold", a.getTier());
            assertEquals(2.5, a.getValueWeight());
            assertEquals(minutes(2), a.getAt());
            assertEquals(bad.getEventId(), a.getEvent().getEventId());
            assertEquals(Touchpoint.DELIVERY, a.getEvent().getTouchpoint());
            assertEquals("web", a.getEvent().getChannel());
            assertEquals(1, a.getEvent().getRating());
            assertEquals(-1.0, a.getEvent().getSignal());
            assertEquals(3, a.getCustomerEvents());
            // Before: 1.2 * 1 + 0.84 * 0.5 = 1.62 over 2.04 (+2); after: 1.62 - 1.44 = 0.18 over 3.48 (+2). Minutes of decay: < 1e-4.
            assertEquals(100 * 1.62 / 4.04, a.getIndexBefore(), 1e-2);
            assertEquals(100 * 0.18 / 5.48, a.getIndexAfter(), 1e-2);
            assertEquals(List.of(Touchpoint.DELIVERY, Touchpoint.APP_SESSION, Touchpoint.CHECKOUT),
                    a.getRecent().stream().map(RecentInteraction::getTouchpoint).toList());
            assertEquals(List.of(-1.0, 0.5, 1.0), a.getRecent().stream().map(RecentInteraction::getSignal).toList());
            assertNull(a.getResolution());
        }
    }

    @Test
    void anIndexFallingBelowTheThresholdWithEnoughEventsFiresLowIndex() {
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            p.profile(highValue("bo"));
            // Effort 3: x = -1/3, not detractor-level. Index after two: -0.8 / 4.4 = -18.2; after three: -1.2 / 5.6 = -21.4.
            p.send(Events.interaction("bo", minutes(0)).setEffort(3).build(), Events.interaction("bo", minutes(1)).setEffort(3).build());
            assertTrue(alerts(p).isEmpty());
            p.send(Events.interaction("bo", minutes(2)).setEffort(3).build());

            List<CustomerAlert> fired = alerts(p);
            assertEquals(1, fired.size());
            assertEquals(AtRiskTrigger.LOW_INDEX, fired.get(0).getTrigger());
            assertEquals(-21.43, fired.get(0).getIndexAfter(), 1e-2);
            assertEquals(3, fired.get(0).getCustomerEvents());
        }
    }

    @Test
    void aCustomerOfAnUnwatchedSegmentNeverAlertsButHasEquity() {
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            p.profile(Events.profile("cy", "broad-base"));
            for (int m = 0; m < 4; m++) p.send(rated("cy", m, Touchpoint.DELIVERY, 1));

            assertTrue(alerts(p).isEmpty());
            assertEquals(4, equity(p, "cy").events());
            assertTrue(equity(p, "cy").index(2.0) < -20);
        }
    }

    @Test
    void aDetractorAtAnUnwatchedTouchpointIsSilent() {
        try (PipelineDriver p = new PipelineDriver(config("closedloop.touchpoints", "DELIVERY"))) {
            p.profile(highValue("di"));
            happyHistory(p, "di");
            p.send(rated("di", 4, Touchpoint.CHECKOUT, 1));
            assertTrue(alerts(p).isEmpty(), "CHECKOUT is not watched");

            p.send(rated("di", 5, Touchpoint.DELIVERY, 1));
            assertEquals(List.of(AtRiskTrigger.DETRACTOR_EXPERIENCE), alerts(p).stream().map(CustomerAlert::getTrigger).toList());
        }
    }

    @Test
    void aCustomerHasAtMostOneOpenAlert() {
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            p.profile(highValue("ed"));
            p.send(rated("ed", 0, Touchpoint.DELIVERY, 1), rated("ed", 1, Touchpoint.CHECKOUT, 1),
                    rated("ed", 2, Touchpoint.SUPPORT_CONTACT, 1), rated("ed", 3, Touchpoint.DELIVERY, 2));

            assertEquals(1, alerts(p).size(), "detractors and a low index while one is open fire nothing more");
        }
    }

    @Test
    void aDetractorAlertResolvesOnALaterPositiveSignalAtTheSameTouchpoint() {
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            p.profile(highValue("fay"));
            happyHistory(p, "fay");
            p.send(rated("fay", 4, Touchpoint.DELIVERY, 1));
            p.send(rated("fay", 5, Touchpoint.CHECKOUT, 5));
            CustomerInteraction good = rated("fay", 6, Touchpoint.DELIVERY, 5);
            p.send(good);

            List<CustomerAlert> all = alerts(p);
            assertEquals(List.of(CustomerAlertState.FIRING, CustomerAlertState.RESOLVED), all.stream().map(CustomerAlert::getState).toList());
            CustomerAlert resolved = all.get(1);
            assertEquals(all.get(0).getAlertId(), resolved.getAlertId());
            assertEquals("positive-signal", resolved.getResolution());
            assertEquals(good.getEventId(), resolved.getEvent().getEventId());
            assertEquals(AtRiskTrigger.DETRACTOR_EXPERIENCE, resolved.getTrigger());
        }
    }

    @Test
    void aLowIndexAlertResolvesOnceTheIndexIsBackAboveThresholdPlusHysteresis() {
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            p.profile(highValue("gus"));
            for (int m = 0; m < 3; m++) p.send(Events.interaction("gus", minutes(m)).setEffort(3).build());
            // Effort 6, x = 2/3: -1.2 + 0.8 = -0.4 over 4.8 (+2): -5.88 >= -10.
            p.send(Events.interaction("gus", minutes(3)).setEffort(6).build());

            List<CustomerAlert> all = alerts(p);
            assertEquals(List.of(CustomerAlertState.FIRING, CustomerAlertState.RESOLVED), all.stream().map(CustomerAlert::getState).toList());
            assertEquals("index-recovered", all.get(1).getResolution());
            assertEquals(-5.88, all.get(1).getIndexAfter(), 1e-2);
        }
    }

    @Test
    void noAlertFiresWithinTheCooldownAfterAResolution() {
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            p.profile(highValue("hal"));
            happyHistory(p, "hal");
            p.send(rated("hal", 4, Touchpoint.DELIVERY, 1), rated("hal", 5, Touchpoint.DELIVERY, 5));
            assertEquals(2, alerts(p).size());

            p.send(rated("hal", 20, Touchpoint.DELIVERY, 1));
            assertTrue(alerts(p).isEmpty(), "15 minutes after the resolution, within the 30-minute cooldown");
            p.send(rated("hal", 36, Touchpoint.DELIVERY, 1));
            assertEquals(List.of(CustomerAlertState.FIRING), alerts(p).stream().map(CustomerAlert::getState).toList());
        }
    }

    @Test
    void aLateDetractorIsCountedInEquityAndFires() {
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            p.profile(highValue("ivy"));
            p.send(rated("ivy", 30, Touchpoint.SURVEY_RESPONSE, 4));
            p.advanceStreamTime(minutes(50));
            // 40 minutes behind stream time: beyond window.grace (2m), within late.horizon (1h).
            CustomerInteraction late = rated("ivy", 10, Touchpoint.DELIVERY, 1);
            p.send(late);

            assertEquals(1, p.counters.lateRevised());
            CustomerStock equity = equity(p, "ivy");
            assertEquals(2, equity.events());
            assertEquals(minutes(30).toEpochMilli(), equity.asOf(), "a late event does not move the customer's asOf");
            List<CustomerAlert> fired = alerts(p);
            assertEquals(1, fired.size());
            assertEquals(minutes(10), fired.get(0).getAt());
            assertEquals(List.of(minutes(30), minutes(10)), fired.get(0).getRecent().stream().map(RecentInteraction::getEventTime).toList());
        }
    }

    @Test
    void aDuplicateOfTheFiringEventDoesNotFireAgain() {
        try (PipelineDriver p = new PipelineDriver(config("closedloop.cooldown", "0ms"))) {
            p.profile(highValue("jo"));
            happyHistory(p, "jo");
            CustomerInteraction bad = rated("jo", 4, Touchpoint.DELIVERY, 1);
            p.send(bad, rated("jo", 5, Touchpoint.DELIVERY, 5));
            assertEquals(2, alerts(p).size(), "fired and resolved; no cooldown");

            p.send(bad);
            assertTrue(alerts(p).isEmpty(), "a copy is not counted, so it does not fire");
            assertEquals(6, equity(p, "jo").events());
            p.send(rated("jo", 6, Touchpoint.DELIVERY, 1));
            assertEquals(1, alerts(p).size(), "a new detractor does");
        }
    }

    @Test
    void theMetricsCountAlertsBySegmentTouchpointAndTriggerAndTheOpenOnes() {
        try (PipelineDriver p = new PipelineDriver(CONFIG)) {
            p.profile(highValue("kim"));
            p.profile(highValue("lou"));
            happyHistory(p, "kim");
            p.send(rated("kim", 4, Touchpoint.DELIVERY, 1), rated("lou", 4, Touchpoint.CHECKOUT, 1),
                    rated("kim", 5, Touchpoint.DELIVERY, 5));

            var registry = p.counters.registry();
            assertEquals(1.0, registry.get("brandequity_customer_alerts").tags("segment", "high-value", "touchpoint", "DELIVERY",
                    "trigger", "DETRACTOR_EXPERIENCE").counter().count());
            assertEquals(1.0, registry.get("brandequity_customer_alerts").tags("touchpoint", "CHECKOUT").counter().count());
            assertEquals(1.0, registry.get("brandequity_customer_alerts_resolved").tags("segment", "high-value").counter().count());
            assertEquals(1.0, registry.get("brandequity_customer_alerts_open").tags("segment", "high-value").gauge().value());
        }
    }
}
