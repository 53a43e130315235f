package org.brandequity.config;

import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.streams.StreamsConfig;
import org.brandequity.model.HistoryPolicy;

/**
 * Every key of the pipeline, one definition each (type, default, validator, importance,
 * documentation), in the style of Kafka's {@link StreamsConfig}. docs/configuration.md's pipeline config table
 * is generated from it ({@link ConfigTable}; {@code ConfigReadmeTest} keeps them equal).
 */
public final class PipelineKeys {
    public static final String APPLICATION_ID_CONFIG = "application.id";
    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String BRAND_ID_CONFIG = "brand.id";
    public static final String TOPIC_INTERACTIONS_CONFIG = "topic.interactions";
    public static final String TOPIC_PROFILES_CONFIG = "topic.profiles";
    public static final String TOPIC_CUSTOMER_SCORES_CONFIG = "topic.customer.scores";
    public static final String TOPIC_SEGMENT_SCORES_CONFIG = "topic.segment.scores";
    public static final String TOPIC_TOUCHPOINT_SCORES_CONFIG = "topic.touchpoint.scores";
    public static final String TOPIC_EQUITY_CONFIG = "topic.equity";
    public static final String TOPIC_ALERTS_CONFIG = "topic.alerts";
    public static final String TOPIC_DEAD_LETTERS_CONFIG = "topic.dead.letters";
    public static final String TOPIC_CUSTOMER_ALERTS_CONFIG = "topic.customer.alerts";
    public static final String TOPIC_EQUITY_HISTORY_CONFIG = "topic.equity.history";
    public static final String TOPIC_KEY_DRIVERS_CONFIG = "topic.key.drivers";
    public static final String TOPIC_PARTITIONS_CONFIG = "topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR_CONFIG = "topic.replication.factor";
    public static final String WINDOW_SIZE_CONFIG = "window.size";
    public static final String WINDOW_ADVANCE_CONFIG = "window.advance";
    public static final String WINDOW_GRACE_CONFIG = "window.grace";
    public static final String SEGMENT_WINDOW_GRACE_CONFIG = "segment.window.grace";
    public static final String DEDUP_HORIZON_CONFIG = "dedup.horizon";
    public static final String LATE_HORIZON_CONFIG = "late.horizon";
    public static final String EVENT_MAX_FUTURE_SKEW_CONFIG = "event.max.future.skew";
    public static final String EQUITY_FLUSH_INTERVAL_CONFIG = "equity.flush.interval";
    public static final String EQUITY_MAX_SEGMENTS_CONFIG = "equity.max.segments";
    public static final String EQUITY_HISTORY_INTERVAL_CONFIG = "equity.history.interval";
    public static final String EQUITY_HISTORY_RETENTION_CONFIG = "equity.history.retention";
    public static final String WARMUP_EVENTS_CONFIG = "warmup.events";
    public static final String PROCESSING_GUARANTEE_CONFIG = "processing.guarantee";
    public static final String NUM_STREAM_THREADS_CONFIG = "num.stream.threads";
    public static final String NUM_STANDBY_REPLICAS_CONFIG = "num.standby.replicas";
    public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";
    public static final String STATE_DIR_CONFIG = "state.dir";
    public static final String METRICS_HOST_CONFIG = "metrics.host";
    public static final String METRICS_PORT_CONFIG = "metrics.port";
    public static final String METRICS_SEGMENTS_CONFIG = "metrics.segments";
    public static final String API_ENABLED_CONFIG = "api.enabled";
    public static final String API_HOST_CONFIG = "api.host";
    public static final String API_PORT_CONFIG = "api.port";
    public static final String API_ADVERTISED_HOST_CONFIG = "api.advertised.host";
    public static final String SCHEMA_REGISTRY_BASIC_USER_CONFIG = "schema.registry.auth.basic.user";
    public static final String SCHEMA_REGISTRY_BASIC_PASSWORD_CONFIG = "schema.registry.auth.basic.password";
    public static final String SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG = "schema.registry.auth.bearer.token";
    public static final String SCHEMA_REGISTRY_BEARER_TOKEN_FILE_CONFIG = "schema.registry.auth.bearer.token.file";
    public static final String SCHEMA_REGISTRY_TRUSTSTORE_LOCATION_CONFIG = "schema.registry.ssl.truststore.location";
    public static final String SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD_CONFIG = "schema.registry.ssl.truststore.password";
    public static final String SCHEMA_REGISTRY_TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";
    public static final String SCHEMA_REGISTRY_AUTO_REGISTER_CONFIG = "schema.registry.auto.register";
    public static final String API_AUTH_TOKENS_CONFIG = "api.auth.tokens";
    public static final String API_AUTH_TOKENS_FILE_CONFIG = "api.auth.tokens.file";
    public static final String API_TLS_KEYSTORE_LOCATION_CONFIG = "api.tls.keystore.location";
    public static final String API_TLS_KEYSTORE_PASSWORD_CONFIG = "api.tls.keystore.password";
    public static final String API_TLS_KEYSTORE_TYPE_CONFIG = "api.tls.keystore.type";
    public static final String API_TLS_TRUSTSTORE_LOCATION_CONFIG = "api.tls.truststore.location";
    public static final String API_TLS_TRUSTSTORE_PASSWORD_CONFIG = "api.tls.truststore.password";
    public static final String API_TLS_TRUSTSTORE_TYPE_CONFIG = "api.tls.truststore.type";
    public static final String METRICS_BASIC_USER_CONFIG = "metrics.auth.basic.user";
    public static final String METRICS_BASIC_PASSWORD_CONFIG = "metrics.auth.basic.password";
    public static final String API_AUTH_ANONYMOUS_CONFIG = "api.auth.anonymous";
    public static final String METRICS_AUTH_ANONYMOUS_CONFIG = "metrics.auth.anonymous";
    public static final String HTTP_MAX_THREADS_CONFIG = "http.max.threads";
    public static final String HTTP_MAX_CONNECTIONS_CONFIG = "http.max.connections";
    public static final String HTTP_IDLE_TIMEOUT_CONFIG = "http.idle.timeout";
    public static final String HTTP_IDLE_TIMEOUT_AT_LIMIT_CONFIG = "http.idle.timeout.at.limit";

