package org.brandequity.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker, checked statically (no Docker engine here): the production image is built from
 * the pipeline's jar only, the demo image from the demo jar, every copied file exists or is a
 * build output and gets through .dockerignore, and the image passes no BRANDEQUITY_* variable that
 * would silently override a mounted config file.
 */
class DockerImagesTest {
    static final Path PIPELINE_DOCKERFILE = Tools.ROOT.resolve("deploy/docker/Dockerfile");
    static final Path DEMO_DOCKERFILE = Tools.ROOT.resolve("deploy/docker/demo.Dockerfile");
    /** Jars the Maven build writes (shade plugin finalName), by the module that writes them. */
    private static final Map<String, String> BUILD_OUTPUTS = Map.of(
            "service/target/brand-equity.jar", "service",
            "demo/target/brand-equity-demo.jar", "demo");

    @Test
    void productionImageHoldsThePipelineJarAndNoOtherJar() throws Exception {
        DockerImage image = DockerImage.parse(PIPELINE_DOCKERFILE);
        List<String> jars = image.copies().values().stream().filter(s -> s.endsWith(".jar")).toList();
        assertEquals(List.of("service/target/brand-equity.jar"), jars);
        assertEquals(List.of("-jar", "/opt/brand-equity/brand-equity.jar"),
                image.entrypoint().subList(image.entrypoint().size() - 2, image.entrypoint().size()));
        assertEquals("service/target/brand-equity.jar", image.sourceOf("/opt/brand-equity/brand-equity.jar"));
    }

    @Test
    void demoImageRunsTheDemoJarWhoseMainClassHasTheSimulator() throws Exception {
        DockerImage image = DockerImage.parse(DEMO_DOCKERFILE);
        String jar = image.entrypoint().get(image.entrypoint().indexOf("-jar") + 1);
        assertEquals("demo/target/brand-equity-demo.jar", image.sourceOf(jar));
        assertEquals(List.of("simulate"), image.cmd());
        String pom = Files.readString(Tools.ROOT.resolve("demo/pom.xml"));
        assertTrue(pom.contains("<mainClass>org.brandequity.demo.DemoMain</mainClass>"), "the demo jar's main class");
        assertTrue(Files.readString(Tools.ROOT.resolve("demo/src/main/java/org/brandequity/demo/DemoMain.java")).contains("\"simulate\""),
                "DemoMain has the simulate command");
    }

    @Test
    void everyCopiedFileExistsOrIsBuiltAndGetsThroughDockerignore() throws Exception {
        List<String> rules = Files.readAllLines(Tools.ROOT.resolve(".dockerignore"));
        for (Path dockerfile : List.of(PIPELINE_DOCKERFILE, DEMO_DOCKERFILE)) {
            for (String source : DockerImage.parse(dockerfile).copies().values()) {
                String module = BUILD_OUTPUTS.get(source);
                if (module != null) {
                    String finalName = Path.of(source).getFileName().toString().replace(".jar", "");
                    assertTrue(Files.readString(Tools.ROOT.resolve(module + "/pom.xml")).contains("<finalName>" + finalName + "</finalName>"),
                            module + " builds " + source);
                } else {
                    assertTrue(Files.isRegularFile(Tools.ROOT.resolve(source)), dockerfile.getFileName() + " copies " + source + ", which does not exist");
                }
                assertTrue(inBuildContext(rules, source), ".dockerignore keeps " + source + " (copied by " + dockerfile.getFileName() + ") out of the build context");
            }
        }
        // The check itself: the rules exclude what is not listed.
        assertFalse(inBuildContext(rules, "bench/target/brand-equity-bench.jar"));
    }

    @Test
    void imagesSetNoBrandEquityVariableThatWouldOverrideAConfigFile() throws Exception {
        // Precedence: defaults < --config FILE < environment < --set. A BRANDEQUITY_* variable baked
        // into the image silently wins over the file Kubernetes mounts from its ConfigMap.
        for (Path dockerfile : List.of(PIPELINE_DOCKERFILE, DEMO_DOCKERFILE)) {
            List<String> baked = DockerImage.parse(dockerfile).env().keySet().stream().filter(k -> k.startsWith("BRANDEQUITY_")).toList();
            assertEquals(List.of(), baked, dockerfile.getFileName() + " bakes in config variables");
        }
    }

    @Test
    void productionImagesDefaultCommandKeepsStateOnItsVolume() throws Exception {
        DockerImage image = DockerImage.parse(PIPELINE_DOCKERFILE);
        assertEquals("run", image.cmd().get(0));
        Properties effective = EffectiveConfig.of(image.cmd(), image.env(), path -> imageFile(image, path));
        assertTrue(image.volumes().contains(effective.getProperty("state.dir")),
                "state.dir " + effective.getProperty("state.dir") + " is not a volume of the image: " + image.volumes());
        assertTrue(image.exposed().contains(Integer.parseInt(effective.getProperty("metrics.port"))), "metrics port exposed");
        assertTrue(image.exposed().contains(Integer.parseInt(effective.getProperty("api.port"))), "query API port exposed");
        Properties file = new Properties();
        file.load(new StringReader(imageFile(image, image.cmd().get(image.cmd().indexOf("--config") + 1))));
        List<String> unknown = new ArrayList<>();
        for (String key : file.stringPropertyNames()) if (!ConfigKeys.known(key)) unknown.add(key);
        assertEquals(List.of(), unknown, "keys of the image's config file that nothing reads");
    }

    /** The text of the file the image copies to {@code path}, or null. */
    static String imageFile(DockerImage image, String path) {
        String source = image.sourceOf(path);
        try {
            return source == null ? null : Files.readString(Tools.ROOT.resolve(source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Docker's .dockerignore rule: a path is left out when the last pattern matching it, or one of
     * its parent directories, is an exclusion; {@code !pattern} lets it back in.
     */
    private static boolean inBuildContext(List<String> rules, String path) {
        boolean included = true;
        for (String rule : rules) {
            rule = rule.strip();
            if (rule.isEmpty() || rule.startsWith("#")) continue;
            boolean negated = rule.startsWith("!");
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + (negated ? rule.substring(1) : rule));
            for (Path p = Path.of(path); p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    included = negated;
                    break;
                }
            }
        }
        return included;
    }
}
