package org.brandequity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.brandequity.avro.Touchpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {

    @Test
    void laterSourcesOverrideEarlierOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "window.size=30m\nwindow.advance=30m\nbrand.id=from-file\n");

        PipelineConfig c = PipelineConfig.load(file,
                Map.of("BRANDEQUITY_BRAND_ID", "from-env", "HOME", "/root"),
                Map.of("window.grace", "1m"));

        assertEquals(Duration.ofMinutes(30), c.windowSize());
        assertEquals("from-env", c.brandId());
        assertEquals(Duration.ofMinutes(1), c.windowGrace());
    }

    @Test
    void environmentNamesMapOntoDottedKeys() {
        assertEquals("model.segment.high-value.weight", PipelineConfig.keyOfEnv("BRANDEQUITY_MODEL_SEGMENT_HIGH__VALUE_WEIGHT"));
        assertEquals("model.touchpoint.DELIVERY.promise", PipelineConfig.keyOfEnv("BRANDEQUITY_MODEL_TOUCHPOINT_DELIVERY_PROMISE"));
        assertEquals("bootstrap.servers", PipelineConfig.keyOfEnv("BRANDEQUITY_BOOTSTRAP_SERVERS"));
    }

    @Test
    void kafkaPrefixedKeysPassThroughToKafka() {
        PipelineConfig c = PipelineConfig.defaults().with(Map.of("kafka.security.protocol", "SSL"));
        assertEquals("SSL", c.kafka().getProperty("security.protocol"));
    }

    @Test
    void aWindowSizeThatIsNotAMultipleOfTheAdvanceIsRefusedWithTheKeyNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineConfig.defaults().with(Map.of("window.size", "25m", "window.advance", "10m")));
        assertTrue(e.getMessage().contains("window.size"), e.getMessage());
    }

    @Test
    void aMissingPromiseIsNotSilentlyZero() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineConfig.defaults().with(Map.of("model.touchpoint.DELIVERY.promise", "1.5")));
        assertTrue(e.getMessage().contains("model.touchpoint.DELIVERY.promise"), e.getMessage());
    }

    @Test
    void everyTouchpointHasADefaultWeightPromiseAndPrior() {
        PipelineConfig c = PipelineConfig.defaults();
        for (Touchpoint t : Touchpoint.values()) {
            assertTrue(c.model().touchpointWeight().get(t) > 0, t.name());
        }
    }

    @Test
    void alertSettingsSurviveTheRoundTripThroughProperties() {
        PipelineConfig c = PipelineConfig.defaults().with(Map.of("alert.floor.segment", "-30", "alert.rate.limit.period", "12h"));
        assertEquals(-30, c.alerts().floorSegment());
        assertTrue(Double.isNaN(c.alerts().floorBrand()), "off by default");
        assertEquals(Duration.ofHours(12), c.alerts().rateLimitPeriod());
        assertEquals(c.alerts(), PipelineConfig.fromProperties(c.toProperties()).alerts());
        assertEquals("alert.floor.segment", PipelineConfig.keyOfEnv("BRANDEQUITY_ALERT_FLOOR_SEGMENT"));
    }

    @Test
    void theQueryApiIsAdvertisedToTheGroupAsApplicationServer() {
        PipelineConfig defaults = PipelineConfig.defaults();
        assertEquals(new PipelineConfig.Api(true, "0.0.0.0", 8080, ""), defaults.api());

        PipelineConfig loopback = defaults.with(Map.of("api.host", "127.0.0.1", "api.port", "9001"));
        assertEquals("127.0.0.1", loopback.api().effectiveAdvertisedHost(), "a concrete bind address is advertised as is");
        PipelineConfig pod = defaults.with(Map.of("api.advertised.host", "pod-1.brand-equity", "api.port", "9000"));
        assertEquals("pod-1.brand-equity:9000", org.brandequity.topology.StreamsSettings.of(pod).get("application.server"));

        PipelineConfig off = defaults.with(Map.of("api.enabled", "false"));
        assertEquals(null, org.brandequity.topology.StreamsSettings.of(off).get("application.server"));
        assertThrows(IllegalArgumentException.class, () -> defaults.with(Map.of("api.port", "70000")));
    }
}
