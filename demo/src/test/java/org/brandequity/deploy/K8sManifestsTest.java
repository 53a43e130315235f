package org.brandequity.deploy;

import static org.brandequity.deploy.ComposeFileTest.list;
import static org.brandequity.deploy.ComposeFileTest.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/k8s: the manifests parse, and the pieces fit together: the StatefulSet mounts a
 * persistent volume where the ConfigMap puts state.dir, reads the ConfigMap's file with --config,
 * runs more replicas than standbys, probes /health on the metrics port; the metrics Service selects
 * those pods and carries the Prometheus scrape annotations; every config key is one the
 * application reads.
 */
class K8sManifestsTest {
    private static final Map<String, Map<String, Object>> BY_KIND_AND_NAME = new HashMap<>();

    @BeforeAll
    static void parse() throws Exception {
        try (var files = Files.list(Tools.ROOT.resolve("deploy/k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Yaml().loadAll(Files.readString(f))) {
                    Map<String, Object> m = map(doc);
                    assertNotNull(m.get("apiVersion"), f + ": apiVersion");
                    String key = m.get("kind") + "/" + map(m.get("metadata")).get("name");
                    assertTrue(BY_KIND_AND_NAME.put(key, m) == null, "duplicate " + key);
                }
            }
        }
    }

    @Test
    void statefulSetKeepsStateOnAPersistentVolumeWithStandbys() throws Exception {
        Map<String, Object> sts = get("StatefulSet/brand-equity");
        Map<String, Object> spec = map(sts.get("spec"));
        Properties config = pipelineProperties();
        int standbys = Integer.parseInt(config.getProperty("num.standby.replicas"));
        assertTrue(standbys >= 1, "num.standby.replicas");
        assertTrue((int) spec.get("replicas") > standbys, "a standby needs another pod to live on");
        assertEquals("brand-equity-headless", spec.get("serviceName"));
        assertNotNull(get("Service/brand-equity-headless"));

        Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
        Map<String, Object> container = map(list(pod.get("containers")).get(0));
        Map<String, String> mounts = new HashMap<>();
        for (Object m : list(container.get("volumeMounts"))) mounts.put((String) map(m).get("name"), (String) map(m).get("mountPath"));

        String claim = (String) map(map(list(spec.get("volumeClaimTemplates")).get(0)).get("metadata")).get("name");
        assertEquals(config.getProperty("state.dir"), mounts.get(claim), "state.dir is on the persistent volume");

        List<Object> args = list(container.get("args"));
        assertEquals("run", args.get(0));
        String configFile = (String) args.get(args.indexOf("--config") + 1);
        Map<String, Object> configVolume = list(pod.get("volumes")).stream().map(ComposeFileTest::map)
                .filter(v -> v.get("configMap") != null).findFirst().orElseThrow();
        assertEquals("brand-equity-config", map(configVolume.get("configMap")).get("name"));
        assertEquals(mounts.get((String) configVolume.get("name")) + "/pipeline.properties", configFile);

        Map<String, Object> port = map(list(container.get("ports")).get(0));
        assertEquals("metrics", port.get("name"));
        assertEquals(Integer.parseInt(config.getProperty("metrics.port")), port.get("containerPort"));
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            Map<String, Object> http = map(map(container.get(probe)).get("httpGet"));
            assertEquals("/health", http.get("path"), probe);
            assertEquals("metrics", http.get("port"), probe);
        }
        assertEquals(10001, map(pod.get("securityContext")).get("fsGroup"), "the image's user can write the volume");
    }

    @Test
    void metricsServiceIsAnnotatedForPrometheusAndSelectsThePipelinePods() {
        Map<String, Object> svc = get("Service/brand-equity-metrics");
        Map<String, Object> annotations = map(map(svc.get("metadata")).get("annotations"));
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(String.valueOf(pipelineProperties().getProperty("metrics.port")), annotations.get("prometheus.io/port"));
        assertEquals("/metrics", annotations.get("prometheus.io/path"));
        Map<String, Object> podLabels = map(map(map(map(get("StatefulSet/brand-equity").get("spec")).get("template")).get("metadata")).get("labels"));
        Map<String, Object> selector = map(map(svc.get("spec")).get("selector"));
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), "selector " + selector + " vs pod labels " + podLabels);
        assertEquals("metrics", map(list(map(svc.get("spec")).get("ports")).get(0)).get("targetPort"));
    }

    @Test
    void everyConfigMapKeyIsReadByTheApplication() {
        Properties config = pipelineProperties();
        List<String> unknown = new ArrayList<>();
        for (String key : config.stringPropertyNames()) if (!ConfigKeys.known(key)) unknown.add(key);
        assertTrue(unknown.isEmpty(), "keys no part of the application reads: " + unknown);
        assertTrue(config.size() >= 8);
    }

    private static Properties pipelineProperties() {
        Properties p = new Properties();
        try {
            p.load(new StringReader((String) map(get("ConfigMap/brand-equity-config").get("data")).get("pipeline.properties")));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return p;
    }

    private static Map<String, Object> get(String kindAndName) {
        Map<String, Object> m = BY_KIND_AND_NAME.get(kindAndName);
        assertNotNull(m, kindAndName + " not in deploy/k8s; found " + BY_KIND_AND_NAME.keySet());
        return m;
    }
}
