package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.brandequity.avro.AtRiskTrigger;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.AtRiskRule.Decision;
import org.brandequity.model.AtRiskRule.Event;
import org.brandequity.model.AtRiskRule.OpenAlert;
import org.brandequity.model.AtRiskRule.Resolution;
import org.junit.jupiter.api.Test;

/** The at-risk rule alone: threshold -20, hysteresis 10, 3 events, 1 h cooldown, detractor at -0.5, K_c = 2. */
class AtRiskRuleTest {
    private static final long HOUR = 3_600_000L;
    private static final Decay DECAY = new Decay(Duration.ofDays(30));
    private static final ClosedLoopConfig CONFIG = new ClosedLoopConfig(2.0, Set.of("high-value"),
            EnumSet.noneOf(Touchpoint.class), -20, 3, 10, Duration.ofHours(1), -0.5);
    private final AtRiskRule rule = new AtRiskRule(CONFIG);

    /** A stock of {@code n} events of weight 1 and experience {@code x}, all at {@code t}. */
    private static CustomerStock stock(int n, double x, long t) {
        CustomerStock s = CustomerStock.EMPTY;
        for (int i = 0; i < n; i++) s = s.plus(t, x, 1.0, DECAY);
        return s;
    }

    private static Event event(long t, Touchpoint tp, double x) {
        return new Event(t, tp, x, x >= 0.25 ? Polarity.POSITIVE : x <= -0.25 ? Polarity.NEGATIVE : Polarity.NEUTRAL);
    }

    @Test
    void aDetractorLevelExperienceFiresForAWatchedCustomer() {
        Decision d = rule.judge(true, null, null, event(0, Touchpoint.DELIVERY, -0.5), stock(1, -0.5, 0));
        assertEquals(AtRiskTrigger.DETRACTOR_EXPERIENCE, d.fired());
    }

    @Test
    void anExperienceJustAboveTheDetractorSignalDoesNotFire() {
        Decision d = rule.judge(true, null, null, event(0, Touchpoint.DELIVERY, -0.49), stock(1, -0.49, 0));
        assertTrue(d.isNone());
    }

    @Test
    void aDetractorAtAnUnwatchedTouchpointDoesNotFire() {
        AtRiskRule onlyDelivery = new AtRiskRule(new ClosedLoopConfig(2.0, Set.of("high-value"), EnumSet.of(Touchpoint.DELIVERY),
                -20, 3, 10, Duration.ofHours(1), -0.5));
        Decision d = onlyDelivery.judge(true, null, null, event(0, Touchpoint.CHECKOUT, -1), stock(1, -1, 0));
        assertTrue(d.isNone());
    }

    @Test
    void aCustomerOfAnUnwatchedSegmentNeverFires() {
        Decision d = rule.judge(false, null, null, event(0, Touchpoint.DELIVERY, -1), stock(5, -1, 0));
        assertTrue(d.isNone());
    }

    @Test
    void anIndexBelowTheThresholdWithEnoughEventsFiresLowIndex() {
        // 3 events at x = -0.3: index = 100 * -0.9 / (3 + 2) = -18 ... at -0.4: -24 < -20.
        Decision d = rule.judge(true, null, null, event(0, Touchpoint.APP_SESSION, -0.4), stock(3, -0.4, 0));
        assertEquals(AtRiskTrigger.LOW_INDEX, d.fired());
    }

    @Test
    void aLowIndexWithTooFewEventsDoesNotFire() {
        // 2 events at x = -0.45: index = -22.5, but fewer than 3 events.
        Decision d = rule.judge(true, null, null, event(0, Touchpoint.APP_SESSION, -0.45), stock(2, -0.45, 0));
        assertTrue(d.isNone());
    }

    @Test
    void aDetractorExperienceTakesPrecedenceOverALowIndex() {
        Decision d = rule.judge(true, null, null, event(0, Touchpoint.DELIVERY, -1), stock(3, -1, 0));
        assertEquals(AtRiskTrigger.DETRACTOR_EXPERIENCE, d.fired());
    }

    @Test
    void anOpenAlertAbsorbsFurtherTriggers() {
        OpenAlert open = new OpenAlert(AtRiskTrigger.DETRACTOR_EXPERIENCE, Touchpoint.DELIVERY, 0, -30);
        Decision d = rule.judge(true, open, null, event(HOUR, Touchpoint.CHECKOUT, -1), stock(3, -1, HOUR));
        assertTrue(d.isNone());
    }

    @Test
    void aLowIndexAlertResolvesWhenTheIndexReachesThresholdPlusHysteresis() {
        OpenAlert open = new OpenAlert(AtRiskTrigger.LOW_INDEX, Touchpoint.APP_SESSION, 0, -24);
        // index = 100 * -0.1 * 1 / (1 + 2) = -3.3 >= -10
        Decision d = rule.judge(true, open, null, event(HOUR, Touchpoint.APP_SESSION, -0.1), stock(1, -0.1, HOUR));
        assertEquals(Resolution.INDEX_RECOVERED, d.resolved());
    }

