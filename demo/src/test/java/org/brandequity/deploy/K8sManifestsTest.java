package org.brandequity.deploy;

import static org.brandequity.deploy.ComposeFileTest.list;
import static org.brandequity.deploy.ComposeFileTest.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brandequity.metrics.MetricsServer;
import org.brandequity.query.QueryApi;
import org.brandequity.config.PipelineConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/k8s: the manifests parse, and the pieces fit together, judged by the configuration that
 * takes effect in a pod (the image's environment and command, the ConfigMap's file where it is
 * mounted, the container's env with the downward API filled in, merged by the application's own
 * loader): the StatefulSet mounts a persistent volume at state.dir, runs more replicas than
 * standbys, probes /health on the metrics port; each pod advertises its name in the headless
 * Service so the other pods can forward queries to it; the query API port is on the container and
 * on a Service; the metrics Service selects those pods and carries the Prometheus scrape
 * annotations; every config key is one the application reads, and every ConfigMap value is the one
 * in effect; the HTTP ports bind every interface of the pod with credentials from a Secret, which is
 * shipped empty so that a pod refuses to start until it is filled.
 */
class K8sManifestsTest {
    private static final Map<String, Map<String, Object>> BY_KIND_AND_NAME = new HashMap<>();

    /** The pod the effective configuration is computed for: ordinal 0 of the StatefulSet. */
    private static final String POD = "brand-equity-0";
    private static final String NAMESPACE = "test-namespace";

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
        Properties effective = effectiveConfig();
        int standbys = Integer.parseInt(effective.getProperty("num.standby.replicas"));
        assertTrue(standbys >= 1, "num.standby.replicas");
        assertTrue((int) spec.get("replicas") > standbys, "a standby needs another pod to live on");
        assertEquals("brand-equity-headless", spec.get("serviceName"));
        assertNotNull(get("Service/brand-equity-headless"));

        Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
        Map<String, Object> container = map(list(pod.get("containers")).get(0));
        Map<String, String> mounts = new HashMap<>();
        for (Object m : list(container.get("volumeMounts"))) mounts.put((String) map(m).get("name"), (String) map(m).get("mountPath"));

        String claim = (String) map(map(list(spec.get("volumeClaimTemplates")).get(0)).get("metadata")).get("name");
        assertEquals(effective.getProperty("state.dir"), mounts.get(claim), "state.dir in effect is on the persistent volume");

        List<Object> args = list(container.get("args"));
        assertEquals("run", args.get(0));
        String configFile = (String) args.get(args.indexOf("--config") + 1);
        Map<String, Object> configVolume = list(pod.get("volumes")).stream().map(ComposeFileTest::map)
                .filter(v -> v.get("configMap") != null).findFirst().orElseThrow();
        assertEquals("brand-equity-config", map(configVolume.get("configMap")).get("name"));
        assertEquals(mounts.get((String) configVolume.get("name")) + "/pipeline.properties", configFile);

        assertEquals(Integer.parseInt(effective.getProperty("metrics.port")), containerPort("metrics"));
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
        assertEquals(effectiveConfig().getProperty("metrics.port"), annotations.get("prometheus.io/port"));
        assertEquals("/metrics", annotations.get("prometheus.io/path"));
        Map<String, Object> selector = map(map(svc.get("spec")).get("selector"));
        assertTrue(podLabels().entrySet().containsAll(selector.entrySet()), "selector " + selector + " vs pod labels " + podLabels());
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

    @Test
    void everyConfigMapValueIsTheOneInEffect() {
        // Nothing overrides the ConfigMap: no BRANDEQUITY_* variable of the image or the container
        // for one of its keys, no --set in the args.
        Properties config = pipelineProperties();
        Properties effective = effectiveConfig();
        Map<String, String> overridden = new HashMap<>();
        for (String key : config.stringPropertyNames()) {
            if (!config.getProperty(key).equals(effective.getProperty(key))) overridden.put(key, effective.getProperty(key));
        }
        assertEquals(Map.of(), overridden, "ConfigMap keys whose value in the pod is another one");
    }

