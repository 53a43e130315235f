package org.brandequity.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml: valid for Debian's docker-compose 1.29.2 ({@code config -q}), every mounted
 * path and the Dockerfile exist, every BRANDEQUITY_* variable maps to a config key the application
 * reads, and every {@code condition: service_healthy} waits on a service that has a health check.
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
    void mountedPathsAndTheDockerfileExist() throws Exception {
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
            if (service.get("build") != null) {
                Map<String, Object> build = map(service.get("build"));
                Path dockerfile = Tools.ROOT.resolve(build.get("context").toString()).resolve(build.get("dockerfile").toString()).normalize();
                assertTrue(Files.exists(dockerfile), dockerfile + " missing");
                // The jar the Dockerfile copies is the one the shade plugin writes.
                String copied = Files.readString(dockerfile).lines().filter(l -> l.startsWith("COPY ")).findFirst().orElseThrow().split("\\s+")[1];
                assertEquals("pipeline/target/brand-equity.jar", copied);
                assertTrue(Files.readString(Tools.ROOT.resolve("pipeline/pom.xml")).contains("<finalName>brand-equity</finalName>"));
                assertTrue(Files.readString(Tools.ROOT.resolve(".dockerignore")).contains("!" + copied), ".dockerignore lets the jar through");
            }
        }
        assertTrue(checked.contains("./deploy/prometheus") && checked.contains("./grafana/provisioning")
                && checked.contains("./grafana/dashboards") && checked.contains("./deploy/alertmanager"), checked.toString());
    }

    @Test
    void everyBrandEquityVariableSetsAKeyTheApplicationReads() throws Exception {
        int seen = 0;
        for (var e : services().entrySet()) {
            Object env = map(e.getValue()).get("environment");
            if (env == null) continue;
            for (String variable : map(env).keySet()) {
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
