package org.brandequity.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brandequity.metrics.MetricsServer;
import org.brandequity.query.QueryApi;
import org.brandequity.config.PipelineConfig;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml: valid for Debian's docker-compose 1.29.2 ({@code config -q}), every mounted
 * path and the Dockerfiles exist, the simulator runs from the demo image, the broker and the
 * pipeline keep their data on named volumes (judged by where each really writes), the query API
 * is published where the README's curl examples look, Alertmanager posts only to services that
 * exist, every BRANDEQUITY_* variable maps to a config key the application reads, every
 * {@code condition: service_healthy} waits on a service that has a health check, and the pipeline
 * binds every interface of its container with credentials from its env_file (the ones Prometheus
 * scrapes with), its ports published on the host's loopback only.
 */
class ComposeFileTest {
    private static final Path COMPOSE = Tools.ROOT.resolve("docker-compose.yml");

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        Path compose = Tools.require("docker-compose", "docker-compose");
        Tools.Result r = Tools.run(Tools.ROOT, 120, compose.toString(), "-f", COMPOSE.toString(), "config", "-q");
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void mountedPathsAndTheDockerfilesExist() throws Exception {
        Map<String, Object> services = services();
        List<String> checked = new ArrayList<>();
        for (var e : services.entrySet()) {
            Map<String, Object> service = map(e.getValue());
            for (Object v : list(service.get("volumes"))) {
                String source = v.toString().split(":")[0];
                if (!source.startsWith(".") && !source.startsWith("/")) continue; // a named volume
                assertTrue(Files.exists(Tools.ROOT.resolve(source).normalize()), e.getKey() + " mounts " + source + ", which does not exist");
                checked.add(source);
            }
        }
        assertTrue(checked.contains("./deploy/prometheus") && checked.contains("./grafana/provisioning")
                && checked.contains("./grafana/dashboards") && checked.contains("./deploy/alertmanager"), checked.toString());
        // What each image holds is DockerImagesTest's to check.
        assertEquals(DockerImagesTest.PIPELINE_DOCKERFILE, dockerfile("pipeline"), "the pipeline runs the production image");
        assertEquals(DockerImagesTest.DEMO_DOCKERFILE, dockerfile("simulator"), "the simulator runs the demo image: the production jar has no simulate");
    }

    @Test
    void brokerWritesItsDataOnItsNamedVolume() throws Exception {
        // Unset, the apache/kafka image's broker writes under /tmp in the container: a re-created
        // broker would come back empty while the pipeline's state survives.
        Map<String, Object> kafka = map(services().get("kafka"));
        Map<String, String> env = environment(kafka);
        String logDirs = env.get("KAFKA_LOG_DIRS");
        assertNotNull(logDirs, "KAFKA_LOG_DIRS: where the broker writes");
        for (String dir : logDirs.split(",")) {
            assertTrue(namedVolumeAt(kafka, dir), "the broker writes " + dir + ", which is not on a named volume: " + kafka.get("volumes"));
        }
        // A formatted log directory belongs to one cluster id: a re-created container must bring the same one.
        assertNotNull(env.get("CLUSTER_ID"), "CLUSTER_ID fixed");
    }

    @Test
    void pipelineStateInEffectIsOnItsNamedVolume() throws Exception {
        Map<String, Object> pipeline = map(services().get("pipeline"));
        String stateDir = effectiveConfig("pipeline").getProperty("state.dir");
        assertTrue(namedVolumeAt(pipeline, stateDir), "state.dir " + stateDir + " is not on a named volume: " + pipeline.get("volumes"));
    }

    @Test
    void queryApiIsPublishedOnThePortOfTheReadmesCurlExamples() throws Exception {
        Matcher curl = Pattern.compile("curl -s localhost:(\\d+)/").matcher(Files.readString(Tools.ROOT.resolve("README.md")));
        Set<String> readmePorts = new TreeSet<>();
        while (curl.find()) readmePorts.add(curl.group(1));
        assertEquals(1, readmePorts.size(), "the README's curl examples use one port: " + readmePorts);
        String apiPort = effectiveConfig("pipeline").getProperty("api.port");
        List<String> published = list(map(services().get("pipeline")).get("ports")).stream().map(Object::toString).toList();
        assertTrue(published.contains("127.0.0.1:" + readmePorts.iterator().next() + ":" + apiPort),
                "the pipeline publishes " + published + "; the README curls localhost:" + readmePorts + " and api.port is " + apiPort);
    }