    @Test
    void eachPodAdvertisesItsNameInTheHeadlessServiceForQueryForwarding() {
        // Another pod forwards a query to api.advertised.host:api.port of the key's owner: that host
        // must be the owner's DNS name in the headless Service, not the bare pod name.
        Map<String, Object> spec = map(get("StatefulSet/brand-equity").get("spec"));
        String service = (String) spec.get("serviceName");
        assertEquals(POD + "." + service + "." + NAMESPACE + ".svc.cluster.local",
                effectiveConfig().getProperty("api.advertised.host"));
        Map<String, Object> headless = map(get("Service/" + service).get("spec"));
        assertEquals("None", headless.get("clusterIP"), service + " is headless: one DNS name per pod");
        assertTrue(podLabels().entrySet().containsAll(map(headless.get("selector")).entrySet()), service + " selects the pipeline pods");
    }

    @Test
    void queryApiPortIsOnTheContainerAndOnAService() {
        int apiPort = Integer.parseInt(effectiveConfig().getProperty("api.port"));
        assertEquals(apiPort, containerPort("api"), "the container port named api is api.port in effect");
        Map<String, Object> svc = map(get("Service/brand-equity-api").get("spec"));
        assertTrue(podLabels().entrySet().containsAll(map(svc.get("selector")).entrySet()), "brand-equity-api selects the pipeline pods");
        Map<String, Object> port = map(list(svc.get("ports")).get(0));
        assertEquals("api", port.get("targetPort"));
        assertEquals(apiPort, port.get("port"));
    }

    /**
     * The configuration pod {@value #POD} in namespace {@value #NAMESPACE} runs with: the image's
     * environment and default command (deploy/docker/Dockerfile), the container's args and env
     * (downward API and $(VAR) references resolved as Kubernetes does), and the file --config names:
     * the ConfigMap's where it is mounted, else the image's.
     */
    private static Properties effectiveConfig() {
        return effectiveConfig(Map.of());
    }

    /** {@link #effectiveConfig()} with the Secret's keys at {@code secret} (the shipped values for the others). */
    private static Properties effectiveConfig(Map<String, String> secret) {
        DockerImage image;
        try {
            image = DockerImage.parse(DockerImagesTest.PIPELINE_DOCKERFILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> container = container();
        assertNull(container.get("command"), "the image's entrypoint runs the jar");
        List<String> args = container.get("args") == null ? image.cmd() : list(container.get("args")).stream().map(Object::toString).toList();
        return EffectiveConfig.of(args, EffectiveConfig.environment(image, podEnv(container, secret)), path -> fileInPod(image, path));
    }

    /**
     * The container's env as the kubelet sets it: fieldRef from the pod, secretKeyRef from the Secret
     * in deploy/k8s ({@code secret} in place of its values where given), $(VAR) of variables defined above.
     */
    private static Map<String, String> podEnv(Map<String, Object> container, Map<String, String> secret) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object o : list(container.get("env"))) {
            Map<String, Object> e = map(o);
            String value;
            if (e.get("valueFrom") != null && map(e.get("valueFrom")).get("secretKeyRef") != null) {
                Map<String, Object> ref = map(map(e.get("valueFrom")).get("secretKeyRef"));
                Map<String, Object> data = map(get("Secret/" + ref.get("name")).get("stringData"));
                assertTrue(data.containsKey(ref.get("key")), "Secret " + ref.get("name") + " has no key " + ref.get("key"));
                value = secret.getOrDefault((String) ref.get("key"), String.valueOf(data.get(ref.get("key"))));
            } else if (e.get("valueFrom") != null) {
                String field = (String) map(map(e.get("valueFrom")).get("fieldRef")).get("fieldPath");
                value = switch (field) {
                    case "metadata.name" -> POD;
                    case "metadata.namespace" -> NAMESPACE;
                    default -> throw new AssertionError("fieldRef " + field + " not modelled by this test");
                };
            } else {
                value = expand(String.valueOf(e.get("value")), env);
            }
            env.put((String) e.get("name"), value);
        }
        return env;
    }

