package org.brandequity.ingest;

import static org.brandequity.config.IngestKeys.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.types.Password;
import org.brandequity.http.security.BearerTokens;
import org.brandequity.config.CommandKeys;
import org.brandequity.config.IngestKeys;
import org.brandequity.config.PipelineConfig;
import org.brandequity.config.PipelineConfig.Store;
import org.brandequity.config.HttpLimits;
import org.brandequity.config.Secrets;
import org.brandequity.model.Durations;

/**
 * The ingestion service's settings ({@link IngestKeys}), typed and validated once at start.
 *
 * @param host           bind address
 * @param port           port; 0 picks a free one
 * @param maxBodyBytes   largest request body (413 beyond)
 * @param maxItems       most items in one request (413 beyond)
 * @param requestTimeout longest wait for every acknowledgement (503 beyond)
 * @param tokens         accepted bearer tokens; none = authentication off
 * @param keystore       the key and certificate to serve https with; {@link Store#NONE} = plain http
 * @param metricsUser    the basic auth user {@code /metrics} requires; empty = open
 * @param metricsPassword its password (empty exactly when the user is)
 * @param anonymous      whether a non-loopback {@code host} may serve without credentials
 * @param http           the port's thread, connection and idle limits ({@code http.*})
 */
public record IngestConfig(String host, int port, int maxBodyBytes, int maxItems, Duration requestTimeout, BearerTokens tokens,
                           Store keystore, String metricsUser, Password metricsPassword, boolean anonymous, HttpLimits http) {

    /** Plain http, {@code /metrics} open, the default HTTP limits. */
    public IngestConfig(String host, int port, int maxBodyBytes, int maxItems, Duration requestTimeout, BearerTokens tokens) {
        this(host, port, maxBodyBytes, maxItems, requestTimeout, tokens, Store.NONE, "", new Password(""), false, HttpLimits.DEFAULTS);
    }

    /** Checks that relate several keys; the message names the keys, never a value. */
    public IngestConfig {
        if (metricsUser.isEmpty() != metricsPassword.value().isEmpty()) {
            throw new IllegalArgumentException("Invalid config: " + METRICS_BASIC_USER_CONFIG + " and " + METRICS_BASIC_PASSWORD_CONFIG
                    + " are set together or not at all");
        }
    }

    /** Whether the service serves https (only). */
    public boolean tls() {
        return keystore.isSet();
    }

    /** {@code https} or {@code http}. */
    public String scheme() {
        return tls() ? "https" : "http";
    }

    /**
     * Refuses a non-loopback {@code host} without bearer tokens and {@code /metrics} credentials,
     * unless {@code ingest.auth.anonymous}: one line naming the key to set.
     */
    public void requireCredentials() {
        org.brandequity.http.HttpServers.requireCredentials(HOST_CONFIG, host, tokens.enabled(), AUTH_TOKENS_CONFIG,
                AUTH_TOKENS_CONFIG + " (or " + AUTH_TOKENS_FILE_CONFIG + ")", AUTH_ANONYMOUS_CONFIG, anonymous);
        org.brandequity.http.HttpServers.requireCredentials(HOST_CONFIG, host, metricsAuthenticated(), METRICS_BASIC_USER_CONFIG,
                METRICS_BASIC_USER_CONFIG + " and " + METRICS_BASIC_PASSWORD_CONFIG, AUTH_ANONYMOUS_CONFIG, anonymous);
    }

    /** Whether {@code /metrics} requires basic auth. */
    public boolean metricsAuthenticated() {
        return !metricsUser.isEmpty();
    }

    /**
     * Reads the {@code ingest.*} keys of {@code values} (other keys are left to their readers), and
     * the token file if one is named.
     *
     * @throws IllegalArgumentException naming the key, for an invalid value or an unreadable or empty token file
     */
    public static IngestConfig fromMap(Map<String, String> values) {
        AbstractConfig c = CommandKeys.parse(IngestKeys.SECTION.definition(), values);
        List<String> tokens = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        List<Password> listed = Secrets.splitTokens(c.getPassword(AUTH_TOKENS_CONFIG));
        if (!listed.isEmpty()) {
            listed.forEach(t -> tokens.add(t.value()));
            sources.add(AUTH_TOKENS_CONFIG);
        }
        String file = c.getString(AUTH_TOKENS_FILE_CONFIG).trim();
        if (!file.isEmpty()) {
            List<Password> read = Secrets.readTokens(AUTH_TOKENS_FILE_CONFIG, Path.of(file));
            if (read.isEmpty()) throw new IllegalArgumentException(AUTH_TOKENS_FILE_CONFIG + ": " + file + " holds no token");
            read.forEach(t -> tokens.add(t.value()));
            sources.add(AUTH_TOKENS_FILE_CONFIG + " (" + file + ")");
        }
        return new IngestConfig(c.getString(HOST_CONFIG).trim(), c.getInt(PORT_CONFIG), c.getInt(MAX_BODY_BYTES_CONFIG),
                c.getInt(MAX_ITEMS_CONFIG), Durations.parse(REQUEST_TIMEOUT_CONFIG, c.getString(REQUEST_TIMEOUT_CONFIG)),
                tokens.isEmpty() ? BearerTokens.off() : BearerTokens.of(tokens, String.join(" and ", sources)),
                new Store(c.getString(TLS_KEYSTORE_LOCATION_CONFIG).trim(), c.getPassword(TLS_KEYSTORE_PASSWORD_CONFIG),
                        c.getString(TLS_KEYSTORE_TYPE_CONFIG).toUpperCase(java.util.Locale.ROOT)),
                c.getString(METRICS_BASIC_USER_CONFIG), c.getPassword(METRICS_BASIC_PASSWORD_CONFIG),
                c.getBoolean(AUTH_ANONYMOUS_CONFIG), PipelineConfig.httpLimits(values));
    }

    /** {@link #fromMap} of properties (the demo's merged settings). */
    public static IngestConfig fromProperties(java.util.Properties p) {
        Map<String, String> m = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return fromMap(m);
    }
}