    @Test
    void alertmanagerNotifiesOnlyReceiversThatExist() throws Exception {
        Map<String, Object> alertmanager = map(services().get("alertmanager"));
        assertTrue(list(alertmanager.get("command")).contains("--config.file=/etc/alertmanager/brand-equity/alertmanager.yml"));
        assertTrue(list(alertmanager.get("volumes")).contains("./deploy/alertmanager:/etc/alertmanager/brand-equity:ro"));
        // Every URL a receiver posts to must name a service of this file: 127.0.0.1 or localhost
        // is the Alertmanager container itself, and nothing listens there.
        Map<String, Object> config = new Yaml().load(Files.readString(Tools.ROOT.resolve("deploy/alertmanager/alertmanager.yml")));
        List<String> urls = new ArrayList<>();
        for (Object receiver : list(config.get("receivers"))) collectUrls(receiver, urls);
        for (String url : urls) {
            String host = URI.create(url).getHost();
            assertTrue(services().containsKey(host), "a receiver posts to " + url + ", but " + host + " is not a service of docker-compose.yml");
        }
    }

    private static void collectUrls(Object node, List<String> urls) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (String.valueOf(k).endsWith("url") && v instanceof String s) urls.add(s);
                else collectUrls(v, urls);
            });
        } else if (node instanceof List<?> l) {
            l.forEach(i -> collectUrls(i, urls));
        }
    }

    @Test
    void thePipelineBindsEveryInterfaceWithTheCredentialsOfItsEnvFile() throws Exception {
        Properties effective = effectiveConfig("pipeline");
        assertEquals("0.0.0.0", effective.getProperty("api.host"));
        assertEquals("0.0.0.0", effective.getProperty("metrics.host"));
        assertEquals("false", effective.getProperty("api.auth.anonymous"));
        assertEquals("false", effective.getProperty("metrics.auth.anonymous"));
        assertTrue(envFileVariables(map(services().get("pipeline"))).containsKey("BRANDEQUITY_API_AUTH_TOKENS"),
                "the token comes from the env_file, not the compose file");
        // The start-up check of `run` itself: it would refuse to start (exit 2) without them.
        PipelineConfig config = PipelineConfig.fromProperties(effective);
        QueryApi.requireCredentials(config.api());
        MetricsServer.requireCredentials(config.metrics());
    }

    @Test
    void prometheusScrapesThePipelineWithTheMetricsCredentialsOfItsEnvFile() throws Exception {
        Properties effective = effectiveConfig("pipeline");
        Map<String, Object> prometheusYml = new Yaml().load(Files.readString(Tools.ROOT.resolve("deploy/prometheus/prometheus.yml")));
        Map<String, Object> job = list(prometheusYml.get("scrape_configs")).stream().map(ComposeFileTest::map)
                .filter(j -> "brand-equity".equals(j.get("job_name"))).findFirst().orElseThrow();
        Map<String, Object> auth = map(job.get("basic_auth"));
        assertEquals(effective.getProperty("metrics.auth.basic.user"), auth.get("username"));
        String passwordFile = (String) auth.get("password_file");
        String inContainer = null;
        for (Object v : list(map(services().get("prometheus")).get("volumes"))) {
            String[] parts = v.toString().split(":");
            if (passwordFile.startsWith(parts[1] + "/")) {
                inContainer = Files.readString(Tools.ROOT.resolve(parts[0]).resolve(passwordFile.substring(parts[1].length() + 1)));
            }
        }
        assertNotNull(inContainer, passwordFile + " is not mounted into the prometheus service");
        // Prometheus trims the file's surrounding whitespace, as the final newline.
        assertEquals(effective.getProperty("metrics.auth.basic.password"), inContainer.strip());
    }

    @Test
    void thePipelinesPortsArePublishedOnTheHostsLoopbackOnly() throws Exception {
        List<String> published = list(map(services().get("pipeline")).get("ports")).stream().map(Object::toString).toList();
        assertFalse(published.isEmpty());
        for (String port : published) assertTrue(port.startsWith("127.0.0.1:"), port + " is published on every interface of the host");
    }

    @Test
    void everyBrandEquityVariableSetsAKeyTheApplicationReads() throws Exception {
        int seen = 0;
        for (var e : services().entrySet()) {
            Map<String, Object> variables = new LinkedHashMap<>(envFileVariables(map(e.getValue())));
            variables.putAll(map(map(e.getValue()).get("environment")));
            for (String variable : variables.keySet()) {
                if (!variable.startsWith("BRANDEQUITY_")) continue;
                seen++;
                String key = ConfigKeys.keyOfEnv(variable);
                assertNotNull(key, variable);
                assertTrue(ConfigKeys.known(key), e.getKey() + ": " + variable + " sets '" + key + "', which no part of the application reads");
            }
        }
        assertTrue(seen >= 10, "BRANDEQUITY_* variables found: " + seen);
        // The check itself: a misspelt variable must not pass.
        assertFalse(ConfigKeys.known(ConfigKeys.keyOfEnv("BRANDEQUITY_WINDOW_SIZ")));
        assertEquals("model.touchpoint.SUPPORT_CONTACT.weight", ConfigKeys.keyOfEnv("BRANDEQUITY_MODEL_TOUCHPOINT_SUPPORT_CONTACT_WEIGHT"));
    }

    @Test
    void startOrderWaitsOnHealthChecks() throws Exception {
        Map<String, Object> services = services();
        for (String s : List.of("kafka", "schema-registry", "pipeline", "simulator", "prometheus", "alertmanager", "grafana")) {
            assertTrue(services.containsKey(s), "service " + s);
        }
        for (var e : services.entrySet()) {
            Object dependsOn = map(e.getValue()).get("depends_on");
            if (dependsOn == null) continue;
            for (var d : map(dependsOn).entrySet()) {
                assertEquals("service_healthy", map(d.getValue()).get("condition"), e.getKey() + " -> " + d.getKey());
                assertNotNull(map(services.get(d.getKey())).get("healthcheck"), d.getKey() + " needs a healthcheck for " + e.getKey() + " to wait on");
            }
        }
        assertEquals(List.of("kafka", "schema-registry"), List.copyOf(map(map(services.get("pipeline")).get("depends_on")).keySet()));
        assertTrue(map(map(services.get("simulator")).get("depends_on")).containsKey("pipeline"));
        assertTrue(map(map(services.get("grafana")).get("depends_on")).containsKey("prometheus"));
    }

    /**
     * The configuration the service's pipeline container runs with: its image's environment and
     * command (unless the service sets one), the service's environment, and the --config file from
     * a bind mount or the image.
     */
    private static Properties effectiveConfig(String service) throws Exception {
        Map<String, Object> s = map(services().get(service));
        DockerImage image = DockerImage.parse(dockerfile(service));
        List<String> args = s.get("command") == null ? image.cmd() : list(s.get("command")).stream().map(Object::toString).toList();
        return EffectiveConfig.of(args, EffectiveConfig.environment(image, environment(s)), path -> {
            for (Object v : list(s.get("volumes"))) {
                String[] parts = v.toString().split(":");
                if (path.startsWith(parts[1] + "/")) {
                    Path source = Tools.ROOT.resolve(parts[0]).resolve(path.substring(parts[1].length() + 1));
                    try {
                        return parts[0].startsWith(".") && Files.isRegularFile(source) ? Files.readString(source) : null;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            return DockerImagesTest.imageFile(image, path);
        });
    }

    private static Path dockerfile(String service) throws Exception {
        Map<String, Object> build = map(map(services().get(service)).get("build"));
        assertNotNull(build.get("dockerfile"), service + " is built here");
        return Tools.ROOT.resolve(build.get("context").toString()).resolve(build.get("dockerfile").toString()).normalize();
    }

    /** The service's variables as compose sets them: its env_file files in order, then its environment, which wins. */
    private static Map<String, String> environment(Map<String, Object> service) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(envFileVariables(service));
        map(service.get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    /** The variables of the service's env_file files (KEY=VALUE lines; blank lines and # comments skipped). */
    private static Map<String, String> envFileVariables(Map<String, Object> service) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        Object files = service.get("env_file");
        if (files == null) return env;
        for (Object f : files instanceof List<?> l ? l : List.of(files)) {
            for (String line : Files.readAllLines(Tools.ROOT.resolve(f.toString()))) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) continue;
                env.put(t.substring(0, t.indexOf('=')), t.substring(t.indexOf('=') + 1));
            }
        }
        return env;
    }

    /** True when a named volume (declared at the top level) is mounted at {@code dir}. */
    private static boolean namedVolumeAt(Map<String, Object> service, String dir) throws Exception {
        Map<String, Object> declared = map(new Yaml().<Map<String, Object>>load(Files.readString(COMPOSE)).get("volumes"));
        for (Object v : list(service.get("volumes"))) {
            String[] parts = v.toString().split(":");
            if (parts[1].equals(dir) && declared.containsKey(parts[0])) return true;
        }
        return false;
    }

    private static Map<String, Object> services() throws Exception {
        Map<String, Object> doc = new Yaml().load(Files.readString(COMPOSE));
        return map(doc.get("services"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }
}
