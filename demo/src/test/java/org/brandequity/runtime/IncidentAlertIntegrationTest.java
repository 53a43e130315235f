package org.brandequity.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.brandequity.avro.AlertScope;
import org.brandequity.avro.AlertState;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.cluster.ClientProperties;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.deploy.Tools;
import org.brandequity.metrics.MetricsServer;
import org.brandequity.sim.SimulationConfig;
import org.brandequity.sim.Simulator;
import org.brandequity.topology.AppSerdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's scripted incident hits the high-value segment, and the pipeline, on a real broker
 * and registry, writes a FIRING score-drop alert for that segment and none for the untouched one;
 * a real Prometheus scraping the instance then finds the matching alert rule's expression true.
 */
class IncidentAlertIntegrationTest {
    private static RealCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new RealCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void anIncidentHittingTheHighValueSegmentRaisesAScoreDropAlertForThatSegment(@TempDir Path work) throws Exception {
        // One partition: the whole 40 minutes are preloaded, and with several partitions the tasks
        // would race through event time unevenly (no cross-task time sync in Kafka Streams), which
        // makes which customer windows reach a segment window before it is judged a matter of luck.
        PipelineConfig config = cluster.config("it-incident", Map.of(
                "window.size", "1m", "window.advance", "1m", "window.grace", "10s", "segment.window.grace", "10m",
                "model.equity.half.life", "1h", "topic.partitions", "1"));
        Properties sim = new Properties();
        sim.setProperty("simulator.seed", "7");
        sim.setProperty("simulator.customers", "600");
        sim.setProperty("simulator.high.value.share", "0.3");
        sim.setProperty("simulator.rate", "0");
        sim.setProperty("simulator.step", "40ms");
        sim.setProperty("simulator.total.events", "45000");
        sim.setProperty("simulator.start", "now-40m");
        sim.setProperty("simulator.late.share", "0");
        // One bad stretch for high-value customers at every touchpoint they use most, lasting to the end
        // of the input: the alert then stays open (the baseline is frozen while firing), so the check
        // below cannot miss it because the pipeline raced through the recovery before a scrape.
        String[] touchpoints = {"DELIVERY", "PRODUCT_USAGE", "SUPPORT_CONTACT", "APP_SESSION", "SURVEY_RESPONSE", "REVIEW", "CHECKOUT"};
        for (int i = 0; i < touchpoints.length; i++) {
            sim.setProperty("simulator.incident." + (i + 1), "outage-" + i + ";segment=high-value;touchpoint=" + touchpoints[i]
                    + ";start=12m;duration=30m;failure=0.9;shift=-1.2");
        }
        TopicAdmin.ensureTopics(config);
        try (Simulator simulator = new Simulator(SimulationConfig.fromProperties(sim), ClientProperties.producer(config), cluster.registry,
                config.topics().interactions(), config.topics().profiles())) {
            assertEquals(45000, simulator.run());
        }

        AppSerdes serdes = new AppSerdes(cluster.registry);
        String alerts = config.topics().alerts();
        Path prometheusBinary = Tools.require("prometheus", "prometheus");
        Process prometheus = null;
        try (Pipeline pipeline = new Pipeline(config).start();
             OutputWatcher watcher = new OutputWatcher(config, serdes);
             MetricsServer metrics = new MetricsServer("127.0.0.1", 0, pipeline, watcher)) {
            watcher.start();
            int prometheusPort = DashboardQueriesTest.freePort();
            prometheus = DashboardQueriesTest.startPrometheus(prometheusBinary, work, metrics.port(), prometheusPort);

            List<ConsumerRecord<byte[], byte[]>> read = cluster.readUntil(alerts,
                    records -> records.stream().map(r -> decode(serdes, alerts, r)).anyMatch(IncidentAlertIntegrationTest::highValueFiring),
                    Duration.ofSeconds(150));
            List<ScoreDropAlert> all = read.stream().map(r -> decode(serdes, alerts, r)).toList();
            ScoreDropAlert alert = all.stream().filter(IncidentAlertIntegrationTest::highValueFiring).findFirst().orElseThrow();
            System.out.println("incident alert: " + alert);
            assertTrue(alert.getBaseline() - alert.getValue() > 5, "a material drop: " + alert);
            assertTrue(alert.getSampleSize() >= 30);
            assertTrue(all.stream().noneMatch(a -> a.getScope() == AlertScope.SEGMENT && a.getSubject().equals("broad-base")
                    && a.getState() == AlertState.FIRING), "the untouched segment does not alert: " + all);

            // The matching Prometheus alert: its expression, evaluated by a real Prometheus scraping
            // this instance, returns a series for the high-value segment while the alert is open.
            String expr = expressionOf("BrandEquityScoreDropDetected");
            URI api = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/");
            String series = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (series == null && System.nanoTime() < deadline) {
                JsonNode result = query(api, expr + " and on (scope, subject) max by (scope, subject) (brandequity_score_drop_alert_firing{subject=\"high-value\"})");
                if (!result.isEmpty()) series = result.toString();
                else Thread.sleep(500);
            }
            System.out.println("prometheus alert expression: " + series);
            assertTrue(series != null && series.contains("high-value"), "BrandEquityScoreDropDetected returned no series for high-value");
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                prometheus.waitFor();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static String expressionOf(String alertName) throws Exception {
        Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(
                Files.readString(Tools.ROOT.resolve("deploy/prometheus/rules/brand-equity.rules.yml")));
        for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                if (alertName.equals(rule.get("alert"))) return rule.get("expr").toString().trim();
            }
        }
        throw new AssertionError("no alert rule " + alertName);
    }

    private static JsonNode query(URI api, String expr) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                api.resolve("query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertEquals("success", body.path("status").asText(), r.body());
        return body.path("data").path("result");
    }

    private static boolean highValueFiring(ScoreDropAlert a) {
        return a.getScope() == AlertScope.SEGMENT && a.getSubject().equals("high-value") && a.getState() == AlertState.FIRING;
    }

    private static ScoreDropAlert decode(AppSerdes serdes, String topic, ConsumerRecord<byte[], byte[]> r) {
        return serdes.alert().deserializer().deserialize(topic, r.value());
    }
}