    /** Key and trust store formats the JDK reads everywhere (Kafka's ssl.*.type take the same). */
    public static final String STORE_TYPE_DEFAULT = "PKCS12";

    /** Keys passed to Kafka Streams and its clients without the prefix. */
    public static final String KAFKA_PREFIX = "kafka.";

    /**
     * {@code kafka.<client key>}: Kafka's own keys have no underscores, so
     * {@code BRANDEQUITY_KAFKA_SECURITY_PROTOCOL} is {@code kafka.security.protocol}.
     */
    public static final KeyFamily KAFKA = new KeyFamily(KAFKA_PREFIX, "<any>", suffix -> !suffix.isEmpty(),
            env -> env.toLowerCase(Locale.ROOT).replace('_', '.'),
            "Passed to Kafka Streams and its clients without the prefix, e.g. kafka.security.protocol=SASL_SSL. "
                    + "Environment: BRANDEQUITY_KAFKA_SECURITY_PROTOCOL.");

    private static final ConfigDef DEFINITION = define();

    /** The pipeline's section of the config table. */
    public static final ConfigSection SECTION = new ConfigSection("pipeline", DEFINITION, List.of(KAFKA));

    /** What {@code run} and {@code topology} read. */
    public static final CommandKeys KEYS = CommandKeys.of(SECTION);

    private PipelineKeys() {}

