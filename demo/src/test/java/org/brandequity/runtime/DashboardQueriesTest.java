package org.brandequity.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.brandequity.cluster.ClientProperties;
import org.brandequity.config.PipelineConfig;
import org.brandequity.deploy.Tools;
import org.brandequity.metrics.MetricsServer;
import org.brandequity.sim.SimulationConfig;
import org.brandequity.sim.Simulator;
import org.brandequity.topology.AppSerdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards against reality: a real broker and registry, the pipeline with its output
 * watcher and metrics endpoint, the simulator at a few hundred events per second with short
 * windows, and a real Prometheus (Debian package {@code prometheus}) scraping the endpoint every
 * second with the alert rules of deploy/prometheus loaded. Every panel query (template variables
 * substituted) must be valid PromQL and return at least one series; every rule must evaluate
 * without error. Writes what each panel returned to target/dashboard-queries.txt.
 */
class DashboardQueriesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** From starting the simulator until every query must have answered with data. */
    private static final Duration DATA_DEADLINE = Duration.ofSeconds(100);

    record Query(String dashboard, int panelId, String panel, String refId, String expr) {}

    @Test
    void everyPanelQueryReturnsSeriesFromTheRunningPipeline(@TempDir Path work) throws Exception {
        Path prometheusBinary = Tools.require("prometheus", "prometheus");
        List<Query> queries = panelQueries();
        assertTrue(queries.size() >= 30, "too few panel queries found: " + queries.size());

        Process prometheus = null;
        Simulator simulator = null;
        try (RealCluster cluster = new RealCluster()) {
            Properties props = PipelineConfig.loadProperties(null, Map.of(), Map.of());
            Map<String, String> overrides = Map.of(
                    "window.size", "10s", "window.advance", "5s", "window.grace", "2s", "segment.window.grace", "5s",
                    "model.equity.half.life", "10m", "simulator.rate", "300", "simulator.customers", "400",
                    "simulator.max.lateness", "4s", "simulator.incidents.default", "false",
                    // unassigned is left out of the segment labels so that the 'other' fold is on the dashboards too.
                    "metrics.segments", "high-value,broad-base");
            props.putAll(overrides);
            Map<String, String> pipelineOverrides = new java.util.HashMap<>(overrides);
            // A history point a second, for the panels that read the query API (issue 24).
            pipelineOverrides.putAll(Map.of("equity.history.interval", "1s", "equity.history.retention", "1h",
                    // The key drivers (issue 26) folded every 2 s, and in the analysis from 10 answers per driver
                    // pair, so that the brand and high-value reach OK while the simulator runs.
                    "drivers.emit.interval", "2s", "drivers.min.observations", "10"));
            pipelineOverrides.keySet().removeIf(k -> k.startsWith("simulator."));
            PipelineConfig config = cluster.config("dashboards", pipelineOverrides);
            try (Pipeline pipeline = new Pipeline(config).start();
                 OutputWatcher watcher = new OutputWatcher(config, new AppSerdes(cluster.registry));
                 MetricsServer metrics = new MetricsServer("127.0.0.1", 0, pipeline, watcher)) {
                watcher.start();
                int prometheusPort = freePort();
                prometheus = startPrometheus(prometheusBinary, work, metrics.port(), prometheusPort);
                URI api = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/");

                simulator = new Simulator(SimulationConfig.fromProperties(props), ClientProperties.producer(config), cluster.registry,
                        config.topics().interactions(), config.topics().profiles());
                Thread producer = new Thread(simulator::run, "simulator");
                producer.setDaemon(true);
                producer.start();

                long deadline = System.nanoTime() + DATA_DEADLINE.toNanos();
                Map<Query, String> results;
                List<String> empty;
                do {
                    Thread.sleep(3_000);
                    results = new LinkedHashMap<>();
                    empty = new ArrayList<>();
                    for (Query q : queries) {
                        String result = run(api, q);
                        results.put(q, result);
                        if (result == null) empty.add(q.dashboard() + " #" + q.panelId() + " " + q.panel() + " [" + q.refId() + "]: " + q.expr());
                    }
                } while (!empty.isEmpty() && System.nanoTime() < deadline);
                writeReport(results);
                if (!empty.isEmpty()) fail("panel queries with no series after " + DATA_DEADLINE + ":\n" + String.join("\n", empty));
                assertRulesHealthy(api);
                assertQueryApiPanelsAnswer(pipeline.apiUrl());
            } finally {
                if (simulator != null) simulator.stop();
            }
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                prometheus.waitFor();
            }
            if (simulator != null) simulator.close();
        }
    }

    /**
     * A panel target read from the query API through the Infinity JSON data source: its URL, rows and
     * columns; {@code mayLackData}: a key-driver answer for a variable value other than the default and
     * the brand, whose segment may still be below drivers.min.observations (status NOT_ENOUGH_DATA, its
     * figures null: the columns must be there all the same).
     */
    record ApiTarget(String dashboard, int panelId, String panel, String url, String rootSelector, List<String> columns, boolean mayLackData) {}

    /**
     * Every target of a query-API data source, with Grafana's time-range macros as Grafana would fill
     * them, once for each value of a custom variable in its URL.
     */
    static List<ApiTarget> apiTargets(java.time.Instant from, java.time.Instant to) throws IOException {
        List<ApiTarget> out = new ArrayList<>();
        try (var files = Files.list(Tools.ROOT.resolve("grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = JSON.readTree(file.toFile());
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        if (!"yesoreyeram-infinity-datasource".equals(target.path("datasource").path("type").asText())) continue;
                        List<String> columns = new ArrayList<>();
                        target.path("columns").forEach(c -> columns.add(c.path("selector").asText()));
                        String url = target.path("url").asText().replace("${__from:date:iso}", from.toString())
                                .replace("${__to:date:iso}", to.toString());
                        Map<String, Boolean> urls = new LinkedHashMap<>();
                        for (JsonNode v : dashboard.path("templating").path("list")) {
                            String name = "${" + v.path("name").asText() + "}";
                            if (!url.contains(name)) continue;
                            String current = v.path("current").path("value").asText();
                            for (JsonNode o : v.path("options")) {
                                String value = o.path("value").asText();
                                urls.put(url.replace(name, value), !value.equals(current) && value.contains("?segment="));
                            }
                        }
                        if (urls.isEmpty()) urls.put(url, false);
                        urls.forEach((u, mayLackData) -> out.add(new ApiTarget(dashboard.path("uid").asText(), panel.path("id").asInt(),
                                panel.path("title").asText(), u, target.path("root_selector").asText(), columns, mayLackData)));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Prometheus cannot express the change account or the key drivers (docs/queries.md), so their
     * panels read the query API: each such target's URL, over the last five minutes, answers 200 with
     * rows under its root selector, and every column it names has a value in the first row (for a
     * target that {@link ApiTarget#mayLackData may lack data} and answers NOT_ENOUGH_DATA: is there,
     * null allowed). Each target gets 30 s, for the first key-driver fold.
     */
    private static void assertQueryApiPanelsAnswer(String apiUrl) throws Exception {
        java.time.Instant now = java.time.Instant.now();
        List<ApiTarget> targets = apiTargets(now.minus(Duration.ofMinutes(5)), now);
        assertTrue(targets.size() >= 6, "the change, history and key-driver panels (brand and three segments) read the query API: " + targets);
        for (ApiTarget t : targets) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String problem;
            do {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(apiUrl + t.url())).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                problem = problem(t, r);
                if (problem == null) break;
                Thread.sleep(1_000);
            } while (System.nanoTime() < deadline);
            assertEquals(null, problem, t.toString());
        }
    }

    /** What is wrong with a query-API target's answer, or null. */
    private static String problem(ApiTarget t, HttpResponse<String> r) throws IOException {
        if (r.statusCode() != 200) return "HTTP " + r.statusCode() + ": " + r.body();
        JsonNode body = JSON.readTree(r.body());
        JsonNode rows = body.path(t.rootSelector());
        if (!rows.isArray() || rows.isEmpty()) return "no rows under " + t.rootSelector() + " in " + r.body();
        boolean nullsAllowed = t.mayLackData() && "NOT_ENOUGH_DATA".equals(body.path("status").asText());
        for (String column : t.columns()) {
            JsonNode value = rows.get(0);
            for (String part : column.split("\\.")) value = value.path(part);
            if (value.isMissingNode() || (value.isNull() && !nullsAllowed)) return "column " + column + " missing in " + rows.get(0) + " of " + r.body();
        }
        return null;
    }

    /** Every targets[].expr of every dashboard, as Grafana would send it with "All" selected. */
    static List<Query> panelQueries() throws IOException {
        List<Query> out = new ArrayList<>();
        try (var files = Files.list(Tools.ROOT.resolve("grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = JSON.readTree(file.toFile());
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        // The query API's panels are checked by assertQueryApiPanelsAnswer.
                        if (!target.has("expr")) continue;
                        String expr = target.path("expr").asText();
                        out.add(new Query(dashboard.path("uid").asText(), panel.path("id").asInt(), panel.path("title").asText(),
                                target.path("refId").asText(), substitute(expr, ".*")));
                        if (expr.contains("$segment")) {
                            // One concrete segment too: the variable must filter, not just match everything.
                            out.add(new Query(dashboard.path("uid").asText(), panel.path("id").asInt(), panel.path("title").asText() + " (segment=high-value)",
                                    target.path("refId").asText(), substitute(expr, "high-value")));
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Grafana's substitutions: the template variables (their "All" value is .*), $__rate_interval
     * (4 scrape intervals or more; the test scrapes every second) and $__range (the time range).
     */
    static String substitute(String expr, String segment) {
        return expr.replace("${instance}", ".*").replace("$instance", ".*")
                .replace("${segment}", segment).replace("$segment", segment)
                .replace("$__rate_interval", "15s").replace("$__range", "5m").replace("$__interval", "5s");
    }

    /** A short description of the result (series count and first value), or null when it has no series. */
    private static String run(URI api, Query q) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(api.resolve("query?query=" + URLEncoder.encode(q.expr(), StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            fail("invalid query in " + q + ": HTTP " + r.statusCode() + " " + body.path("error").asText(r.body()));
        }
        JsonNode result = body.path("data").path("result");
        if (result.isEmpty()) return null;
        JsonNode first = result.get(0);
        return String.format(Locale.ROOT, "%d series, e.g. %s = %s", result.size(), first.path("metric"), first.path("value").path(1).asText());
    }

    private static void assertRulesHealthy(URI api) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(api.resolve("rules")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode groups = JSON.readTree(r.body()).path("data").path("groups");
        int rules = 0;
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                rules++;
                assertEquals("ok", rule.path("health").asText(), "rule " + rule.path("name").asText() + ": " + rule.path("lastError").asText());
            }
        }
        assertTrue(rules >= 10, "the alert rules were not loaded: " + r.body());
    }

    static Process startPrometheus(Path binary, Path work, int metricsPort, int port) throws IOException, InterruptedException {
        Path rules = Tools.ROOT.resolve("deploy/prometheus/rules").toAbsolutePath();
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s/*.rules.yml
                scrape_configs:
                  - job_name: brand-equity
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(rules, metricsPort));
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config, "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) fail("prometheus exited: " + Files.readString(work.resolve("prometheus.log")));
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return p;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        return fail("prometheus not ready in 30 s: " + Files.readString(work.resolve("prometheus.log")));
    }

    private static void writeReport(Map<Query, String> results) throws IOException {
        StringBuilder s = new StringBuilder();
        results.forEach((q, result) -> s.append(String.format(Locale.ROOT, "%s #%d %s [%s]: %s%n    %s%n",
                q.dashboard(), q.panelId(), q.panel(), q.refId(), result == null ? "NO SERIES" : result, q.expr())));
        Path report = Path.of("target", "dashboard-queries.txt");
        Files.createDirectories(report.getParent());
        Files.writeString(report, s);
        System.out.print(s);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
