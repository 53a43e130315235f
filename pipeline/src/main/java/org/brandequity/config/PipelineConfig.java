package org.brandequity.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.brandequity.model.AlertConfig;
import org.brandequity.model.Durations;
import org.brandequity.model.ModelConfig;

/**
 * Everything the pipeline is configured with, typed and validated once at start-up.
 *
 * <p>Sources, later ones winning: the defaults shipped in {@code brand-equity-defaults.properties},
 * a properties file, environment variables ({@code BRANDEQUITY_} + key in upper case with
 * {@code .} written as {@code _} and {@code -} as {@code __}), then explicit overrides. Keys
 * starting with {@code kafka.} are passed to Kafka Streams and its clients without the prefix
 * (security settings, buffer sizes...).
 */
public record PipelineConfig(
        String applicationId,
        String bootstrapServers,
        String schemaRegistryUrl,
        String brandId,
        Topics topics,
        int topicPartitions,
        short topicReplicationFactor,
        Duration windowSize,
        Duration windowAdvance,
        Duration windowGrace,
        Duration segmentWindowGrace,
        Duration dedupHorizon,
        Duration maxFutureSkew,
        Duration equityFlushInterval,
        String processingGuarantee,
        int streamThreads,
        int standbyReplicas,
        long commitIntervalMs,
        String stateDir,
        Api api,
        ModelConfig model,
        AlertConfig alerts,
        Properties kafka) {

    public static final String ENV_PREFIX = "BRANDEQUITY_";
    private static final String DEFAULTS = "/brand-equity-defaults.properties";

    /** Topic names; all come from config. */
    public record Topics(String interactions, String profiles, String customerScores, String segmentScores,
                         String equity, String alerts, String deadLetters) {}

    /**
     * The interactive-query HTTP API: bound on {@code host:port} (port 0 picks a free one) and
     * advertised to the other instances, through Kafka Streams' {@code application.server}, as
     * {@code advertisedHost:port}; they forward queries for keys this instance owns to that address.
     */
    public record Api(boolean enabled, String host, int port, String advertisedHost) {
        /**
         * The host other instances reach this one at: {@code api.advertised.host} when set, else
         * {@code api.host} unless it is a wildcard, else this machine's host name.
         */
        public String effectiveAdvertisedHost() {
            if (!advertisedHost.isBlank()) return advertisedHost;
            if (!host.equals("0.0.0.0") && !host.equals("::")) return host;
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("api.advertised.host is not set and this machine's host name does not resolve", e);
            }
        }
    }

    public PipelineConfig {
        require(windowAdvance.compareTo(windowSize) <= 0 && !windowAdvance.isZero(),
                "window.advance must be > 0 and <= window.size");
        require(windowSize.toMillis() % windowAdvance.toMillis() == 0,
                "window.size must be a whole multiple of window.advance, so every event falls in the same number of windows");
        require(!windowGrace.isNegative(), "window.grace must be >= 0");
        require(dedupHorizon.compareTo(Duration.ZERO) > 0, "dedup.horizon must be > 0");
        require(topicPartitions > 0, "topic.partitions must be > 0");
        require(topicReplicationFactor > 0, "topic.replication.factor must be > 0");
        require(streamThreads > 0, "num.stream.threads must be > 0");
        require(api.port() >= 0 && api.port() <= 65535, "api.port must be in 0..65535");
        kafka = copy(kafka);
    }

    /** Defaults only. */
    public static PipelineConfig defaults() {
        return load(null, Map.of(), Map.of());
    }

    /**
     * Defaults, then {@code file} (may be null), then {@code env} (only {@code BRANDEQUITY_*}
     * variables are read), then {@code overrides}.
     */
    public static PipelineConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        return fromProperties(loadProperties(file, env, overrides));
    }

    /** The merged raw properties, for components with keys of their own (simulator, metrics). */
    public static Properties loadProperties(Path file, Map<String, String> env, Map<String, String> overrides) {
        Properties p = new Properties();
        try (InputStream in = PipelineConfig.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) throw new IllegalStateException(DEFAULTS + " is missing from the classpath");
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + DEFAULTS, e);
        }
        if (file != null) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read config file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
            }
        }
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) p.setProperty(keyOfEnv(name), value);
        });
        overrides.forEach(p::setProperty);
        return p;
    }

    /** {@code BRANDEQUITY_MODEL_SEGMENT_HIGH__VALUE_WEIGHT} → {@code model.segment.high-value.weight}. */
    static String keyOfEnv(String name) {
        String rest = name.substring(ENV_PREFIX.length());
        // Enum-valued parts of model keys are upper case in the file (model.touchpoint.DELIVERY.weight).
        String key = rest.replace("__", "\u0000").replace('_', '.').replace('\u0000', '-');
        String[] parts = key.split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            boolean enumPart = i == 2 && parts.length == 4 && parts[0].equalsIgnoreCase("model")
                    && (parts[1].equalsIgnoreCase("touchpoint") || parts[1].equalsIgnoreCase("stage"));
            if (i > 0) out.append('.');
            out.append(enumPart ? parts[i].toUpperCase(Locale.ROOT) : parts[i].toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    public static PipelineConfig fromProperties(Properties p) {
        Properties kafka = new Properties();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("kafka.")) kafka.setProperty(key.substring("kafka.".length()), p.getProperty(key));
        }
        return new PipelineConfig(
                str(p, "application.id"),
                str(p, "bootstrap.servers"),
                str(p, "schema.registry.url"),
                str(p, "brand.id"),
                new Topics(str(p, "topic.interactions"), str(p, "topic.profiles"), str(p, "topic.customer.scores"),
                        str(p, "topic.segment.scores"), str(p, "topic.equity"), str(p, "topic.alerts"),
                        str(p, "topic.dead.letters")),
                integer(p, "topic.partitions"),
                (short) integer(p, "topic.replication.factor"),
                duration(p, "window.size"),
                duration(p, "window.advance"),
                duration(p, "window.grace"),
                duration(p, "segment.window.grace"),
                duration(p, "dedup.horizon"),
                duration(p, "event.max.future.skew"),
                duration(p, "equity.flush.interval"),
                str(p, "processing.guarantee"),
                integer(p, "num.stream.threads"),
                integer(p, "num.standby.replicas"),
                Long.parseLong(str(p, "commit.interval.ms").trim()),
                str(p, "state.dir"),
                new Api(Boolean.parseBoolean(str(p, "api.enabled")), str(p, "api.host"), integer(p, "api.port"),
                        p.getProperty("api.advertised.host", "").trim()),
                ModelConfig.fromProperties(p),
                AlertConfig.fromProperties(p),
                kafka);
    }

    /** A copy with some keys changed, for tests and for the demo's embedded defaults. */
    public PipelineConfig with(Map<String, String> overrides) {
        Properties p = toProperties();
        overrides.forEach(p::setProperty);
        return fromProperties(p);
    }

    /** Back to properties (model and alert keys are regenerated from the typed values). */
    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("application.id", applicationId);
        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("schema.registry.url", schemaRegistryUrl);
        p.setProperty("brand.id", brandId);
        p.setProperty("topic.interactions", topics.interactions());
        p.setProperty("topic.profiles", topics.profiles());
        p.setProperty("topic.customer.scores", topics.customerScores());
        p.setProperty("topic.segment.scores", topics.segmentScores());
        p.setProperty("topic.equity", topics.equity());
        p.setProperty("topic.alerts", topics.alerts());
        p.setProperty("topic.dead.letters", topics.deadLetters());
        p.setProperty("topic.partitions", Integer.toString(topicPartitions));
        p.setProperty("topic.replication.factor", Short.toString(topicReplicationFactor));
        p.setProperty("window.size", Durations.format(windowSize));
        p.setProperty("window.advance", Durations.format(windowAdvance));
        p.setProperty("window.grace", Durations.format(windowGrace));
        p.setProperty("segment.window.grace", Durations.format(segmentWindowGrace));
        p.setProperty("dedup.horizon", Durations.format(dedupHorizon));
        p.setProperty("event.max.future.skew", Durations.format(maxFutureSkew));
        p.setProperty("equity.flush.interval", Durations.format(equityFlushInterval));
        p.setProperty("processing.guarantee", processingGuarantee);
        p.setProperty("num.stream.threads", Integer.toString(streamThreads));
        p.setProperty("num.standby.replicas", Integer.toString(standbyReplicas));
        p.setProperty("commit.interval.ms", Long.toString(commitIntervalMs));
        p.setProperty("state.dir", stateDir);
        p.setProperty("api.enabled", Boolean.toString(api.enabled()));
        p.setProperty("api.host", api.host());
        p.setProperty("api.port", Integer.toString(api.port()));
        p.setProperty("api.advertised.host", api.advertisedHost());
        model.touchpointWeight().forEach((t, v) -> p.setProperty("model.touchpoint." + t + ".weight", Double.toString(v)));
        model.touchpointPromise().forEach((t, v) -> p.setProperty("model.touchpoint." + t + ".promise", Double.toString(v)));
        model.touchpointPrior().forEach((t, v) -> p.setProperty("model.touchpoint." + t + ".prior", Double.toString(v)));
        model.stageWeight().forEach((s, v) -> p.setProperty("model.stage." + s + ".weight", Double.toString(v)));
        model.segmentWeight().forEach((s, v) -> p.setProperty("model.segment." + s + ".weight", Double.toString(v)));
        p.setProperty("model.segment.default.weight", Double.toString(model.defaultSegmentWeight()));
        p.setProperty("model.prior.weight", Double.toString(model.priorWeight()));
        p.setProperty("model.polarity.positive.threshold", Double.toString(model.positiveThreshold()));
        p.setProperty("model.polarity.negative.threshold", Double.toString(model.negativeThreshold()));
        p.setProperty("model.equity.half.life", Durations.format(model.halfLife()));
        p.setProperty("model.equity.index.prior", Double.toString(model.indexPrior()));
        alerts.writeTo(p);
        kafka.forEach((k, v) -> p.setProperty("kafka." + k, v.toString()));
        return p;
    }

    private static Properties copy(Properties in) {
        Properties out = new Properties();
        if (in != null) out.putAll(in);
        return out;
    }

    private static String str(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("Config key '" + key + "' is not set");
        return v.trim();
    }

    private static int integer(Properties p, String key) {
        String v = str(p, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Config key '" + key + "': '" + v + "' is not an integer");
        }
    }

    private static Duration duration(Properties p, String key) {
        return Durations.parse(key, str(p, key));
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("Invalid config: " + message);
    }
}
