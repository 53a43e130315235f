package org.brandequity.config;

import static org.brandequity.config.PipelineKeys.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.types.Password;
import org.brandequity.model.AlertConfig;
import org.brandequity.model.ClosedLoopConfig;
import org.brandequity.model.Durations;
import org.brandequity.model.HistoryPolicy;
import org.brandequity.model.WindowPolicy;
import org.brandequity.model.ModelConfig;
import org.brandequity.model.drivers.DriverConfig;

/**
 * Everything the pipeline is configured with, typed and validated once at start-up.
 *
 * <p>Every key is defined once, with type, default, validator and documentation, in
 * {@link PipelineKeys}; sources and their precedence are {@link CommandKeys}'. Keys starting with
 * {@code kafka.} are passed to Kafka Streams and its clients without the prefix (security
 * settings, buffer sizes...).
 */
public record PipelineConfig(
        String applicationId,
        String bootstrapServers,
        String schemaRegistryUrl,
        String brandId,
        Topics topics,
        int topicPartitions,
        short topicReplicationFactor,
        WindowPolicy windows,
        Duration maxFutureSkew,
        Duration equityFlushInterval,
        int equityMaxSegments,
        HistoryPolicy history,
        int warmupEvents,
        String processingGuarantee,
        int streamThreads,
        int standbyReplicas,
        long commitIntervalMs,
        String stateDir,
        Registry registry,
        Api api,
        Metrics metrics,
        HttpLimits http,
        ModelConfig model,
        AlertConfig alerts,
        ClosedLoopConfig closedLoop,
        DriverConfig drivers,
        Properties kafka) {

    public static final String ENV_PREFIX = CommandKeys.ENV_PREFIX;

    /** Topic names; all come from config. */
    public record Topics(String interactions, String profiles, String customerScores, String segmentScores,
                         String equity, String alerts, String deadLetters, String touchpointScores, String customerAlerts,
                         String equityHistory, String keyDrivers) {
        /**
         * The output topics a running instance reads back, and so the only ones its principal may
         * read (DeploymentAcls): equity, segment scores and score-drop alerts for its gauges,
         * customer scores only counted (the demo's status line). Touchpoint scores and customer
         * alerts are not read.
         */
        public List<String> readBack() {
            return List.of(equity, segmentScores, customerScores, alerts);
        }
    }

    /**
     * The Prometheus endpoint ({@code /metrics}, {@code /health}); port 0 picks a free one. With a
     * basic auth user, {@code /metrics} requires it; {@code /health} stays open.
     */
    public record Metrics(String host, int port, String basicUser, Password basicPassword, List<String> segments, boolean anonymous) {
        /**
         * {@code segments}: the segments with a label of their own ({@code metrics.segments}), or null
         * when unset, which means the model's weighted segments ({@link PipelineConfig#metricSegments()}).
         */
        public Metrics {
            segments = segments == null ? null : segments.stream().map(String::trim).toList();
        }

        /** An open endpoint, default segment labels. */
        public Metrics(String host, int port) {
            this(host, port, "", NO_SECRET, null, false);
        }

        public boolean authenticated() {
            return !basicUser.isEmpty();
        }
    }

    private static final Password NO_SECRET = new Password("");

    /** A key or trust store file; an empty location means none. */
    public record Store(String location, Password password, String type) {
        public static final Store NONE = new Store("", NO_SECRET, STORE_TYPE_DEFAULT);

        public boolean isSet() {
            return !location.isBlank();
        }
    }

    /**
     * How the schema registry client authenticates and whom it trusts (credentials in
     * {@link #schemaRegistryUrl} still work; these keys win over them), and whether it registers
     * schemas or only looks their ids up.
     */
    public record Registry(String basicUser, Password basicPassword, Password bearerToken, String bearerTokenFile,
                           Store truststore, boolean autoRegister) {
        /** No credentials beyond the URL's, the JVM's CAs, registering schemas. */
        public static final Registry OPEN = new Registry("", NO_SECRET, NO_SECRET, "", Store.NONE, true);

        /** The bearer token from its key or its file, or empty when neither is set. */
        public Optional<Password> bearer() {
            if (!bearerTokenFile.isBlank()) {
                return Optional.of(Secrets.readToken(SCHEMA_REGISTRY_BEARER_TOKEN_FILE_CONFIG, Path.of(bearerTokenFile)));
            }
            return bearerToken.value().isBlank() ? Optional.empty() : Optional.of(new Password(bearerToken.value().trim()));
        }
    }

    /**
     * The interactive-query HTTP API: bound on {@code host:port} (port 0 picks a free one) and
     * advertised to the other instances, through Kafka Streams' {@code application.server}, as
     * {@code advertisedHost:port}; they forward queries for keys this instance owns to that address.
     */
    public record Api(boolean enabled, String host, int port, String advertisedHost, Password tokens, String tokensFile,
                      Store keystore, Store truststore, boolean anonymous) {
        /** Open, over plain http. */
        public Api(boolean enabled, String host, int port, String advertisedHost) {
            this(enabled, host, port, advertisedHost, NO_SECRET, "", Store.NONE, Store.NONE, false);
        }

        /** Whether bearer tokens are configured (by key or file). */
        public boolean authenticated() {
            return !tokens.value().isBlank() || !tokensFile.isBlank();
        }

        /** The bearer tokens every endpoint but {@code /health} requires: from the key or the file; empty = open. */
        public List<Password> tokenList() {
            if (!tokensFile.isBlank()) return Secrets.readTokens(API_AUTH_TOKENS_FILE_CONFIG, Path.of(tokensFile));
            return Secrets.splitTokens(tokens);
        }

        /** Whether the API serves (and forwards over) https. */
        public boolean tls() {
            return keystore.isSet();
        }

        /** {@code https} or {@code http}. */
        public String scheme() {
            return tls() ? "https" : "http";
        }

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

    /** Checks that relate several keys; each key's own range is checked by its validator. */
    public PipelineConfig {
        java.util.Objects.requireNonNull(windows, "windows");
        require(registry.basicUser().isEmpty() == registry.basicPassword().value().isEmpty(),
                SCHEMA_REGISTRY_BASIC_USER_CONFIG + " and " + SCHEMA_REGISTRY_BASIC_PASSWORD_CONFIG + " are set together or not at all");
        boolean bearerKey = !registry.bearerToken().value().isBlank();
        boolean bearerFile = !registry.bearerTokenFile().isBlank();
        require(!(bearerKey && bearerFile), "set " + SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG + " or "
                + SCHEMA_REGISTRY_BEARER_TOKEN_FILE_CONFIG + ", not both");
        require(registry.basicUser().isEmpty() || !(bearerKey || bearerFile), "the schema registry takes basic auth ("
                + SCHEMA_REGISTRY_BASIC_USER_CONFIG + ") or a bearer token (" + SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG + "), not both");
        require(api.tokens().value().isBlank() || api.tokensFile().isBlank(), "set " + API_AUTH_TOKENS_CONFIG + " or "
                + API_AUTH_TOKENS_FILE_CONFIG + ", not both");
        require(!api.truststore().isSet() || api.keystore().isSet(), API_TLS_TRUSTSTORE_LOCATION_CONFIG
                + " is for forwarding over https, which needs " + API_TLS_KEYSTORE_LOCATION_CONFIG);
        require(metrics.basicUser().isEmpty() == metrics.basicPassword().value().isEmpty(),
                METRICS_BASIC_USER_CONFIG + " and " + METRICS_BASIC_PASSWORD_CONFIG + " are set together or not at all");
        kafka = copy(kafka);
    }

    /**
     * The segments that get a segment label of their own on {@code /metrics} ({@code metrics.segments},
     * by default the segments named in {@code model.segment.weights}); the others share {@code other}.
     */
    public java.util.Set<String> metricSegments() {
        return java.util.Set.copyOf(metrics.segments() != null ? metrics.segments() : model.segmentWeight().keySet());
    }

    /** Never prints a secret: the registry URL may carry user info, the rest are {@link Password}s already. */
    @Override
    public String toString() {
        return "PipelineConfig" + toMap().entrySet().stream()
                .map(e -> e.getKey() + "=" + (KEYS.definition().configKeys().containsKey(e.getKey())
                        && KEYS.definition().configKeys().get(e.getKey()).type == org.apache.kafka.common.config.ConfigDef.Type.PASSWORD
                        || ConfigTable.isKafkaPassword(e.getKey()) ? ConfigTable.HIDDEN : e.getValue()))
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    /** Defaults only. */
    public static PipelineConfig defaults() {
        return fromMap(Map.of());
    }

    /**
     * Defaults, then {@code file} (may be null), then {@code env} (only {@code BRANDEQUITY_*}
     * variables are read), then {@code overrides}; a key the pipeline does not read is an error.
     */
    public static PipelineConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        return fromMap(KEYS.resolve(file, env, overrides));
    }

    /** The merged properties, every pipeline key with its effective value, as {@link #load} reads them. */
    public static Properties loadProperties(Path file, Map<String, String> env, Map<String, String> overrides) {
        return KEYS.effectiveProperties(KEYS.resolve(file, env, overrides));
    }

    /** Reads the pipeline keys of {@code p}; keys of other components are left to them. */
    public static PipelineConfig fromProperties(Properties p) {
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return fromMap(m);
    }

    /**
     * Reads the pipeline keys of {@code values}, defaults for the others.
     *
     * @throws IllegalArgumentException naming the key, for an invalid value
     */
    public static PipelineConfig fromMap(Map<String, String> values) {
        AbstractConfig c = KEYS.parse(values);
        Properties kafka = new Properties();
        kafka.putAll(c.originalsWithPrefix(KAFKA_PREFIX));
        return new PipelineConfig(
                c.getString(APPLICATION_ID_CONFIG).trim(),
                c.getString(BOOTSTRAP_SERVERS_CONFIG).trim(),
                c.getPassword(SCHEMA_REGISTRY_URL_CONFIG).value().trim(),
                c.getString(BRAND_ID_CONFIG).trim(),
                new Topics(c.getString(TOPIC_INTERACTIONS_CONFIG), c.getString(TOPIC_PROFILES_CONFIG),
                        c.getString(TOPIC_CUSTOMER_SCORES_CONFIG), c.getString(TOPIC_SEGMENT_SCORES_CONFIG),
                        c.getString(TOPIC_EQUITY_CONFIG), c.getString(TOPIC_ALERTS_CONFIG), c.getString(TOPIC_DEAD_LETTERS_CONFIG),
                        c.getString(TOPIC_TOUCHPOINT_SCORES_CONFIG), c.getString(TOPIC_CUSTOMER_ALERTS_CONFIG),
                        c.getString(TOPIC_EQUITY_HISTORY_CONFIG), c.getString(TOPIC_KEY_DRIVERS_CONFIG)),
                c.getInt(TOPIC_PARTITIONS_CONFIG),
                c.getShort(TOPIC_REPLICATION_FACTOR_CONFIG),
                new WindowPolicy(duration(c, WINDOW_SIZE_CONFIG), duration(c, WINDOW_ADVANCE_CONFIG),
                        duration(c, WINDOW_GRACE_CONFIG), duration(c, SEGMENT_WINDOW_GRACE_CONFIG),
                        duration(c, LATE_HORIZON_CONFIG), duration(c, DEDUP_HORIZON_CONFIG)),
                duration(c, EVENT_MAX_FUTURE_SKEW_CONFIG),
                duration(c, EQUITY_FLUSH_INTERVAL_CONFIG),
                c.getInt(EQUITY_MAX_SEGMENTS_CONFIG),
                history(c),
                c.getInt(WARMUP_EVENTS_CONFIG),
                c.getString(PROCESSING_GUARANTEE_CONFIG),
                c.getInt(NUM_STREAM_THREADS_CONFIG),
                c.getInt(NUM_STANDBY_REPLICAS_CONFIG),
                c.getLong(COMMIT_INTERVAL_MS_CONFIG),
                c.getString(STATE_DIR_CONFIG),
                new Registry(c.getString(SCHEMA_REGISTRY_BASIC_USER_CONFIG), c.getPassword(SCHEMA_REGISTRY_BASIC_PASSWORD_CONFIG),
                        c.getPassword(SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG), c.getString(SCHEMA_REGISTRY_BEARER_TOKEN_FILE_CONFIG).trim(),
                        store(c, SCHEMA_REGISTRY_TRUSTSTORE_LOCATION_CONFIG, SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD_CONFIG,
                                SCHEMA_REGISTRY_TRUSTSTORE_TYPE_CONFIG),
                        c.getBoolean(SCHEMA_REGISTRY_AUTO_REGISTER_CONFIG)),
                new Api(c.getBoolean(API_ENABLED_CONFIG), c.getString(API_HOST_CONFIG), c.getInt(API_PORT_CONFIG),
                        c.getString(API_ADVERTISED_HOST_CONFIG).trim(), c.getPassword(API_AUTH_TOKENS_CONFIG),
                        c.getString(API_AUTH_TOKENS_FILE_CONFIG).trim(),
                        store(c, API_TLS_KEYSTORE_LOCATION_CONFIG, API_TLS_KEYSTORE_PASSWORD_CONFIG, API_TLS_KEYSTORE_TYPE_CONFIG),
                        store(c, API_TLS_TRUSTSTORE_LOCATION_CONFIG, API_TLS_TRUSTSTORE_PASSWORD_CONFIG, API_TLS_TRUSTSTORE_TYPE_CONFIG),
                        c.getBoolean(API_AUTH_ANONYMOUS_CONFIG)),
                new Metrics(c.getString(METRICS_HOST_CONFIG), c.getInt(METRICS_PORT_CONFIG), c.getString(METRICS_BASIC_USER_CONFIG),
                        c.getPassword(METRICS_BASIC_PASSWORD_CONFIG), c.getList(METRICS_SEGMENTS_CONFIG),
                        c.getBoolean(METRICS_AUTH_ANONYMOUS_CONFIG)),
                httpLimits(c),
                ModelKeys.parse(c),
                AlertKeys.parse(c),
                ClosedLoopKeys.parse(c),
                DriverKeys.parse(c),
                kafka);
    }

    /**
     * A copy with some keys changed, for tests and for embedding (the benchmark).
     *
     * @throws IllegalArgumentException for a key the pipeline does not read, as on the command line
     */
    public PipelineConfig with(Map<String, String> overrides) {
        Map<String, String> m = toMap();
        overrides.forEach((k, v) -> {
            try {
                KEYS.requireKnown(k, "PipelineConfig.with");
            } catch (org.apache.kafka.common.config.ConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            m.put(k, v);
        });
        return fromMap(m);
    }

    /** Back to properties, every pipeline key regenerated from the typed values, plus {@code kafka.*}. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.putAll(toMap());
        return p;
    }

    private Map<String, String> toMap() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(APPLICATION_ID_CONFIG, applicationId);
        p.put(BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl);
        p.put(BRAND_ID_CONFIG, brandId);
        p.put(TOPIC_INTERACTIONS_CONFIG, topics.interactions());
        p.put(TOPIC_PROFILES_CONFIG, topics.profiles());
        p.put(TOPIC_CUSTOMER_SCORES_CONFIG, topics.customerScores());
        p.put(TOPIC_SEGMENT_SCORES_CONFIG, topics.segmentScores());
        p.put(TOPIC_EQUITY_CONFIG, topics.equity());
        p.put(TOPIC_ALERTS_CONFIG, topics.alerts());
        p.put(TOPIC_DEAD_LETTERS_CONFIG, topics.deadLetters());
        p.put(TOPIC_TOUCHPOINT_SCORES_CONFIG, topics.touchpointScores());
        p.put(TOPIC_CUSTOMER_ALERTS_CONFIG, topics.customerAlerts());
        p.put(TOPIC_EQUITY_HISTORY_CONFIG, topics.equityHistory());
        p.put(TOPIC_KEY_DRIVERS_CONFIG, topics.keyDrivers());
        p.put(TOPIC_PARTITIONS_CONFIG, Integer.toString(topicPartitions));
        p.put(TOPIC_REPLICATION_FACTOR_CONFIG, Short.toString(topicReplicationFactor));
        p.put(WINDOW_SIZE_CONFIG, Durations.format(windows.size()));
        p.put(WINDOW_ADVANCE_CONFIG, Durations.format(windows.advance()));
        p.put(WINDOW_GRACE_CONFIG, Durations.format(windows.grace()));
        p.put(SEGMENT_WINDOW_GRACE_CONFIG, Durations.format(windows.segmentGrace()));
        p.put(LATE_HORIZON_CONFIG, Durations.format(windows.lateHorizon()));
        p.put(DEDUP_HORIZON_CONFIG, Durations.format(windows.dedupHorizon()));
        p.put(EVENT_MAX_FUTURE_SKEW_CONFIG, Durations.format(maxFutureSkew));
        p.put(EQUITY_FLUSH_INTERVAL_CONFIG, Durations.format(equityFlushInterval));
        p.put(EQUITY_MAX_SEGMENTS_CONFIG, Integer.toString(equityMaxSegments));
        p.put(EQUITY_HISTORY_INTERVAL_CONFIG, Durations.format(history.interval()));
        p.put(EQUITY_HISTORY_RETENTION_CONFIG, Durations.format(history.retention()));
        p.put(WARMUP_EVENTS_CONFIG, Integer.toString(warmupEvents));
        p.put(PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        p.put(NUM_STREAM_THREADS_CONFIG, Integer.toString(streamThreads));
        p.put(NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(standbyReplicas));
        p.put(COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitIntervalMs));
        p.put(STATE_DIR_CONFIG, stateDir);
        p.put(API_ENABLED_CONFIG, Boolean.toString(api.enabled()));
        p.put(API_HOST_CONFIG, api.host());
        p.put(API_PORT_CONFIG, Integer.toString(api.port()));
        p.put(API_ADVERTISED_HOST_CONFIG, api.advertisedHost());
        p.put(METRICS_HOST_CONFIG, metrics.host());
        p.put(METRICS_PORT_CONFIG, Integer.toString(metrics.port()));
        if (metrics.segments() != null) p.put(METRICS_SEGMENTS_CONFIG, String.join(",", metrics.segments()));
        p.put(METRICS_BASIC_USER_CONFIG, metrics.basicUser());
        p.put(METRICS_BASIC_PASSWORD_CONFIG, metrics.basicPassword().value());
        p.put(METRICS_AUTH_ANONYMOUS_CONFIG, Boolean.toString(metrics.anonymous()));
        p.put(API_AUTH_ANONYMOUS_CONFIG, Boolean.toString(api.anonymous()));
        p.put(HTTP_MAX_THREADS_CONFIG, Integer.toString(http.maxThreads()));
        p.put(HTTP_MAX_CONNECTIONS_CONFIG, Integer.toString(http.maxConnections()));
        p.put(HTTP_IDLE_TIMEOUT_CONFIG, Durations.format(http.idleTimeout()));
        p.put(HTTP_IDLE_TIMEOUT_AT_LIMIT_CONFIG, Durations.format(http.idleTimeoutAtLimit()));
        p.put(SCHEMA_REGISTRY_BASIC_USER_CONFIG, registry.basicUser());
        p.put(SCHEMA_REGISTRY_BASIC_PASSWORD_CONFIG, registry.basicPassword().value());
        p.put(SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG, registry.bearerToken().value());
        p.put(SCHEMA_REGISTRY_BEARER_TOKEN_FILE_CONFIG, registry.bearerTokenFile());
        putStore(p, registry.truststore(), SCHEMA_REGISTRY_TRUSTSTORE_LOCATION_CONFIG, SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD_CONFIG,
                SCHEMA_REGISTRY_TRUSTSTORE_TYPE_CONFIG);
        p.put(SCHEMA_REGISTRY_AUTO_REGISTER_CONFIG, Boolean.toString(registry.autoRegister()));
        p.put(API_AUTH_TOKENS_CONFIG, api.tokens().value());
        p.put(API_AUTH_TOKENS_FILE_CONFIG, api.tokensFile());
        putStore(p, api.keystore(), API_TLS_KEYSTORE_LOCATION_CONFIG, API_TLS_KEYSTORE_PASSWORD_CONFIG, API_TLS_KEYSTORE_TYPE_CONFIG);
        putStore(p, api.truststore(), API_TLS_TRUSTSTORE_LOCATION_CONFIG, API_TLS_TRUSTSTORE_PASSWORD_CONFIG,
                API_TLS_TRUSTSTORE_TYPE_CONFIG);
        ModelKeys.write(model, p);
        AlertKeys.write(alerts, p);
        ClosedLoopKeys.write(closedLoop, p);
        DriverKeys.write(drivers, p);
        kafka.forEach((k, v) -> p.put(KAFKA_PREFIX + k, v.toString()));
        return p;
    }

    private static Store store(AbstractConfig c, String location, String password, String type) {
        return new Store(c.getString(location).trim(), c.getPassword(password), c.getString(type).toUpperCase(java.util.Locale.ROOT));
    }

    /** The {@code http.*} keys of {@code values} (defaults for the unset ones); other keys are left to their readers. */
    public static HttpLimits httpLimits(Map<String, String> values) {
        return httpLimits(CommandKeys.parse(PipelineKeys.httpDefinition(), values));
    }

    private static HttpLimits httpLimits(AbstractConfig c) {
        return new HttpLimits(c.getInt(HTTP_MAX_THREADS_CONFIG), c.getInt(HTTP_MAX_CONNECTIONS_CONFIG),
                duration(c, HTTP_IDLE_TIMEOUT_CONFIG), duration(c, HTTP_IDLE_TIMEOUT_AT_LIMIT_CONFIG));
    }

    private static HistoryPolicy history(AbstractConfig c) {
        return new HistoryPolicy(duration(c, EQUITY_HISTORY_INTERVAL_CONFIG), duration(c, EQUITY_HISTORY_RETENTION_CONFIG));
    }

    private static Duration duration(AbstractConfig c, String key) {
        return Durations.parse(key, c.getString(key));
    }

    private static void putStore(Map<String, String> p, Store store, String location, String password, String type) {
        p.put(location, store.location());
        p.put(password, store.password().value());
        p.put(type, store.type());
    }

    private static Properties copy(Properties in) {
        Properties out = new Properties();
        if (in != null) out.putAll(in);
        return out;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("Invalid config: " + message);
    }
}
