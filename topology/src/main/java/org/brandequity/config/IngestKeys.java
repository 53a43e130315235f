package org.brandequity.config;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The keys of the HTTP ingestion service ({@code ingest}; docs/ingest.md), one definition each, in
 * the style of {@link PipelineKeys}. The command reads them with the pipeline's
 * ({@link #KEYS}), so one file serves {@code run} and {@code ingest}.
 */
public final class IngestKeys {
    public static final String HOST_CONFIG = "ingest.host";
    public static final String PORT_CONFIG = "ingest.port";
    public static final String MAX_BODY_BYTES_CONFIG = "ingest.max.body.bytes";
    public static final String MAX_ITEMS_CONFIG = "ingest.max.items";
    public static final String REQUEST_TIMEOUT_CONFIG = "ingest.request.timeout";
    public static final String AUTH_TOKENS_CONFIG = "ingest.auth.tokens";
    public static final String AUTH_TOKENS_FILE_CONFIG = "ingest.auth.tokens.file";
    public static final String TLS_KEYSTORE_LOCATION_CONFIG = "ingest.tls.keystore.location";
    public static final String TLS_KEYSTORE_PASSWORD_CONFIG = "ingest.tls.keystore.password";
    public static final String TLS_KEYSTORE_TYPE_CONFIG = "ingest.tls.keystore.type";
    public static final String METRICS_BASIC_USER_CONFIG = "ingest.metrics.auth.basic.user";
    public static final String METRICS_BASIC_PASSWORD_CONFIG = "ingest.metrics.auth.basic.password";
    public static final String AUTH_ANONYMOUS_CONFIG = "ingest.auth.anonymous";

    /** The service's section of the config table. */
    public static final ConfigSection SECTION = new ConfigSection("ingest", define(), List.of());

    /** What {@code ingest} reads: the pipeline's keys (cluster, registry, topics, kafka.*) and these. */
    public static final CommandKeys KEYS = PipelineKeys.KEYS.plus(SECTION);

    private IngestKeys() {}

    private static ConfigDef define() {
        return new ConfigDef()
                // Loopback by default, as the query API and metrics: see PipelineKeys.
                .define(HOST_CONFIG, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Bind address of the ingestion service; this machine only by default. Any other address needs "
                                + "ingest.auth.tokens (or ingest.auth.tokens.file) and ingest.metrics.auth.basic.*, "
                                + "or ingest.auth.anonymous=true.")
                .define(PORT_CONFIG, Type.INT, 8090, Range.between(0, 65535), Importance.MEDIUM,
                        "Port of the ingestion service (POST /v1/interactions, /v1/profiles; GET /health, /metrics); 0 picks a free one.")
                // 4 MiB holds about 10,000 interactions of a typical size (~300 bytes each as JSON),
                // so the two limits bind at about the same request.
                .define(MAX_BODY_BYTES_CONFIG, Type.INT, 4 * 1024 * 1024, Range.atLeast(1), Importance.MEDIUM,
                        "Largest request body in bytes; a larger one is refused with 413 before or while it is read.")
                .define(MAX_ITEMS_CONFIG, Type.INT, 10_000, Range.atLeast(1), Importance.MEDIUM,
                        "Most items (objects) in one request; more is refused with 413 and nothing is sent.")
                .define(REQUEST_TIMEOUT_CONFIG, Type.STRING, "10s", Validators.durationAtLeast(1), Importance.MEDIUM,
                        "How long a request waits for Kafka to acknowledge every record (and for the schema registry); "
                                + "past it the answer is 503 with Retry-After, and a retry of the same body counts once (event ids).")
                .define(AUTH_TOKENS_CONFIG, Type.PASSWORD, "", Importance.HIGH,
                        "Bearer tokens accepted, comma-separated; empty (and no ingest.auth.tokens.file) = no authentication. "
                                + "Never logged; set it from the environment (BRANDEQUITY_INGEST_AUTH_TOKENS) or use the file.")
                .define(AUTH_TOKENS_FILE_CONFIG, Type.STRING, "", Importance.HIGH,
                        "A file of bearer tokens, one a line (blank lines and # comments skipped), read at start; "
                                + "accepted besides ingest.auth.tokens. Empty = none.")
                // TLS and the metrics' basic auth as the query API has them (api.tls.*, metrics.auth.basic.*; docs/security.md).
                .define(TLS_KEYSTORE_LOCATION_CONFIG, Type.STRING, "", Validators.readableFileOrEmpty(), Importance.MEDIUM,
                        "Key store with the ingestion service's key and certificate: when set, the service serves https only "
                                + "(the same port; /health and /metrics too). Empty = plain http.")
                .define(TLS_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, "", Validators.noControlCharacters(), Importance.MEDIUM,
                        "Password of ingest.tls.keystore.location and of the key in it.")
                .define(TLS_KEYSTORE_TYPE_CONFIG, Type.STRING, PipelineKeys.STORE_TYPE_DEFAULT,
                        ConfigDef.CaseInsensitiveValidString.in("JKS", "PKCS12"), Importance.LOW,
                        "Format of ingest.tls.keystore.location.")
                .define(METRICS_BASIC_USER_CONFIG, Type.STRING, "", Validators.basicAuthUser(), Importance.LOW,
                        "Basic auth user the ingestion service's /metrics requires (Prometheus: basic_auth); empty = open. "
                                + "/health stays open.")
                .define(METRICS_BASIC_PASSWORD_CONFIG, Type.PASSWORD, "", Validators.noControlCharacters(), Importance.LOW,
                        "Basic auth password the ingestion service's /metrics requires, with ingest.metrics.auth.basic.user.")
                .define(AUTH_ANONYMOUS_CONFIG, Type.BOOLEAN, false, Importance.HIGH,
                        "true = serve on a non-loopback ingest.host without bearer tokens or /metrics credentials, on purpose; "
                                + "false = such a start is refused (exit 2).");
    }
}