    /** A copy of the definition, free to be extended. */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
    }

    private static ConfigDef define() {
        ConfigDef d = new ConfigDef()
                .define(APPLICATION_ID_CONFIG, Type.STRING, "brand-equity", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Kafka Streams application id: consumer group, prefix of internal topics and of state.")
                .define(BOOTSTRAP_SERVERS_CONFIG, Type.STRING, "localhost:9092", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Kafka brokers, host:port,... (the demo sets its embedded broker's).")
                .define(SCHEMA_REGISTRY_URL_CONFIG, Type.PASSWORD, "http://localhost:8081", Importance.HIGH,
                        "Base URL of a Confluent-API schema registry; user:password@ in it for basic auth, hence a password type.")
                .define(BRAND_ID_CONFIG, Type.STRING, "acme", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Key of the brand-equity records.")
                .define(TOPIC_INTERACTIONS_CONFIG, Type.STRING, "customer-interactions", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Input topic of customer interactions.")
                .define(TOPIC_PROFILES_CONFIG, Type.STRING, "customer-profiles", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Input topic of customer profiles (compacted; as many partitions as the interactions).")
                .define(TOPIC_CUSTOMER_SCORES_CONFIG, Type.STRING, "customer-experience-scores", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Output topic of closed customer windows.")
                .define(TOPIC_SEGMENT_SCORES_CONFIG, Type.STRING, "segment-experience-scores", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Output topic of segment windows.")
                .define(TOPIC_TOUCHPOINT_SCORES_CONFIG, Type.STRING, "touchpoint-scores", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Output topic of touchpoint windows: NPS, CSAT and CES over every answer at a touchpoint, per window.")
                .define(TOPIC_EQUITY_CONFIG, Type.STRING, "brand-equity", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Output topic of the brand equity (compacted).")
                .define(TOPIC_ALERTS_CONFIG, Type.STRING, "score-drop-alerts", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Output topic of score-drop alerts.")
                .define(TOPIC_DEAD_LETTERS_CONFIG, Type.STRING, "brand-equity-dead-letters", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Rejected input records, reason in headers.")
                .define(TOPIC_CUSTOMER_ALERTS_CONFIG, Type.STRING, "customer-alerts", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Output topic of at-risk customer alerts (closed loop: FIRING and RESOLVED records keyed by customer id).")
                .define(TOPIC_EQUITY_HISTORY_CONFIG, Type.STRING, "brand-equity-history", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Output topic of the brand's equity history (compacted): one record per history point when first "
                                + "published and again at each revision by late events, keyed brand|boundary.")
                .define(TOPIC_KEY_DRIVERS_CONFIG, Type.STRING, "key-drivers", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Output topic of the key drivers (KeyDrivers, compacted): per segment, and for the whole brand under the brand id, "
                                + "at most one record per drivers.emit.interval; the latest per key is the analysis as known now.")
                .define(TOPIC_PARTITIONS_CONFIG, Type.INT, 6, Range.atLeast(1), Importance.MEDIUM,
                        "Partitions of the topics the app creates when missing; the equity and alert topics always get 1. Existing "
                                + "interactions and profiles topics must have this many (checked at start): segment windows wait for a "
                                + "watermark from each interactions partition.")
                .define(TOPIC_REPLICATION_FACTOR_CONFIG, Type.SHORT, (short) 3, Range.atLeast(1), Importance.MEDIUM,
                        "Replication of the topics the app creates and of Kafka Streams' internal topics: your cluster's.")
                .define(WINDOW_SIZE_CONFIG, Type.STRING, "1h", Validators.durationAtLeast(1), Importance.MEDIUM,
                        "Customer window length; a whole multiple of window.advance.")
                .define(WINDOW_ADVANCE_CONFIG, Type.STRING, "15m", Validators.durationAtLeast(1), Importance.MEDIUM,
                        "Customer window hop (<= window.size).")
                .define(WINDOW_GRACE_CONFIG, Type.STRING, "10m", Validators.durationAtLeast(0), Importance.MEDIUM,
                        "How far behind stream time an event may arrive and still be counted on time, in the windows it "
                                + "belongs to before they close; later (up to late.horizon) it is counted late, as a revision.")
                .define(SEGMENT_WINDOW_GRACE_CONFIG, Type.STRING, "1h", Validators.durationAtLeast(0), Importance.LOW,
                        "How long a segment window is kept, for queries, once every interactions partition has emitted its customer "
                                + "windows (its watermark passed the window end); it is kept max(segment.window.grace, late.horizon), so that a "
                                + "late event still finds it. Customer windows are never dropped for lateness.")
                .define(LATE_HORIZON_CONFIG, Type.STRING, "7d", Validators.durationAtLeast(0), Importance.MEDIUM,
                        "How far behind stream time an event may arrive and still count (>= window.grace): beyond window.grace "
                                + "it counts in equity at once and re-emits its closed customer and segment windows as revisions; "
                                + "beyond this it is a TOO_LATE dead letter. Ids and closed panes are kept this long on disk.")
                .define(DEDUP_HORIZON_CONFIG, Type.STRING, "2h", Validators.durationAtLeast(1), Importance.LOW,
                        "An event id seen again for the same customer within this much event time counts once.")
                .define(EVENT_MAX_FUTURE_SKEW_CONFIG, Type.STRING, "1h", Validators.durationAtLeast(0), Importance.LOW,
                        "Events further ahead of the wall clock are FUTURE_EVENT_TIME dead letters.")
                // Produce-to-equity latency is about this flush wait plus two exactly-once commits
                // (pre-aggregate -> repartition -> fold). 250ms keeps p99 under 1 s at 20k events/s on
                // the benchmark machine (docs/benchmark.md); each task then sends at most 4 small
                // delta records a second.
                .define(EQUITY_FLUSH_INTERVAL_CONFIG, Type.STRING, "250ms", Validators.durationAtLeast(1), Importance.LOW,
                        "Wall-clock interval at which each task folds its pending experience into the brand.")
                // Segment names are free strings from the profiles: uncapped, a flood of names grew the
                // equity record (and its changelog and repartition records) without bound (issue 21).
                // The equity record writes a segment's name once per cell and per two-way view, about
                // 16 KB per segment when a segment has experience at all 152 touchpoint x stage pairs
                // under a name of the longest length (FieldLimits): 32 segments, the configured ones and
                // other stay under the brokers' default 1 MiB (WorstCaseRecordSizeTest). Above it, raise
                // max.message.bytes on the equity topic and the equity stores' changelogs first.
                .define(EQUITY_MAX_SEGMENTS_CONFIG, Type.INT, 32, Range.between(1, 10_000), Importance.LOW,
                        "Most segments brand equity keeps cells of their own for, besides those named in model.segment.weights "
                                + "and unassigned; beyond it, the smallest names (in String order) are kept and every other "
                                + "segment's contributions are summed into segment \"other\". Totals, touchpoints and stages are unchanged. "
                                + "Above the default, raise max.message.bytes on the brand-equity topic and the equity changelogs first "
                                + "(a segment can cost about 16 KB in the equity record).")
                // One point per boundary, each about 60 bytes per (segment, touchpoint, stage) cell on
                // disk: docs/benchmark.md has the size at the default retention.
                .define(EQUITY_HISTORY_INTERVAL_CONFIG, Type.STRING, "1h", Validators.durationAtLeast(1_000), Importance.MEDIUM,
                        "Event-time step of the equity history: at every boundary (epoch-aligned multiples of it) the brand's "
                                + "totals, index and every cell's contribution and volume are kept, valued at the boundary, for "
                                + "GET /equity/history and /equity/change. At least 1s; equity.history.retention / this is at most "
                                + HistoryPolicy.MAX_POINTS + " points.")
                .define(EQUITY_HISTORY_RETENTION_CONFIG, Type.STRING, "400d", Validators.durationAtLeast(1_000), Importance.MEDIUM,
                        "How much event time of equity history is kept (points older than the newest minus this are deleted); "
                                + "at least equity.history.interval.")
                .define(WARMUP_EVENTS_CONFIG, Type.INT, 5_000, Range.between(0, 1_000_000), Importance.LOW,
                        "Synthetic events run through the topology in memory (Kafka Streams' TopologyTestDriver: nothing is written "
                                + "to Kafka, the registry or the metrics) before the instance joins its group, so that the JIT has "
                                + "compiled the per-event path before the first real event; it delays the join by about a second or two. "
                                + "0 skips it.")
                .define(PROCESSING_GUARANTEE_CONFIG, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                        ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
                        "Kafka Streams processing guarantee.")
                // One stream thread per core: on the 2-core benchmark machine a second thread took the
                // pipeline from 62k to 72k events/s (docs/benchmark.md).
                .define(NUM_STREAM_THREADS_CONFIG, Type.INT, 2, Range.atLeast(1), Importance.MEDIUM,
                        "Stream threads per instance: one per core you give it. Tasks (one per input partition) are spread over them.")
                .define(NUM_STANDBY_REPLICAS_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM,
                        "Warm standby copies of state on other instances.")
                .define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, 100L, Range.atLeast(1), Importance.LOW,
                        "Commit (transaction) interval in milliseconds.")
                .define(STATE_DIR_CONFIG, Type.STRING, "/tmp/brand-equity-state", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "RocksDB state directory; keep it on a persistent volume in production.")
                // Loopback by default: nothing is reachable from other machines until the deployment
                // says so, and then it must bring credentials (metrics.auth.*, api.auth.*; docs/security.md).
                .define(METRICS_HOST_CONFIG, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Bind address of the Prometheus endpoint (/metrics, /health); this machine only by default. Any other "
                                + "address needs metrics.auth.basic.user and .password, or metrics.auth.anonymous=true.")
                .define(METRICS_PORT_CONFIG, Type.INT, 9404, Range.between(0, 65535), Importance.LOW,
                        "Port of the Prometheus endpoint; 0 picks a free one.")
                // Segment names are free strings from the profiles: one label value each would let a
                // producer create any number of Prometheus series. Unset (null) is told apart from empty.
                .define(METRICS_SEGMENTS_CONFIG, Type.LIST, null, Validators.segmentNames(), Importance.MEDIUM,
                        "Segments that get their own segment label on /metrics; every other segment is folded into "
                                + "segment=\"other\" (sums added, ratios recomputed from the summed parts). Unset = the segments "
                                + "named in model.segment.weights; empty = all folded. Topics and the query API keep every segment.")
                .define(API_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.LOW,
                        "Serve the query API (GET /equity, /equity/cells, /segments, /segments/{s}/windows, /customers/{id}/windows, /customers/{id}, "
                                + "/customers/at-risk).")
                .define(API_HOST_CONFIG, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Query API bind address; this machine only by default. Any other address (0.0.0.0 in a container) "
                                + "needs api.auth.tokens or api.auth.tokens.file, or api.auth.anonymous=true.")
                .define(API_PORT_CONFIG, Type.INT, 8080, Range.between(0, 65535), Importance.LOW,
                        "Query API port; 0 picks a free one.")
                .define(API_ADVERTISED_HOST_CONFIG, Type.STRING, "", Importance.MEDIUM,
                        "Host other instances reach this one at (Kafka Streams' application.server, with api.port); "
                                + "empty = api.host unless it is a wildcard, else this machine's host name.");
        defineSecurity(d);
        defineHttp(d);
        ModelKeys.define(d);
        AlertKeys.define(d);
        ClosedLoopKeys.define(d);
        DriverKeys.define(d);
        return d;
    }

    /**
     * Authentication and TLS of the registry client, the query API and the metrics endpoint
     * (docs/security.md). Secrets are PASSWORD keys, masked by {@code config --effective}; each can
     * also come from the environment ({@code BRANDEQUITY_API_AUTH_TOKENS}) or, for tokens, a file.
     */
    private static void defineSecurity(ConfigDef d) {
        d.define(SCHEMA_REGISTRY_BASIC_USER_CONFIG, Type.STRING, "", Validators.basicAuthUser(), Importance.MEDIUM,
                        "Basic auth user for the schema registry (with schema.registry.auth.basic.password); overrides user info "
                                + "in schema.registry.url.")
                .define(SCHEMA_REGISTRY_BASIC_PASSWORD_CONFIG, Type.PASSWORD, "", Validators.noControlCharacters(), Importance.MEDIUM,
                        "Basic auth password for the schema registry.")
                .define(SCHEMA_REGISTRY_BEARER_TOKEN_CONFIG, Type.PASSWORD, "", Validators.bearerToken(), Importance.MEDIUM,
                        "Sent to the schema registry as Authorization: Bearer (instead of basic auth).")
                .define(SCHEMA_REGISTRY_BEARER_TOKEN_FILE_CONFIG, Type.STRING, "", Validators.readableFileOrEmpty(), Importance.MEDIUM,
                        "File holding the registry's bearer token (read at start, surrounding whitespace ignored), "
                                + "instead of schema.registry.auth.bearer.token.")
                .define(SCHEMA_REGISTRY_TRUSTSTORE_LOCATION_CONFIG, Type.STRING, "", Validators.readableFileOrEmpty(), Importance.MEDIUM,
                        "Trust store with the certificates that sign an https registry's; empty = the JVM's default CAs.")
                .define(SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD_CONFIG, Type.PASSWORD, "", Validators.noControlCharacters(), Importance.MEDIUM,
                        "Password of schema.registry.ssl.truststore.location.")
                .define(SCHEMA_REGISTRY_TRUSTSTORE_TYPE_CONFIG, Type.STRING, STORE_TYPE_DEFAULT,
                        ConfigDef.CaseInsensitiveValidString.in("JKS", "PKCS12"), Importance.LOW,
                        "Format of schema.registry.ssl.truststore.location.")
                .define(SCHEMA_REGISTRY_AUTO_REGISTER_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM,
                        "Register the schemas the pipeline writes; false = only look their ids up (POST /subjects/{subject}) and "
                                + "fail naming the subject when it lacks the schema, for registries where only CI may register.")
                .define(API_AUTH_TOKENS_CONFIG, Type.PASSWORD, "", Validators.tokenList(), Importance.MEDIUM,
                        "Bearer tokens the query API accepts (comma-separated); when set, every endpoint but /health requires "
                                + "one, and instances forward with the first.")
                .define(API_AUTH_TOKENS_FILE_CONFIG, Type.STRING, "", Validators.readableFileOrEmpty(), Importance.MEDIUM,
                        "File of bearer tokens the query API accepts, one a line, instead of api.auth.tokens.")
                .define(API_TLS_KEYSTORE_LOCATION_CONFIG, Type.STRING, "", Validators.readableFileOrEmpty(), Importance.MEDIUM,
                        "Key store with the query API's key and certificate: when set, the API serves https only and "
                                + "forwards to other instances over https.")
                .define(API_TLS_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, "", Validators.noControlCharacters(), Importance.MEDIUM,
                        "Password of api.tls.keystore.location and of the key in it.")
                .define(API_TLS_KEYSTORE_TYPE_CONFIG, Type.STRING, STORE_TYPE_DEFAULT,
                        ConfigDef.CaseInsensitiveValidString.in("JKS", "PKCS12"), Importance.LOW,
                        "Format of api.tls.keystore.location.")
                .define(API_TLS_TRUSTSTORE_LOCATION_CONFIG, Type.STRING, "", Validators.readableFileOrEmpty(), Importance.LOW,
                        "Trust store for forwarding to other instances over https; empty = trust the certificates of "
                                + "api.tls.keystore.location (every instance with the same certificate).")
                .define(API_TLS_TRUSTSTORE_PASSWORD_CONFIG, Type.PASSWORD, "", Validators.noControlCharacters(), Importance.LOW,
                        "Password of api.tls.truststore.location.")
                .define(API_TLS_TRUSTSTORE_TYPE_CONFIG, Type.STRING, STORE_TYPE_DEFAULT,
                        ConfigDef.CaseInsensitiveValidString.in("JKS", "PKCS12"), Importance.LOW,
                        "Format of api.tls.truststore.location.")
                .define(METRICS_BASIC_USER_CONFIG, Type.STRING, "", Validators.basicAuthUser(), Importance.LOW,
                        "Basic auth user /metrics requires (Prometheus: basic_auth); empty = open. /health stays open.")
                .define(METRICS_BASIC_PASSWORD_CONFIG, Type.PASSWORD, "", Validators.noControlCharacters(), Importance.LOW,
                        "Basic auth password /metrics requires, with metrics.auth.basic.user.")
                .define(API_AUTH_ANONYMOUS_CONFIG, Type.BOOLEAN, false, Importance.HIGH,
                        "true = serve the query API on a non-loopback api.host without bearer tokens, on purpose; "
                                + "false = such a start is refused (exit 2).")
                .define(METRICS_AUTH_ANONYMOUS_CONFIG, Type.BOOLEAN, false, Importance.HIGH,
                        "true = serve /metrics on a non-loopback metrics.host without basic auth, on purpose; "
                                + "false = such a start is refused (exit 2).");
    }

    /**
     * Limits of every HTTP port (ingestion, query API, metrics; each port gets its own): what a
     * client that connects and then sends nothing, or little, can take (docs/security.md).
     */
    private static void defineHttp(ConfigDef d) {
        // Request threads are only needed while a request is handled: Jetty waits for headers and
        // bodies without one, so a few dozen serve a busy port and bound what a flood can start.
        d.define(HTTP_MAX_THREADS_CONFIG, Type.INT, HttpLimits.DEFAULTS.maxThreads(),
                        Range.atLeast(HttpLimits.MIN_THREADS), Importance.LOW,
                        "Request threads of each HTTP port (ingestion, query API, metrics): a bounded pool.")
                .define(HTTP_MAX_CONNECTIONS_CONFIG, Type.INT, HttpLimits.DEFAULTS.maxConnections(),
                        Range.atLeast(1), Importance.LOW,
                        "Open connections each HTTP port accepts; at the limit it accepts no more until one closes, and idle "
                                + "connections are closed after http.idle.timeout.at.limit.")
                .define(HTTP_IDLE_TIMEOUT_CONFIG, Type.STRING, "20s", Validators.durationAtLeast(1), Importance.LOW,
                        "A connection on which nothing arrives for this long is closed, whether in the middle of a request's "
                                + "headers or body or between requests; also the longest a write to a client may stall.")
                .define(HTTP_IDLE_TIMEOUT_AT_LIMIT_CONFIG, Type.STRING, "2s", Validators.durationAtLeast(1), Importance.LOW,
                        "The idle timeout of every connection of a port while it is at http.max.connections.");
    }

    /** The definitions of the http.* keys only, for readers of those keys alone (the ingestion service). */
    public static ConfigDef httpDefinition() {
        ConfigDef d = new ConfigDef();
        defineHttp(d);
        return d;
    }
}
