package org.brandequity.demo;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeMap;
import org.brandequity.config.PipelineKeys;

/**
 * {@code .demo/connection.properties} in the working directory: how a second terminal's
 * {@code import --config .demo/connection.properties} reaches the running demo, whose broker and
 * registry ports are chosen at start. Written once they run; deleted on a clean stop (closing it).
 */
final class ConnectionFile implements AutoCloseable {
    static final String PATH = ".demo/connection.properties";

    /** The keys {@code import} needs from the demo: where, which topics, and the judgement of event times. */
    static final String[] KEYS = {PipelineKeys.BOOTSTRAP_SERVERS_CONFIG, PipelineKeys.SCHEMA_REGISTRY_URL_CONFIG,
            PipelineKeys.TOPIC_INTERACTIONS_CONFIG, PipelineKeys.TOPIC_PROFILES_CONFIG,
            PipelineKeys.EVENT_MAX_FUTURE_SKEW_CONFIG, PipelineKeys.LATE_HORIZON_CONFIG};

    private final Path path;

    private ConnectionFile(Path path) {
        this.path = path;
    }

    /** Writes the {@link #KEYS} of {@code props} and every {@code kafka.*} key (client security settings) to {@code path}. */
    static ConnectionFile write(Path path, Properties props) throws IOException {
        TreeMap<String, String> values = new TreeMap<>();
        for (String key : KEYS) {
            if (props.getProperty(key) != null) values.put(key, props.getProperty(key));
        }
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(PipelineKeys.KAFKA_PREFIX)) values.put(key, props.getProperty(key));
        }
        if (path.getParent() != null) Files.createDirectories(path.getParent());
        try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            w.write("# Written by `demo` while it runs; deleted when it stops. Use: import --config " + path + " ...\n");
            for (var e : values.entrySet()) w.write(e.getKey() + "=" + escape(e.getValue()) + "\n");
        }
        return new ConnectionFile(path);
    }

    Path path() {
        return path;
    }

    /** Deletes the file (and the .demo directory when that leaves it empty). */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(path);
        Path parent = path.getParent();
        if (parent != null) {
            try (var entries = Files.list(parent)) {
                if (entries.findAny().isEmpty()) Files.deleteIfExists(parent);
            }
        }
    }

    /** Properties-file escaping of a value (a backslash, as in a Windows path). */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }
}
