package org.brandequity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.brandequity.avro.Touchpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IncidentTest {

    @Test
    void theDocumentedSpecParsesIntoItsFields() {
        Incident i = Incident.parse("simulator.incident.1",
                "delivery-failure-wave;segment=high-value;touchpoint=DELIVERY;start=60s;duration=120s;failure=0.8");

        assertEquals(new Incident("delivery-failure-wave", "high-value", Touchpoint.DELIVERY,
                Duration.ofSeconds(60), Duration.ofSeconds(120), 0.8, 0.0), i);
    }

    @Test
    void theSpecFormReadsBackIntoAnEqualIncident() {
        Incident i = new Incident("app-outage", "broad-base", Touchpoint.APP_SESSION,
                Duration.ofMinutes(90), Duration.ofMillis(1500), 0.25, -0.4);

        assertEquals(i, Incident.parse("k", i.toSpec()));
    }

    @Test
    void itAffectsOnlyItsSegmentAndTouchpointFromItsStartUntilJustBeforeItsEnd() {
        Incident i = Incident.defaultIncident();
        Duration during = i.start().plusSeconds(1);

        assertTrue(i.affects("high-value", Touchpoint.DELIVERY, i.start()));
        assertTrue(i.affects("high-value", Touchpoint.DELIVERY, during));
        assertFalse(i.affects("high-value", Touchpoint.DELIVERY, i.start().minusMillis(1)));
        assertFalse(i.affects("high-value", Touchpoint.DELIVERY, i.end()));
        assertFalse(i.affects("broad-base", Touchpoint.DELIVERY, during));
        assertFalse(i.affects("high-value", Touchpoint.CHECKOUT, during));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "x;touchpoint=DELIVERY;start=1m;duration=1m",
            "x;segment=high-value;touchpoint=PIGEON;start=1m;duration=1m",
            "x;segment=high-value;touchpoint=DELIVERY;duration=1m",
            "x;segment=high-value;touchpoint=DELIVERY;start=1m;duration=0s",
            "x;segment=high-value;touchpoint=DELIVERY;start=1m;duration=1m;failure=1.5",
            "x;segment=high-value;touchpoint=DELIVERY;start=1m;duration=1m;colour=red",
            "x;segment=high-value;touchpoint=DELIVERY;start=1m;duration=1m;failure",
            ";segment=high-value;touchpoint=DELIVERY;start=1m;duration=1m"})
    void anIncompleteOrInvalidSpecIsRejectedNamingTheKey(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Incident.parse("simulator.incident.3", spec));
        assertTrue(e.getMessage().contains("simulator.incident.3"), e.getMessage());
    }
}
