package org.brandequity.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.brandequity.runtime.Pipeline;
import org.brandequity.cluster.SchemaRegistries;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.AppSerdes;
import org.brandequity.wire.HttpSchemaRegistryClient;

/**
 * The pipeline alone in a JVM of its own, so that its heap and resident set are not mixed with the
 * broker's or the benchmark driver's: runs over a preloaded input until the equity has folded
 * {@code --expected} events, then prints one {@code RESULT {json}} line with heap after GC and RSS.
 */
public final class ScaleChild {
    private ScaleChild() {}

    public static void main(String[] args) throws Exception {
        long expected = -1;
        long records = -1;
        long timeoutS = 900;
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--expected" -> expected = Long.parseLong(args[++i]);
                case "--records" -> records = Long.parseLong(args[++i]);
                case "--timeout-s" -> timeoutS = Long.parseLong(args[++i]);
                case "--set" -> {
                    String kv = args[++i];
                    int eq = kv.indexOf('=');
                    settings.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        PipelineConfig config = PipelineConfig.defaults().with(settings);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("beforeStart", Machine.memory());
        try (HttpSchemaRegistryClient registry = SchemaRegistries.fromConfig(config);
             EquityWatcher watcher = new EquityWatcher(config.bootstrapServers(), config.topics().equity(),
                     new AppSerdes(registry).brandEquity().deserializer())) {
            long t0 = System.nanoTime();
            try (Pipeline pipeline = new Pipeline(config).start()) {
                long done = watcher.awaitAtLeast(expected, Duration.ofSeconds(timeoutS));
                if (done < 0) {
                    throw new IllegalStateException("equity did not reach " + expected + " events within " + timeoutS
                            + " s; latest " + watcher.latest());
                }
                if (watcher.latest() != expected) {
                    throw new IllegalStateException("equity folded " + watcher.latest() + " events, expected " + expected);
                }
                double seconds = (done - t0) / 1e9;
                result.put("seconds", Math.round(seconds * 100) / 100.0);
                result.put("eventsPerSecond", Math.round(records / seconds));
                // Let the last commit and the memtable flushes settle, then measure with state open.
                Machine.sleep(2000);
                result.put("afterProcessing", Machine.memory());
            }
        }
        System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
        System.out.flush();
        System.exit(0);
    }
}
