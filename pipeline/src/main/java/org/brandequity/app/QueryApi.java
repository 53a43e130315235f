package org.brandequity.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.brandequity.app.StoreQueries.Local;
import org.brandequity.app.StoreQueries.Located;
import org.brandequity.app.StoreQueries.NotFound;
import org.brandequity.app.StoreQueries.Remote;
import org.brandequity.app.StoreQueries.Unavailable;
import org.brandequity.config.PipelineConfig;
import org.brandequity.config.PipelineKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP layer of the interactive queries (see docs/queries.md): {@code GET /equity},
 * {@code /segments}, {@code /segments/{segment}/windows}, {@code /customers/{id}/windows},
 * {@code /customers/{id}}, {@code /customers/at-risk}, as JSON
 * on the JDK's HTTP server. Routing, status codes, headers and forwarding live here; finding the
 * owner, reading the stores and rendering records live in {@link StoreQueries}.
 *
 * <p>A query for a key another instance owns is forwarded to that instance's
 * {@code application.server}; {@code /segments} and {@code /customers/at-risk} collect every
 * instance's local part ({@code scope=local}). So any
 * instance answers any query. While ownership is moving (rebalance, dead owner not yet noticed),
 * the answer is 503 with {@code Retry-After}: the data is not lost, only not servable yet.
 *
 * <p>Security (docs/security.md): with {@code api.auth.tokens} set, every endpoint but
 * {@code GET /health} requires {@code Authorization: Bearer <token>} (401 with
 * {@code WWW-Authenticate: Bearer} when absent, 403 when wrong), and forwarded requests carry the
 * first token. With {@code api.tls.keystore.location} set, the API serves https only and forwards
 * over https, trusting {@code api.tls.truststore.*} or else the keystore's own certificates.
 */