    /** Kubernetes' $(VAR) expansion: a variable defined earlier in the list, else left as written. */
    private static String expand(String value, Map<String, String> defined) {
        Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(defined.getOrDefault(m.group(1), m.group())));
        m.appendTail(out);
        return out.toString();
    }

    /** A file in the pod: the ConfigMap's key where its volume is mounted (hiding the image's files there), else the image's. */
    private static String fileInPod(DockerImage image, String path) {
        Map<String, Object> pod = map(map(map(get("StatefulSet/brand-equity").get("spec")).get("template")).get("spec"));
        for (Object m : list(container().get("volumeMounts"))) {
            String mountPath = (String) map(m).get("mountPath");
            if (!path.startsWith(mountPath + "/")) continue;
            Map<String, Object> volume = list(pod.get("volumes")).stream().map(ComposeFileTest::map)
                    .filter(v -> v.get("name").equals(map(m).get("name"))).findFirst().orElseThrow();
            if (volume.get("configMap") == null) return null;
            String configMap = (String) map(volume.get("configMap")).get("name");
            return (String) map(get("ConfigMap/" + configMap).get("data")).get(path.substring(mountPath.length() + 1));
        }
        return DockerImagesTest.imageFile(image, path);
    }

    /** Values an operator puts in the Secret. */
    private static final Map<String, String> FILLED_SECRET = Map.of("api-auth-tokens", "tok-1f2e3d,tok-9c8b7a",
            "metrics-user", "prometheus", "metrics-password", "scrape-pw-5e4d");

    @Test
    void theHttpPortsBindEveryInterfaceWithCredentialsFromTheSecret() {
        Properties effective = effectiveConfig(FILLED_SECRET);
        assertEquals("0.0.0.0", effective.getProperty("api.host"), "reachable by the Service and the other pods");
        assertEquals("0.0.0.0", effective.getProperty("metrics.host"), "reachable by the probes and Prometheus");
        assertEquals("tok-1f2e3d,tok-9c8b7a", effective.getProperty("api.auth.tokens"));
        assertEquals("prometheus", effective.getProperty("metrics.auth.basic.user"));
        assertEquals("scrape-pw-5e4d", effective.getProperty("metrics.auth.basic.password"));
        // The start-up check of `run` itself passes: the pod starts.
        PipelineConfig config = PipelineConfig.fromProperties(effective);
        QueryApi.requireCredentials(config.api());
        MetricsServer.requireCredentials(config.metrics());
    }

    @Test
    void asShippedTheSecretIsEmptySoAPodRefusesToStartUntilItIsFilled() {
        PipelineConfig config = PipelineConfig.fromProperties(effectiveConfig());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QueryApi.requireCredentials(config.api()));
        assertTrue(e.getMessage().startsWith("api.host=0.0.0.0 without api.auth.tokens"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetricsServer.requireCredentials(config.metrics()));
    }

    private static Map<String, Object> container() {
        Map<String, Object> pod = map(map(map(get("StatefulSet/brand-equity").get("spec")).get("template")).get("spec"));
        return map(list(pod.get("containers")).get(0));
    }

    private static Object containerPort(String name) {
        return list(container().get("ports")).stream().map(ComposeFileTest::map).filter(p -> name.equals(p.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no container port named " + name)).get("containerPort");
    }

    private static Map<String, Object> podLabels() {
        return map(map(map(map(get("StatefulSet/brand-equity").get("spec")).get("template")).get("metadata")).get("labels"));
    }

    private static Properties pipelineProperties() {
        Properties p = new Properties();
        try {
            p.load(new StringReader((String) map(get("ConfigMap/brand-equity-config").get("data")).get("pipeline.properties")));
        } catch (IOException e) {
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