    @Test
    void aLowIndexAlertStaysOpenBetweenTheThresholdAndTheHysteresis() {
        OpenAlert open = new OpenAlert(AtRiskTrigger.LOW_INDEX, Touchpoint.APP_SESSION, 0, -24);
        // index = 100 * -0.25 * 3 / (3 + 2) = -15: above the threshold, below threshold + hysteresis.
        Decision d = rule.judge(true, open, null, event(HOUR, Touchpoint.APP_SESSION, -0.25), stock(3, -0.25, HOUR));
        assertTrue(d.isNone());
    }

    @Test
    void aDetractorAlertResolvesOnALaterPositiveSignalAtTheSameTouchpoint() {
        OpenAlert open = new OpenAlert(AtRiskTrigger.DETRACTOR_EXPERIENCE, Touchpoint.DELIVERY, 0, 10);
        Decision d = rule.judge(true, open, null, event(HOUR, Touchpoint.DELIVERY, 0.5), stock(2, 0.0, HOUR));
        assertEquals(Resolution.POSITIVE_SIGNAL, d.resolved());
    }

    @Test
    void aPositiveSignalAtAnotherTouchpointDoesNotResolveADetractorAlert() {
        OpenAlert open = new OpenAlert(AtRiskTrigger.DETRACTOR_EXPERIENCE, Touchpoint.DELIVERY, 0, 10);
        Decision d = rule.judge(true, open, null, event(HOUR, Touchpoint.CHECKOUT, 0.5), stock(2, 0.0, HOUR));
        assertTrue(d.isNone());
    }

    @Test
    void aPositiveSignalOlderThanTheDetractorDoesNotResolveIt() {
        OpenAlert open = new OpenAlert(AtRiskTrigger.DETRACTOR_EXPERIENCE, Touchpoint.DELIVERY, HOUR, 10);
        Decision d = rule.judge(true, open, null, event(0, Touchpoint.DELIVERY, 0.5), stock(2, 0.0, HOUR));
        assertTrue(d.isNone());
    }

    @Test
    void aDetractorAlertFiredWhileTheIndexWasHighIsNotResolvedByTheIndex() {
        OpenAlert open = new OpenAlert(AtRiskTrigger.DETRACTOR_EXPERIENCE, Touchpoint.DELIVERY, 0, 15);
        Decision d = rule.judge(true, open, null, event(HOUR, Touchpoint.APP_SESSION, 0.0), stock(10, 0.5, HOUR));
        assertTrue(d.isNone());
    }

    @Test
    void aDetractorAlertFiredWhileTheIndexWasLowIsResolvedByItsRecovery() {
        OpenAlert open = new OpenAlert(AtRiskTrigger.DETRACTOR_EXPERIENCE, Touchpoint.DELIVERY, 0, -40);
        Decision d = rule.judge(true, open, null, event(HOUR, Touchpoint.APP_SESSION, 0.0), stock(10, 0.5, HOUR));
        assertEquals(Resolution.INDEX_RECOVERED, d.resolved());
    }

    @Test
    void noAlertFiresWithinTheCooldownAfterTheLastResolution() {
        Decision d = rule.judge(true, null, 0L, event(HOUR - 1, Touchpoint.DELIVERY, -1), stock(1, -1, HOUR - 1));
        assertTrue(d.isNone());
    }

    @Test
    void anAlertFiresOnceTheCooldownIsOver() {
        Decision d = rule.judge(true, null, 0L, event(HOUR, Touchpoint.DELIVERY, -1), stock(1, -1, HOUR));
        assertEquals(AtRiskTrigger.DETRACTOR_EXPERIENCE, d.fired());
    }

    @Test
    void aLateDetractorFromBeforeTheLastResolutionDoesNotFire() {
        Decision d = rule.judge(true, null, 5 * HOUR, event(2 * HOUR, Touchpoint.DELIVERY, -1), stock(4, 0.5, 5 * HOUR));
        assertTrue(d.isNone());
    }

    @Test
    void theEventThatResolvesAnAlertDoesNotFireANewOneWithinTheCooldown() {
        OpenAlert open = new OpenAlert(AtRiskTrigger.DETRACTOR_EXPERIENCE, Touchpoint.DELIVERY, 0, 10);
        // Positive at DELIVERY resolves; the index stays below -20 with 4 events, which would be LOW_INDEX.
        Decision d = rule.judge(true, open, null, event(HOUR, Touchpoint.DELIVERY, 0.3), stock(4, -0.5, HOUR));
        assertEquals(Resolution.POSITIVE_SIGNAL, d.resolved());
        assertNull(d.fired());
    }

    @Test
    void anAlertOfACustomerWhoLeftTheWatchedSegmentsStillResolves() {
        OpenAlert open = new OpenAlert(AtRiskTrigger.LOW_INDEX, Touchpoint.APP_SESSION, 0, -24);
        Decision d = rule.judge(false, open, null, event(HOUR, Touchpoint.APP_SESSION, 0.5), stock(3, 0.5, HOUR));
        assertEquals(Resolution.INDEX_RECOVERED, d.resolved());
    }

    @Test
    void theCooldownStartsAtTheCustomersNewestEventWhenALateEventResolves() {
        assertEquals(5 * HOUR, AtRiskRule.cooldownFrom(2 * HOUR, 5 * HOUR));
    }
}
