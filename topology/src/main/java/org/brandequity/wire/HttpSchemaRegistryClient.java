package org.brandequity.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API, using only the
 * documented endpoints and JSON fields so that Confluent Schema Registry, Apicurio (ccompat API,
 * base URL ending in {@code /apis/ccompat/v7}), Karapace and Redpanda all serve it.
 *
 * <p>Authentication: basic auth (URL user info or {@link Builder#basicAuth}) or a bearer token
 * ({@link Builder#bearerToken}); TLS trusts the JVM's CAs or a given {@link SSLContext}. With
 * {@link Builder#autoRegister autoRegister(false)} the client never registers: it looks the id of a
 * schema up under its subject ({@code POST /subjects/{subject}}, the Confluent API's "is this schema
 * registered under this subject" call) and fails naming the subject when it is not there.
 *
 * <p>Registered ids and fetched schemas are cached for the life of the client: the registry never
 * changes the schema behind an id, so the cache needs no expiry. Concurrent callers asking for the
 * same entry share one request.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

    static final int SCHEMA_NOT_FOUND = 40403;
    static final int SUBJECT_NOT_FOUND = 40401;

    private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String authorization;
    private final boolean autoRegister;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final HttpClient http;

    private final ConcurrentHashMap<SubjectSchema, CompletableFuture<Integer>> idsBySubjectSchema =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, CompletableFuture<Schema>> schemasById = new ConcurrentHashMap<>();

    /** A client with the default timeouts and retries; credentials may be given as URL user info. */
    public HttpSchemaRegistryClient(String baseUrl) {
        this(builder(baseUrl));
    }

    private HttpSchemaRegistryClient(Builder builder) {
        URI uri = parseBaseUrl(builder.baseUrl);
        String userInfo = builder.userInfo != null ? builder.userInfo
                : uri.getRawUserInfo() == null ? null : decodePercent(uri.getRawUserInfo());
        this.baseUrl = withoutUserInfoAndTrailingSlash(uri);
        if (builder.bearerToken != null && builder.userInfo != null) {
            throw new IllegalArgumentException("Schema registry client: basic auth or a bearer token, not both");
        }
        this.authorization = builder.bearerToken != null ? "Bearer " + builder.bearerToken
                : userInfo == null || userInfo.isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        this.autoRegister = builder.autoRegister;
        this.requestTimeout = builder.requestTimeout;
        this.maxAttempts = builder.maxAttempts;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        HttpClient.Builder http = HttpClient.newBuilder();
        if (builder.sslContext != null) http.sslContext(builder.sslContext);
        this.http = http
                .connectTimeout(builder.connectTimeout)
                // Cleartext HTTP/2 upgrade headers confuse some registries and proxies; the API is plain HTTP/1.1.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public static Builder builder(String baseUrl) {
        return new Builder(baseUrl);
    }

    /** The base URL requests go to, without credentials and without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        return memoize(idsBySubjectSchema, new SubjectSchema(subject, schema), () -> {
            int id = autoRegister ? doRegister(subject, schema) : lookUp(subject, schema);
            // The registry just said this id is this schema: spare the reader a fetch.
            schemasById.putIfAbsent(id, CompletableFuture.completedFuture(schema));
            return id;
        });
    }

    @Override
    public Schema schemaById(int id) {
        return memoize(schemasById, id, () -> fetchSchema(id));
    }

    /**
     * Tries a 409 (conflict) answer again before reporting it as an incompatible schema: when two
     * clients register the first schema of a new subject at the same moment (two instances, or two
     * tasks of one, writing their first record to a repartition topic), Apicurio answers the loser
     * 409 "artifact already exists"; asked again, it finds the subject and answers with the id.
     * A really incompatible schema is refused every time.
     */
    private static final int CONFLICT_ATTEMPTS = 3;
    private static final long CONFLICT_BACKOFF_MS = 100;

    private int doRegister(String subject, Schema schema) {
        String what = "the registration of schema " + schema.getFullName();
        Answer answer = send("POST", "/subjects/" + pathSegment(subject) + "/versions",
                schemaBody(schema), subject, what);
        for (int attempt = 1; answer.status == 409 && attempt < CONFLICT_ATTEMPTS; attempt++) {
            try {
                Thread.sleep(CONFLICT_BACKOFF_MS * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            answer = send("POST", "/subjects/" + pathSegment(subject) + "/versions", schemaBody(schema), subject, what);
        }
        if (answer.status == 200) {
            JsonNode id = answer.json(this, subject, what).get("id");
            if (id == null || !id.canConvertToInt()) {
                throw answer.unexpected(this, subject, what, "no integer id field");
            }
            return id.intValue();
        }
        if (answer.status == 409) {
            throw new SchemaRegistryException("Schema registry " + baseUrl + " refused schema "
                    + schema.getFullName() + " for subject " + subject
                    + ": incompatible with the subject's latest version under its compatibility level (HTTP 409"
                    + answer.detail() + ")", baseUrl, subject, answer.status, answer.errorCode, null);
        }
        throw answer.failure(this, subject, what);
    }

    /** The id of {@code schema} under {@code subject}, registered by someone else (auto-register off). */
    private int lookUp(String subject, Schema schema) {
        String what = "the lookup of schema " + schema.getFullName();
        Answer answer = send("POST", "/subjects/" + pathSegment(subject), schemaBody(schema), subject, what);
        if (answer.status == 404 && (answer.errorCode == SUBJECT_NOT_FOUND || answer.errorCode == SCHEMA_NOT_FOUND)) {
            throw new SchemaRegistryException("Schema registry " + baseUrl + " has no schema " + schema.getFullName()
                    + " under subject " + subject + " and auto-registration is off (schema.registry.auto.register=false):"
                    + " register it first (HTTP 404" + answer.detail() + ")", baseUrl, subject, answer.status,
                    answer.errorCode, null);
        }
        if (answer.status != 200) {
            throw answer.failure(this, subject, what);
        }
        JsonNode id = answer.json(this, subject, what).get("id");
        if (id == null || !id.canConvertToInt()) {
            throw answer.unexpected(this, subject, what, "no integer id field");
        }
        return id.intValue();
    }

    private Schema fetchSchema(int id) {
        String what = "the lookup of schema id " + id;
        Answer answer = send("GET", "/schemas/ids/" + id, null, null, what);
        if (answer.status == 404 && answer.errorCode == SCHEMA_NOT_FOUND) {
            throw new UnknownSchemaIdException(baseUrl, id, answer.status, answer.errorCode);
        }
        if (answer.status != 200) {
            throw answer.failure(this, null, what);
        }
        JsonNode json = answer.json(this, null, what);
        JsonNode type = json.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new SchemaParseException("Schema id " + id + " in " + baseUrl + " is a " + type.asText()
                    + " schema, not Avro");
        }
        JsonNode text = json.get("schema");
        if (text == null || !text.isTextual()) {
            throw answer.unexpected(this, null, what, "no schema field");
        }
        // Writer defaults play no part in decoding, so a default another tool got wrong must not block reading.
        return new Schema.Parser().setValidateDefaults(false).parse(text.textValue());
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private Answer send(String method, String path, String body, String subject, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpRequest built = request.build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if ((status >= 500 || status == 429) && attempt < maxAttempts) {
                    Duration pause = backoff(attempt, response.headers().firstValue("Retry-After").orElse(null));
                    LOG.warn("Schema registry {} answered HTTP {} to {}{}; attempt {} of {}, retrying in {} ms",
                            baseUrl, status, what, subject == null ? "" : " for subject " + subject, attempt,
                            maxAttempts, pause.toMillis());
                    sleep(pause, subject, what);
                    continue;
                }
                return new Answer(status, response.body(), attempt);
            } catch (SSLHandshakeException e) {
                // A certificate the client does not trust (or a protocol mismatch) is not transient: retrying cannot help.
                throw new SchemaRegistryException("TLS handshake with schema registry " + baseUrl + " failed for " + what
                        + (subject == null ? "" : " for subject " + subject) + ": " + handshakeProblem(e),
                        baseUrl, subject, SchemaRegistryException.NONE, SchemaRegistryException.NONE, e);
            } catch (IOException e) {
                if (attempt >= maxAttempts) {
                    throw new SchemaRegistryException("Schema registry " + baseUrl + " unreachable for " + what
                            + (subject == null ? "" : " for subject " + subject) + " after " + attempt
                            + " attempt(s): " + e, baseUrl, subject, SchemaRegistryException.NONE,
                            SchemaRegistryException.NONE, e);
                }
                Duration pause = backoff(attempt, null);
                LOG.warn("Schema registry {} unreachable for {}: {}; attempt {} of {}, retrying in {} ms",
                        baseUrl, what, e.toString(), attempt, maxAttempts, pause.toMillis());
                sleep(pause, subject, what);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while calling schema registry " + baseUrl + " for "
                        + what + (subject == null ? "" : " for subject " + subject), baseUrl, subject,
                        SchemaRegistryException.NONE, SchemaRegistryException.NONE, e);
            }
        }
    }

    /** The root cause of a failed handshake in one phrase, the untrusted-certificate case spelled out. */
    private static String handshakeProblem(SSLHandshakeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root instanceof java.security.cert.CertPathValidatorException
                || root.getClass().getName().endsWith("SunCertPathBuilderException")
                || root instanceof java.security.cert.CertificateException) {
            return "its certificate is not trusted (" + root.getMessage()
                    + "); give its CA in schema.registry.ssl.truststore.location";
        }
        return String.valueOf(root.getMessage());
    }

    /** Exponential backoff with jitter, so clients that failed together do not retry together. */
    private Duration backoff(int attempt, String retryAfter) {
        long max = maxBackoff.toMillis();
        long exponential = Math.min(max, initialBackoff.toMillis() << Math.min(attempt - 1, 20));
        long pause = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        if (retryAfter != null) {
            try {
                pause = Math.max(pause, Math.min(max, Long.parseLong(retryAfter.trim()) * 1000));
            } catch (NumberFormatException ignored) {
                // An HTTP-date Retry-After is legal but rare here; the computed backoff stands.
            }
        }
        return Duration.ofMillis(pause);
    }

    private void sleep(Duration pause, String subject, String what) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while waiting to retry schema registry " + baseUrl
                    + " for " + what + (subject == null ? "" : " for subject " + subject), baseUrl, subject,
                    SchemaRegistryException.NONE, SchemaRegistryException.NONE, e);
        }
    }

    /** Caches successes only, so a failed call is retried by the next caller. */
    private static <K, V> V memoize(ConcurrentHashMap<K, CompletableFuture<V>> cache, K key, Supplier<V> load) {
        CompletableFuture<V> future = cache.get(key);
        if (future == null) {
            CompletableFuture<V> mine = new CompletableFuture<>();
            future = cache.putIfAbsent(key, mine);
            if (future == null) {
                try {
                    V value = load.get();
                    mine.complete(value);
                    return value;
                } catch (RuntimeException | Error e) {
                    cache.remove(key, mine);
                    mine.completeExceptionally(e);
                    throw e;
                }
            }
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }

    private static URI parseBaseUrl(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        try {
            URI uri = new URI(baseUrl.trim());
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
                throw new IllegalArgumentException("Schema registry URL must be http(s)://host[:port][/path]: "
                        + redact(baseUrl));
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid schema registry URL: " + redact(baseUrl), e);
        }
    }

    private static String withoutUserInfoAndTrailingSlash(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
    }

    private static String redact(String url) {
        return url.replaceAll("//[^/@]*@", "//***@");
    }

    /** URL user info is percent-encoded; '+' is literal there, unlike in the forms URLDecoder is for. */
    private static String decodePercent(String userInfo) {
        return URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Percent-encodes a path segment (URLEncoder is for forms: it would turn spaces into '+'). */
    static String pathSegment(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out.toString();
    }

    private record SubjectSchema(String subject, Schema schema) {}

    /** One HTTP answer, with the registry's error_code and message when it sent a JSON error body. */
    private static final class Answer {
        final int status;
        final String body;
        final int attempts;
        final int errorCode;
        final String message;
        private JsonNode json;

        Answer(int status, String body, int attempts) {
            this.status = status;
            this.body = body;
            this.attempts = attempts;
            int code = SchemaRegistryException.NONE;
            String text = null;
            if (status >= 300 && body != null && !body.isEmpty()) {
                try {
                    JsonNode error = JSON.readTree(body);
                    if (error != null && error.path("error_code").canConvertToInt()) {
                        code = error.get("error_code").intValue();
                    }
                    if (error != null && error.path("message").isTextual()) {
                        text = error.get("message").textValue();
                    }
                } catch (IOException notJson) {
                    // Proxies and load balancers answer errors in HTML; the status alone must do.
                }
            }
            this.errorCode = code;
            this.message = text;
        }

        JsonNode json(HttpSchemaRegistryClient client, String subject, String what) {
            if (json == null) {
                try {
                    json = JSON.readTree(body);
                } catch (IOException e) {
                    throw unexpected(client, subject, what, "not JSON");
                }
                if (json == null || !json.isObject()) {
                    throw unexpected(client, subject, what, "not a JSON object");
                }
            }
            return json;
        }

        String detail() {
            return (errorCode == SchemaRegistryException.NONE ? "" : ", error code " + errorCode)
                    + (message == null ? "" : ": " + message);
        }

        SchemaRegistryException failure(HttpSchemaRegistryClient client, String subject, String what) {
            String hint = status == 401 ? (client.authorization == null ? " (it requires credentials: set schema.registry.auth.*)"
                    : " (credentials refused: check schema.registry.auth.*)")
                    : status == 403 ? " (these credentials lack the permission)" : "";
            return new SchemaRegistryException("Schema registry " + client.baseUrl + " answered HTTP " + status
                    + detail() + hint + " to " + what + (subject == null ? "" : " for subject " + subject)
                    + (attempts > 1 ? " after " + attempts + " attempts" : ""),
                    client.baseUrl, subject, status, errorCode, null);
        }

        SchemaRegistryException unexpected(
                HttpSchemaRegistryClient client, String subject, String what, String problem) {
            return new SchemaRegistryException("Schema registry " + client.baseUrl + " gave an unexpected answer to "
                    + what + (subject == null ? "" : " for subject " + subject) + " (HTTP " + status + ", "
                    + problem + ")", client.baseUrl, subject, status, errorCode, null);
        }
    }

    public static final class Builder {
        private final String baseUrl;
        private String userInfo;
        private String bearerToken;
        private SSLContext sslContext;
        private boolean autoRegister = true;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(2);

        private Builder(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        }

        /** Basic auth credentials as {@code user:password}; overrides user info in the URL. */
        public Builder basicAuth(String userInfo) {
            if (userInfo != null && !userInfo.contains(":")) {
                throw new IllegalArgumentException("Basic auth user info must be user:password");
            }
            this.userInfo = userInfo;
            return this;
        }

        /** Sends {@code Authorization: Bearer token} (instead of basic auth). */
        public Builder bearerToken(String token) {
            if (token != null && (token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c >= 127))) {
                throw new IllegalArgumentException("A bearer token is printable ASCII without spaces");
            }
            this.bearerToken = token;
            return this;
        }

        /** TLS settings for an https registry, e.g. trusting a private CA; default: the JVM's. */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /** false: never register, only look ids up under the subject, and fail naming it when the schema is absent. */
        public Builder autoRegister(boolean register) {
            this.autoRegister = register;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /** Attempts per request, the first included: 1 disables retries. */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** Backoff before the first retry; it doubles per retry up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = positive(initial, "initial backoff");
            this.maxBackoff = positive(max, "max backoff");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff " + max + " is below initial backoff " + initial);
            }
            return this;
        }

        public HttpSchemaRegistryClient build() {
            return new HttpSchemaRegistryClient(this);
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + duration);
            }
            return duration;
        }
    }
}
