package org.brandequity.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.brandequity.config.PipelineConfig;

/**
 * The configuration a pipeline container really runs with: its command line's {@code --config}
 * file and {@code --set} values, and its environment (the image's, then the container's), merged
 * by the application's own loader, so a deployment test checks the value that takes effect rather
 * than the one a file merely says.
 */
final class EffectiveConfig {
    private EffectiveConfig() {}

    /**
     * @param args the command after the image's entrypoint, e.g. {@code run --config FILE}
     * @param env the container's environment, the image's variables included
     * @param fileInContainer the text of a file at a path inside the container, or null if there is none
     */
    static Properties of(List<String> args, Map<String, String> env, Function<String, String> fileInContainer) {
        String configPath = null;
        Map<String, String> sets = new LinkedHashMap<>();
        // The two options of the pipeline's command line (README, "Running it"; docs/configuration.md).
        for (int i = 1; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--config" -> configPath = args.get(++i);
                case "--set" -> {
                    String kv = args.get(++i);
                    sets.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
                default -> throw new AssertionError("unknown option " + args.get(i) + " in " + args);
            }
        }
        Path file = null;
        try {
            if (configPath != null) {
                String text = fileInContainer.apply(configPath);
                if (text == null) throw new AssertionError("--config " + configPath + ": no such file in the container");
                file = Files.createTempFile("effective-config", ".properties");
                Files.writeString(file, text);
            }
            Properties p = PipelineConfig.loadProperties(file, env, sets);
            PipelineConfig.fromProperties(p); // the whole configuration must be one the pipeline accepts
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) file.toFile().delete();
        }
    }

    /** The container's environment: the image's variables, overridden by the container's. */
    static Map<String, String> environment(DockerImage image, Map<String, String> container) {
        Map<String, String> env = new LinkedHashMap<>(image.env());
        env.putAll(container);
        return env;
    }
}
