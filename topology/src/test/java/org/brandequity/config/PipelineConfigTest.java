package org.brandequity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.brandequity.avro.Touchpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineConfigTest {

    @Test
    void laterSourcesOverrideEarlierOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "window.size=30m\nwindow.advance=30m\nbrand.id=from-file\n");

        PipelineConfig c = PipelineConfig.load(file,
                Map.of("BRANDEQUITY_BRAND_ID", "from-env", "HOME", "/root"),
                Map.of("window.grace", "1m"));

        assertEquals(Duration.ofMinutes(30), c.windows().size());
        assertEquals("from-env", c.brandId());
        assertEquals(Duration.ofMinutes(1), c.windows().grace());
    }

    @Test
    void sourcesRankDefinitionThenCommandDefaultsThenFileThenEnvironmentThenSet(@TempDir Path dir) throws Exception {
        CommandKeys keys = PipelineKeys.KEYS.withCommandDefaults(Map.of(
                "brand.id", "command", "topic.equity", "command", "topic.alerts", "command", "topic.profiles", "command"));
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "topic.equity=file\ntopic.alerts=file\ntopic.profiles=file\n");

        PipelineConfig c = PipelineConfig.fromMap(keys.resolve(file,
                Map.of("BRANDEQUITY_TOPIC_ALERTS", "env", "BRANDEQUITY_TOPIC_PROFILES", "env"),
                Map.of("topic.profiles", "set")));

        assertEquals("customer-interactions", c.topics().interactions(), "definition default");
        assertEquals("command", c.brandId(), "the command's default beats the definition's");
        assertEquals("file", c.topics().equity(), "the file beats the command's default");
        assertEquals("env", c.topics().alerts(), "the environment beats the file");
        assertEquals("set", c.topics().profiles(), "--set beats the environment");
    }

    @Test
    void everyDefinedKeyRoundTripsThroughItsEnvironmentVariable() {
        for (String key : PipelineKeys.KEYS.definition().names()) {
            assertEquals(Optional.of(key), PipelineKeys.KEYS.keyOfEnv(CommandKeys.envOf(key)), CommandKeys.envOf(key));
        }
    }

    @Test
    void noTwoDefinedKeysShareAnEnvironmentVariable() {
        Set<String> variables = new HashSet<>();
        for (String key : PipelineKeys.KEYS.definition().names()) {
            assertTrue(variables.add(CommandKeys.envOf(key)), key + " shares " + CommandKeys.envOf(key));
        }
    }

    @Test
    void aTouchpointWithAnUnderscoreInItsNameCanBeSetThroughTheEnvironment() {
        PipelineConfig c = PipelineConfig.load(null, Map.of("BRANDEQUITY_MODEL_TOUCHPOINT_SUPPORT_CONTACT_WEIGHT", "2.5"), Map.of());

        assertEquals(2.5, c.model().touchpointWeight().get(Touchpoint.SUPPORT_CONTACT));
    }

    @Test
    void aSegmentNameKeepsItsCaseAndUnderscoreThroughTheEnvironment() {
        PipelineConfig c = PipelineConfig.load(null, Map.of("BRANDEQUITY_MODEL_SEGMENT_WEIGHTS", "High_Value:4,broad-base:1"), Map.of());

        assertEquals(4.0, c.model().weightOfSegment("High_Value"));
        assertEquals(1.0, c.model().weightOfSegment("high_value"), "another segment: the default weight");
    }

    @Test
    void kafkaVariablesBecomeLowerCaseDottedClientKeys() {
        PipelineConfig c = PipelineConfig.load(null, Map.of("BRANDEQUITY_KAFKA_SECURITY_PROTOCOL", "SSL"), Map.of());

        assertEquals("SSL", c.kafka().getProperty("security.protocol"));
    }

    @Test
    void aMisspeltKeyInTheFileIsReportedWithItsSourceAndTheClosestKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "window.sise=30m\n");

        ConfigException e = assertThrows(ConfigException.class, () -> PipelineConfig.load(file, Map.of(), Map.of()));

        assertEquals("unknown config key 'window.sise' (from --config " + file + "); did you mean 'window.size'?", e.getMessage());
    }

    @Test
    void aMisspeltKeyInASetIsReportedWithTheClosestKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PipelineConfig.load(null, Map.of(), Map.of("num.stream.thread", "4")));

        assertEquals("unknown config key 'num.stream.thread' (from --set); did you mean 'num.stream.threads'?", e.getMessage());
    }

    @Test
    void aMisspeltVariableIsReportedByItsNameWithTheClosestVariable() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PipelineConfig.load(null, Map.of("BRANDEQUITY_WINDOW_SIZ", "30m"), Map.of()));

        assertEquals("unknown config variable BRANDEQUITY_WINDOW_SIZ (from the environment); "
                + "did you mean BRANDEQUITY_WINDOW_SIZE (window.size)?", e.getMessage());
    }

    @Test
    void theOldPerSegmentWeightKeysAreRefused() {
        assertThrows(ConfigException.class,
                () -> PipelineConfig.load(null, Map.of(), Map.of("model.segment.high-value.weight", "4")));
        assertThrows(IllegalArgumentException.class,
                () -> PipelineConfig.defaults().with(Map.of("model.segment.high-value.weight", "4")));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "window.size|an hour",
            "window.grace|-1m",
            "api.port|70000",
            "topic.partitions|0",
            "topic.replication.factor|zero",
            "processing.guarantee|exactly_twice",
            "model.touchpoint.DELIVERY.promise|1.5",
            "model.touchpoint.SUPPORT_CONTACT.weight|0",
            "model.stage.USAGE.weight|NaN",
            "model.prior.weight|0",
            "model.segment.weights|high-value",
            "model.segment.weights|high-value:-1",
            "model.segment.weights|a:1,a:2",
            "alert.floor.brand|low",
            "alert.persistence.windows|32",
            "alert.rate.limit.period|0ms",
            "api.enabled|maybe"})
    void anInvalidValueIsRejectedWithItsKeyNamed(String key, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineConfig.defaults().with(Map.of(key, value)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
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
    void everyTouchpointHasADefaultWeightPromiseAndPrior() {
        PipelineConfig c = PipelineConfig.defaults();
        for (Touchpoint t : Touchpoint.values()) {
            assertTrue(c.model().touchpointWeight().get(t) > 0, t.name());
            assertTrue(c.model().touchpointPromise().containsKey(t), t.name());
            assertTrue(c.model().touchpointPrior().containsKey(t), t.name());
        }
    }

    @Test
    void theDefaultSegmentWeightsWeighHighValueThreeTimes() {
        PipelineConfig c = PipelineConfig.defaults();
        assertEquals(Map.of("broad-base", 1.0, "high-value", 3.0, "unassigned", 1.0), c.model().segmentWeight());
        assertEquals(1.0, c.model().weightOfSegment("trial"));
    }

    @Test
    void theWholeConfigSurvivesTheRoundTripThroughProperties() {
        PipelineConfig c = PipelineConfig.defaults().with(Map.of("alert.floor.segment", "-30", "alert.rate.limit.period", "12h",
                "model.segment.weights", "High_Value:4,b:0.5", "kafka.linger.ms", "5", "metrics.port", "0"));

        assertEquals(c, PipelineConfig.fromProperties(c.toProperties()));
        assertEquals(-30, c.alerts().floorSegment());
        assertTrue(Double.isNaN(c.alerts().floorBrand()), "off by default");
    }

    @Test
    void theQueryApiIsAdvertisedToTheGroupAsApplicationServer() {
        PipelineConfig defaults = PipelineConfig.defaults();
        assertEquals(new PipelineConfig.Api(true, "127.0.0.1", 8080, ""), defaults.api(), "this machine only by default");

        PipelineConfig loopback = defaults.with(Map.of("api.port", "9001"));
        assertEquals("127.0.0.1", loopback.api().effectiveAdvertisedHost(), "a concrete bind address is advertised as is");
        PipelineConfig pod = defaults.with(Map.of("api.advertised.host", "pod-1.brand-equity", "api.port", "9000"));
        assertEquals("pod-1.brand-equity:9000", org.brandequity.topology.StreamsSettings.of(pod).get("application.server"));

        PipelineConfig off = defaults.with(Map.of("api.enabled", "false"));
        assertEquals(null, org.brandequity.topology.StreamsSettings.of(off).get("application.server"));
    }

    @Test
    void theSegmentsWithAMetricLabelDefaultToTheSegmentsWithAConfiguredWeight() {
        PipelineConfig c = PipelineConfig.defaults().with(Map.of("model.segment.weights", "gold:3,silver:2"));
        assertEquals(Set.of("gold", "silver"), c.metricSegments());
    }

    @Test
    void metricsSegmentsReplacesTheWeightedSegmentsAsMetricLabels() {
        PipelineConfig c = PipelineConfig.defaults().with(Map.of("metrics.segments", "high-value, trial"));
        assertEquals(Set.of("high-value", "trial"), c.metricSegments());
    }

    @Test
    void anEmptyMetricsSegmentsLabelsNoSegmentAndSurvivesTheRoundTrip() {
        PipelineConfig c = PipelineConfig.defaults().with(Map.of("metrics.segments", ""));
        assertEquals(Set.of(), c.metricSegments());
        assertEquals(c, PipelineConfig.fromProperties(c.toProperties()));
    }

    @Test
    void anUnsetMetricsSegmentsFollowsALaterChangeOfTheWeights() {
        PipelineConfig c = PipelineConfig.defaults().with(Map.of("model.segment.weights", "gold:3"));
        assertEquals(Set.of("platinum"), c.with(Map.of("model.segment.weights", "platinum:5")).metricSegments());
    }

    @Test
    void aSegmentListedTwiceInMetricsSegmentsIsRejectedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineConfig.defaults().with(Map.of("metrics.segments", "a,b,a")));
        assertTrue(e.getMessage().contains("metrics.segments"), e.getMessage());
    }
}