public final class QueryApi implements AutoCloseable {
    /** Set on forwarded requests: a forwarded query is never forwarded again, so no loops while metadata is in flux. */
    static final String FORWARDED_HEADER = "X-BrandEquity-Forwarded-By";
    /** The instance (advertised host:port) whose state store answered. */
    static final String SERVED_BY_HEADER = "X-BrandEquity-Served-By";
    static final int RETRY_AFTER_SECONDS = 2;
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(QueryApi.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final String scheme;
    private final List<Password> tokens;
    private final ObjectMapper json = new ObjectMapper();
    private StoreQueries queries;
    private HostInfo self;
    private KafkaStreams streams;

    private QueryApi(HttpServer server, SSLContext tls, List<Password> tokens) {
        this.server = server;
        this.scheme = tls == null ? "http" : "https";
        this.tokens = List.copyOf(tokens);
        HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2));
        if (tls != null) client.sslContext(tls);
        this.client = client.build();
        // Several threads: a handler blocked forwarding to another instance must not stall this
        // instance's own answers, or two instances forwarding to each other would wait on each other.
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "query-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
    }

    /**
     * Binds the port without serving yet: with {@code api.port=0} the port is known only once bound,
     * and Kafka Streams must be configured with it ({@code application.server}) before it starts.
     * Over https when {@code api} has a keystore; requiring a bearer token when it has tokens.
     */
    public static QueryApi bind(PipelineConfig.Api api) {
        List<Password> tokens = api.tokenList();
        SSLContext tls = tls(api);
        InetSocketAddress address = new InetSocketAddress(api.host(), api.port());
        try {
            HttpServer server;
            if (tls == null) {
                server = HttpServer.create(address, 0);
            } else {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
            return new QueryApi(server, tls, tokens);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the query API on " + api.host() + ":" + api.port() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The API's TLS context, or null without a keystore.
     *
     * @throws IllegalArgumentException naming the key and the file, for a keystore or truststore that cannot be read
     */
    static SSLContext tls(PipelineConfig.Api api) {
        return api.tls() ? Tls.serving(api.keystore(), PipelineKeys.API_TLS_KEYSTORE_LOCATION_CONFIG,
                api.truststore(), PipelineKeys.API_TLS_TRUSTSTORE_LOCATION_CONFIG) : null;
    }

    /** {@code https} when the API serves TLS, else {@code http}. */
    public String scheme() {
        return scheme;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Starts answering; {@code config.api()} must carry the bound port, as advertised to the group. */
    public void start(KafkaStreams streams, PipelineConfig config) {
        this.self = new HostInfo(config.api().effectiveAdvertisedHost(), config.api().port());
        this.queries = new StoreQueries(streams, config, self);
        this.streams = streams;
        HttpContext queries = server.createContext("/", this::handle);
        if (!tokens.isEmpty()) queries.setAuthenticator(new BearerAuthenticator(tokens));
        // Open, for load balancers and probes, which carry no token.
        server.createContext("/health", this::health);
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private record Reply(int status, byte[] body, String servedBy) {}

    private void handle(HttpExchange exchange) throws IOException {
        Reply reply;
        try {
            reply = "GET".equals(exchange.getRequestMethod()) ? route(exchange) : error(405, "only GET is supported");
        } catch (Unavailable | InvalidStateStoreException e) {
            reply = error(503, e.getMessage());
        } catch (NotFound e) {
            reply = error(404, e.getMessage());
        } catch (BadRequest e) {
            reply = error(400, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Query {} failed", exchange.getRequestURI(), e);
            reply = error(500, e.toString());
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (reply.servedBy() != null) exchange.getResponseHeaders().set(SERVED_BY_HEADER, reply.servedBy());
        if (reply.status() == 503) exchange.getResponseHeaders().set("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        exchange.sendResponseHeaders(reply.status(), reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        Reply reply;
        if (!"/health".equals(exchange.getRequestURI().getRawPath())) {
            reply = error(404, "no such endpoint; see docs/queries.md");
        } else {
            KafkaStreams.State state = streams.state();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("state", state.name());
            reply = new Reply(state.isRunningOrRebalancing() ? 200 : 503, bytes(body), null);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }

    /**
     * RFC 6750 bearer tokens on the JDK server's authentication hook (the JDK ships only a basic
     * authenticator); the check itself is {@link BearerTokens}', as in the ingestion service.
     */
    static final class BearerAuthenticator extends Authenticator {
        static final String CHALLENGE = "Bearer realm=\"brand-equity\"";
        private final BearerTokens tokens;

        BearerAuthenticator(List<Password> tokens) {
            this.tokens = BearerTokens.of(tokens.stream().map(Password::value).toList(), PipelineKeys.API_AUTH_TOKENS_CONFIG);
        }

        @Override
        public Result authenticate(HttpExchange exchange) {
            switch (tokens.check(exchange.getRequestHeaders().getFirst("Authorization"))) {
                case MISSING:
                    exchange.getResponseHeaders().set("WWW-Authenticate", CHALLENGE);
                    return new Retry(401);
                case WRONG:
                    return new Failure(403);
                default:
                    return new Success(new HttpPrincipal("bearer", "brand-equity"));
            }
        }
    }

    private Reply route(HttpExchange exchange) {
        List<String> path = Arrays.stream(exchange.getRequestURI().getRawPath().split("/"))
                .filter(s -> !s.isEmpty()).map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
        queries.requireRunning();
        if (path.equals(List.of("equity"))) {
            return answer(exchange, queries.equity());
        }
        if (path.equals(List.of("segments"))) {
            boolean localOnly = "scope=local".equals(exchange.getRequestURI().getRawQuery());
            return ok(localOnly ? queries.localLatestSegmentWindows() : queries.allLatestSegmentWindows(this::remoteList));
        }
        if (path.equals(List.of("customers", "at-risk"))) {
            Map<String, String> params = params(exchange.getRequestURI().getRawQuery());
            String segment = params.get("segment");
            int limit = limit(params.get("limit"));
            if (params.get("scope") != null && !"local".equals(params.get("scope"))) return error(400, "scope must be local");
            return ok("local".equals(params.get("scope")) ? queries.localAtRisk(segment, limit)
                    : queries.allAtRisk(segment, limit, host -> remoteAtRisk(host, segment, limit)));
        }
        if (path.size() == 2 && path.get(0).equals("customers")) {
            return answer(exchange, queries.customer(path.get(1)));
        }
        if (path.size() == 3 && path.get(2).equals("windows")) {
            String key = path.get(1);
            if (path.get(0).equals("segments")) return answer(exchange, queries.segmentWindows(key));
            if (path.get(0).equals("customers")) return answer(exchange, queries.customerWindows(key));
        }
        return error(404, "no such endpoint; see docs/queries.md");
    }

    /** The local answer, or the owner's answer relayed as it came (status, body, served-by). */
    private Reply answer(HttpExchange exchange, Located located) {
        if (located instanceof Local local) return ok(local.value());
        if (exchange.getRequestHeaders().containsKey(FORWARDED_HEADER)) {
            // The forwarding instance thought we own it and we think another does: a rebalance is under way.
            throw new Unavailable("ownership of this key is moving between instances");
        }
        return forward(((Remote) located).owner(), exchange.getRequestURI());
    }

    private Reply forward(HostInfo owner, URI uri) {
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://" + address(owner) + uri.getRawPath() + query))
                .header(FORWARDED_HEADER, address(self)).timeout(FORWARD_TIMEOUT).GET();
        // Every instance is configured with the same tokens; the first is the one instances use among themselves.
        if (!tokens.isEmpty()) request.header("Authorization", "Bearer " + tokens.get(0).value());
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.body(),
                    response.headers().firstValue(SERVED_BY_HEADER).orElse(address(owner)));
        } catch (IOException e) {
            // A crashed owner keeps its partitions until the group's session timeout expires.
            throw new Unavailable("instance " + address(owner) + " owning this key does not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while forwarding to " + address(owner));
        }
    }

    /** Default and largest {@code limit} of {@code /customers/at-risk}. */
    static final int AT_RISK_DEFAULT_LIMIT = 100;
    static final int AT_RISK_MAX_LIMIT = 10_000;

    private static int limit(String text) {
        if (text == null) return AT_RISK_DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= AT_RISK_MAX_LIMIT) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadRequest("limit must be a whole number from 1 to " + AT_RISK_MAX_LIMIT);
    }

    /** A query string's parameters, decoded; the first value of a repeated one wins. */
    static Map<String, String> params(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return params;
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    /** A request the API cannot answer as asked: 400. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** Another instance's {@code /customers/at-risk?scope=local}, with the same segment and limit. */
    private List<?> remoteAtRisk(HostInfo host, String segment, int limit) {
        String query = "scope=local&limit=" + limit
                + (segment == null ? "" : "&segment=" + java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8));
        return remoteList(host, URI.create("/customers/at-risk?" + query));
    }

    /** Another instance's {@code /segments?scope=local}. */
    private List<?> remoteList(HostInfo host) {
        return remoteList(host, URI.create("/segments?scope=local"));
    }

    /** Another instance's local part of a cluster-wide list. */
    private List<?> remoteList(HostInfo host, URI localPart) {
        Reply reply = forward(host, localPart);
        if (reply.status() == 503) throw new Unavailable("instance " + address(host) + " is not ready to answer");
        if (reply.status() != 200) throw new IllegalStateException("instance " + address(host) + " answered " + reply.status());
        try {
            return json.readValue(reply.body(), List.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Reply ok(Object body) {
        return new Reply(200, bytes(body), address(self));
    }

    private Reply error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return new Reply(status, bytes(body), null);
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String address(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}
