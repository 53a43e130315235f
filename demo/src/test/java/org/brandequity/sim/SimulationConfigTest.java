package org.brandequity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.brandequity.avro.Touchpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulationConfigTest {

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) p.setProperty(keyValues[i], keyValues[i + 1]);
        return p;
    }

    @Test
    void withoutKeysEverySettingTakesItsDocumentedDefault() {
        SimulationConfig c = SimulationConfig.fromProperties(new Properties());

        assertEquals(new SimulationConfig(42, 2_000, 0.15, 0.02, 500, 0, Duration.ofMillis(2), null, Duration.ZERO,
                0.01, 0.01, Duration.ofMinutes(5), List.of(Incident.defaultIncident()),
                new DriverModel(
                        Map.of(Touchpoint.DELIVERY, 0.5, Touchpoint.PRODUCT_USAGE, 0.3, Touchpoint.SUPPORT_CONTACT, 0.1),
                        Map.of(Touchpoint.SUPPORT_CONTACT, 0.5, Touchpoint.PRODUCT_USAGE, 0.2, Touchpoint.DELIVERY, 0.1),
                        0.6)), c);
    }

    @Test
    void everyKeyOverridesItsDefault() {
        SimulationConfig c = SimulationConfig.fromProperties(props(
                "simulator.seed", "7",
                "simulator.customers", "10000",
                "simulator.high.value.share", "0.2",
                "simulator.unassigned.share", "0.05",
                "simulator.rate", "0",
                "simulator.total.events", "1000000",
                "simulator.step", "10ms",
                "simulator.start", "2025-01-01T00:00:00Z",
                "simulator.duplicate.share", "0.03",
                "simulator.late.share", "0.04",
                "simulator.max.lateness", "20m",
                "simulator.incidents.default", "false",
                "simulator.drivers.high-value", "checkout:0.3, REVIEW:-0.1",
                "simulator.drivers.broad-base", "",
                "simulator.drivers.noise", "0"));

        assertEquals(new SimulationConfig(7, 10_000, 0.2, 0.05, 0, 1_000_000, Duration.ofMillis(10),
                Instant.parse("2025-01-01T00:00:00Z"), Duration.ZERO, 0.03, 0.04, Duration.ofMinutes(20), List.of(),
                new DriverModel(Map.of(Touchpoint.CHECKOUT, 0.3, Touchpoint.REVIEW, -0.1), Map.of(), 0)), c);
    }

    @Test
    void aStartOfNowMinusADurationBeginsThatLongBeforeTheRun() {
        SimulationConfig c = SimulationConfig.fromProperties(props("simulator.start", "now-2h"));
        Instant now = Instant.parse("2025-06-01T12:00:00Z");

        assertNull(c.start());
        assertEquals(Instant.parse("2025-06-01T10:00:00Z"), c.startAt(now));
        assertEquals(now, SimulationConfig.defaults().startAt(now));
    }

    @Test
    void numberedIncidentsReplaceTheDefaultOneInNumericOrder() {
        SimulationConfig c = SimulationConfig.fromProperties(props(
                "simulator.incident.10", "outage;segment=broad-base;touchpoint=APP_SESSION;start=1h;duration=10m;shift=-0.5",
                "simulator.incident.9", "slow-support;segment=high-value;touchpoint=SUPPORT_CONTACT;start=5m;duration=30m;failure=0.5"));

        assertEquals(List.of("slow-support", "outage"), c.incidents().stream().map(Incident::name).toList());
        assertEquals(Touchpoint.APP_SESSION, c.incidents().get(1).touchpoint());
    }

    @Test
    void theEventSpacingIsOneOverTheRateOrTheStepWhenUnpaced() {
        assertEquals(0.02, SimulationConfig.defaults().withRate(50_000).eventSpacingMillis(), 1e-12);
        assertEquals(2.0, SimulationConfig.defaults().withRate(0).eventSpacingMillis(), 1e-12);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "simulator.customers|0",
            "simulator.customers|many",
            "simulator.high.value.share|1.5",
            "simulator.unassigned.share|-0.1",
            "simulator.rate|-1",
            "simulator.total.events|-5",
            "simulator.step|0ms",
            "simulator.start|yesterday",
            "simulator.duplicate.share|1",
            "simulator.late.share|2",
            "simulator.max.lateness|0ms",
            "simulator.incidents.default|maybe",
            "simulator.incident.first|x;segment=high-value;touchpoint=DELIVERY;start=1m;duration=1m"})
    void anInvalidValueIsRejectedNamingItsKey(String key, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulationConfig.fromProperties(props(key, value)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "simulator.drivers.high-value|DELIVERY:0.5,TELEPATHY:0.1|'TELEPATHY' is not a driver touchpoint (one of [AD, SOCIAL_MENTION",
            "simulator.drivers.broad-base|SURVEY_RESPONSE:0.3|'SURVEY_RESPONSE' is not a driver touchpoint",
            "simulator.drivers.high-value|DELIVERY:lots|entry 'DELIVERY:lots': the coefficient is not a number",
            "simulator.drivers.high-value|DELIVERY:NaN|entry 'DELIVERY:NaN': the coefficient must be finite",
            "simulator.drivers.broad-base|DELIVERY|entry 'DELIVERY' is not TOUCHPOINT:coefficient",
            "simulator.drivers.broad-base|DELIVERY:0.1,delivery:0.2|DELIVERY is listed twice",
            "simulator.drivers.high-value|AD:0,SOCIAL_MENTION:0,WORD_OF_MOUTH:0,WEBSITE_VISIT:0,STORE_VISIT:0,SALES_CONTACT:0,CHECKOUT:0,DELIVERY:0,PRODUCT_USAGE:0,APP_SESSION:0,SUPPORT_CONTACT:0,RETURN:0,REVIEW:0,AD:0|14 entries, but there are only 13 driver touchpoints",
            "simulator.drivers.noise|-0.1|must be in [0, 10]"})
    void aBadDriverModelValueIsRejectedSayingWhatIsWrongWithIt(String key, String value, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulationConfig.fromProperties(props(key, value)));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void anOverlongDriverListIsRejectedWithoutEchoingItWhole() {
        String value = "DELIVERY:0." + "1".repeat(2_000);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulationConfig.fromProperties(props("simulator.drivers.high-value", value)));
        assertTrue(e.getMessage().contains("simulator.drivers.high-value") && e.getMessage().contains("longer than"), e.getMessage());
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }

    @Test
    void sharesOfHighValueAndUnassignedCannotExceedTheWholePopulation() {
        assertThrows(IllegalArgumentException.class, () -> SimulationConfig.fromProperties(props(
                "simulator.high.value.share", "0.7", "simulator.unassigned.share", "0.4")));
    }
}
