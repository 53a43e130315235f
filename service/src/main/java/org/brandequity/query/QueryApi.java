package org.brandequity.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.brandequity.config.HttpLimits;
import org.brandequity.config.PipelineConfig;
import org.brandequity.config.PipelineKeys;
import org.brandequity.console.Console;
import org.brandequity.console.ConsoleFeed;
import org.brandequity.http.HttpServers;
import org.brandequity.http.security.BearerTokens;
import org.brandequity.http.security.Tls;
import org.brandequity.query.KeyOwnership.Local;
import org.brandequity.query.KeyOwnership.Located;
import org.brandequity.query.KeyOwnership.Remote;
import org.brandequity.query.PeerClient.Reply;
import org.brandequity.topology.PipelineStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP layer of the interactive queries (see docs/queries.md): {@code GET /equity},
 * {@code /equity/cells}, {@code /equity/change}, {@code /equity/history}, {@code /segments/{segment}/change}, {@code /segments}, {@code /segments/{segment}/windows}, {@code /customers/{id}/windows},
 * {@code /customers/{id}}, {@code /customers/at-risk}, as JSON
 * on Javalin (Jetty), set up as every port of this project is ({@link HttpServers}). Binding, TLS, authentication,
 * routing, status codes and headers live here; finding the owner in {@link KeyOwnership}, asking it in
 * {@link PeerClient}, reading the stores and rendering records in {@link StoreQueries}.
 *
 * <p>A query for a key another instance owns is forwarded to that instance's
 * {@code application.server}; {@code /segments} and {@code /customers/at-risk} collect every
 * instance's local part ({@code scope=local}). So any
 * instance answers any query. While ownership is moving (rebalance, dead owner not yet noticed),
 * the answer is 503 with {@code Retry-After}: the data is not lost, only not servable yet.
 *
 * <p>Errors are {@code {"error": <message for the user>, "code": <problem code>}}: a 500 or 503 never
 * carries an exception's text or another instance's address; those go to this instance's log.
 *
 * <p>Security (docs/security.md): with {@code api.auth.tokens} set, every endpoint but
 * {@code GET /health} requires {@code Authorization: Bearer <token>} (401 with
 * {@code WWW-Authenticate: Bearer} when absent, 403 when wrong), and forwarded requests carry the
 * first token. With {@code api.tls.keystore.location} set, the API serves https only and forwards
 * over https, trusting {@code api.tls.truststore.*} or else the keystore's own certificates.
 */
public final class QueryApi implements AutoCloseable {
    /** Set on forwarded requests: a forwarded query is never forwarded again, so no loops while metadata is in flux. */
    public static final String FORWARDED_HEADER = "X-BrandEquity-Forwarded-By";
    /** The instance (advertised host:port) whose state store answered. */
    public static final String SERVED_BY_HEADER = "X-BrandEquity-Served-By";
    static final int RETRY_AFTER_SECONDS = 2;
    private static final Logger log = LoggerFactory.getLogger(QueryApi.class);
    static final String CHALLENGE = "Bearer realm=\"brand-equity\"";

    /** Problem codes of error answers, one per kind of refusal. */
    static final String UNAVAILABLE = "UNAVAILABLE";
    static final String INTERNAL = "INTERNAL";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String BAD_REQUEST = "BAD_REQUEST";
    static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    static final String UNAUTHORIZED = "UNAUTHORIZED";
    static final String FORBIDDEN = "FORBIDDEN";

    private final Javalin app;
    private final PeerClient peers;
    private final BearerTokens accepted;
    private final ObjectMapper json = new ObjectMapper();
    // Set by start(); until then every query is 503 and /health says NOT_STARTED.
    private volatile StoreQueries queries;
    private volatile KeyOwnership owners;
    private volatile HostInfo self;
    private volatile KafkaStreams streams;
    private volatile ConsoleFeed feed;

    private QueryApi(PipelineConfig.Api api, HttpLimits limits, SSLContext tls, List<Password> tokens) {
        this.peers = new PeerClient(tls, tokens);
        this.accepted = tokens.isEmpty() ? BearerTokens.off()
                : BearerTokens.of(tokens.stream().map(Password::value).toList(), PipelineKeys.API_AUTH_TOKENS_CONFIG);
        // Request threads from a bounded pool: a handler blocked forwarding to another instance must
        // not stall this instance's own answers, or two instances forwarding to each other would wait on each other.
        this.app = Javalin.create(c -> {
            HttpServers.configure(c, HttpServers.threadPool("query-api", limits), api.host(), api.port(), tls, limits);
            // Open, for load balancers and probes, which carry no token.
            c.routes.get("/health", this::health);
            if (accepted.enabled()) c.routes.before(this::authenticate);
            // The live console: its page at /, its assets and its event stream (docs/console.md).
            Console.mount(c, () -> feed);
            c.routes.get("/*", this::handle);
            for (HandlerType method : List.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
                c.routes.addHttpHandler(method, "/", this::handle);
                c.routes.addHttpHandler(method, "/*", this::handle);
            }
        });
    }

    /**
     * Binds the port (answering 503 until {@link #start}): with {@code api.port=0} the port is known
     * only once bound, and Kafka Streams must be configured with it ({@code application.server})
     * before it starts. Over https when {@code api} has a keystore; requiring a bearer token when it has tokens.
     *
     * @throws IllegalArgumentException one line naming the key, for a non-loopback host without
     *     credentials, an unreadable keystore or a port in use
     */
    public static QueryApi bind(PipelineConfig.Api api, HttpLimits limits) {
        requireCredentials(api);
        List<Password> tokens = api.tokenList();
        SSLContext tls = tls(api);
        QueryApi queryApi = new QueryApi(api, limits, tls, tokens);
        HttpServers.start(queryApi.app, api.host(), api.port(), PipelineKeys.API_PORT_CONFIG);
        return queryApi;
    }

    /** {@link #bind(PipelineConfig.Api, HttpLimits)} with the default limits. */
    public static QueryApi bind(PipelineConfig.Api api) {
        return bind(api, HttpLimits.DEFAULTS);
    }

    /** A non-loopback {@code api.host} without tokens is refused unless {@code api.auth.anonymous}. */
    public static void requireCredentials(PipelineConfig.Api api) {
        HttpServers.requireCredentials(PipelineKeys.API_HOST_CONFIG, api.host(), api.authenticated(), PipelineKeys.API_AUTH_TOKENS_CONFIG,
                PipelineKeys.API_AUTH_TOKENS_CONFIG + " (or " + PipelineKeys.API_AUTH_TOKENS_FILE_CONFIG + ")",
                PipelineKeys.API_AUTH_ANONYMOUS_CONFIG, api.anonymous());
    }

    /**
     * The API's TLS context, or null without a keystore.
     *
     * @throws IllegalArgumentException naming the key and the file, for a keystore or truststore that cannot be read
     */
    public static SSLContext tls(PipelineConfig.Api api) {
        return api.tls() ? Tls.serving(api.keystore(), PipelineKeys.API_TLS_KEYSTORE_LOCATION_CONFIG,
                api.truststore(), PipelineKeys.API_TLS_TRUSTSTORE_LOCATION_CONFIG) : null;
    }

    /** {@code https} when the API serves TLS, else {@code http}. */
    public String scheme() {
        return peers.scheme();
    }

    public int port() {
        return app.port();
    }

    /** Starts answering; {@code config.api()} must carry the bound port, as advertised to the group. */
    public void start(KafkaStreams streams, PipelineConfig config) {
        this.self = new HostInfo(config.api().effectiveAdvertisedHost(), config.api().port());
        this.streams = streams;
        PipelineStores stores = new PipelineStores(streams, config);
        this.owners = new KeyOwnership(streams, stores, self);
        this.queries = new StoreQueries(stores, owners, config);
        HostInfo me = self;
        this.feed = new ConsoleFeed(() -> scheme() + "://" + me.host() + ":" + me.port(),
                config.api().tokenList().isEmpty() ? null : config.api().tokenList().get(0).value(),
                () -> Console.panels(config.history()), Console.MAX_STREAMS, peers.tls());
    }

    @Override
    public void close() {
        if (feed != null) feed.close();
        app.stop();
    }

    /** RFC 6750 bearer tokens, checked by {@link BearerTokens} as in the ingestion service; {@code /health} stays open. */
    private void authenticate(Context ctx) {
        if ("/health".equals(ctx.path()) || Console.isAsset(ctx.path())) return;
        switch (accepted.check(ctx.header("Authorization"))) {
            case ALLOWED -> { }
            case MISSING -> {
                ctx.header("WWW-Authenticate", CHALLENGE);
                write(ctx, error(401, UNAUTHORIZED, "a bearer token is required: Authorization: Bearer <token>"));
                ctx.skipRemainingHandlers();
            }
            case WRONG -> {
                write(ctx, error(403, FORBIDDEN, "the bearer token is not accepted"));
                ctx.skipRemainingHandlers();
            }
        }
    }

    private void handle(Context ctx) {
        URI uri = URI.create(ctx.req().getRequestURI() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()));
        Reply reply;
        try {
            if (!"GET".equals(ctx.method().name())) {
                reply = error(405, METHOD_NOT_ALLOWED, "only GET is supported");
            } else if (queries == null) {
                reply = error(503, UNAVAILABLE, "this instance is starting; retry shortly");
            } else {
                reply = route(uri, ctx.header(FORWARDED_HEADER) != null);
            }
        } catch (Unavailable | InvalidStateStoreException e) {
            // The details (which instance, which store) are for the operator, not the user, who
            // learns to retry. At DEBUG: every query during a rebalance ends here, and a client
            // polling then must not fill the log; an instance that does not answer is logged by forward().
            log.debug("{} {}: 503, {}", ctx.method(), endpoint(uri), e.getMessage());
            reply = error(503, UNAVAILABLE, "the data is not servable right now (instances starting or rebalancing); retry shortly");
        } catch (NotFound e) {
            reply = error(404, NOT_FOUND, e.getMessage());
        } catch (QueryParameters.BadRequest e) {
            reply = error(400, BAD_REQUEST, e.getMessage());
        } catch (RuntimeException e) {
            // Logged with the endpoint, not the full path or query: those carry customer ids and filters.
            log.warn("Query {} failed", endpoint(uri), e);
            reply = error(500, INTERNAL, "the query failed on this instance; its log has the details");
        }
        if (reply.servedBy() != null) ctx.header(SERVED_BY_HEADER, reply.servedBy());
        if (reply.status() == 503) ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        write(ctx, reply);
    }

    /** The endpoint of {@code uri} for the log: its first path segment, never the ids or filters after it. */
    private static String endpoint(URI uri) {
        String path = uri.getRawPath() == null ? "/" : uri.getRawPath();
        int second = path.indexOf('/', 1);
        return second < 0 ? path : path.substring(0, second) + "/...";
    }

    private void health(Context ctx) {
        KafkaStreams streams = this.streams;
        Map<String, Object> body = new LinkedHashMap<>();
        if (streams == null) {
            body.put("state", "NOT_STARTED");
            write(ctx, new Reply(503, bytes(body), null));
            return;
        }
        KafkaStreams.State state = streams.state();
        body.put("state", state.name());
        write(ctx, new Reply(state.isRunningOrRebalancing() ? 200 : 503, bytes(body), null));
    }

    private static void write(Context ctx, Reply reply) {
        ctx.status(reply.status()).contentType("application/json").result(reply.body());
    }

    private Reply route(URI uri, boolean forwarded) {
        List<String> path = Arrays.stream(uri.getRawPath().split("/"))
                .filter(s -> !s.isEmpty()).map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
        // Checked before anything else: a malformed filter is 400 whatever the instance's state.
        EquityCellQuery cellQuery = path.equals(List.of("equity", "cells")) ? EquityCellQuery.parse(uri.getRawQuery()) : null;
        EquityHistoryQueries.Change change = path.equals(List.of("equity", "change"))
                ? EquityHistoryQueries.parseChange(uri.getRawQuery()) : null;
        EquityHistoryQueries.Series series = path.equals(List.of("equity", "history"))
                ? EquityHistoryQueries.parseSeries(uri.getRawQuery()) : null;
        SegmentChangeQuery segmentChange = path.size() == 3 && path.get(0).equals("segments") && path.get(2).equals("change")
                ? SegmentChangeQuery.parse(uri.getRawQuery()) : null;
        KeyDriverQuery drivers = path.equals(List.of("drivers")) ? KeyDriverQuery.parse(uri.getRawQuery()) : null;
        owners.requireRunning();
        if (drivers != null) return answer(uri, forwarded, queries.keyDrivers(drivers));
        if (change != null) return answer(uri, forwarded, queries.equityChange(change));
        if (series != null) return answer(uri, forwarded, queries.equityHistory(series));
        if (segmentChange != null) return answer(uri, forwarded, queries.segmentChange(path.get(1), segmentChange));
        if (path.equals(List.of("equity"))) {
            return answer(uri, forwarded, queries.equity());
        }
        if (cellQuery != null) {
            return answer(uri, forwarded, queries.equityCells(cellQuery));
        }
        if (path.equals(List.of("segments"))) {
            boolean localOnly = "scope=local".equals(uri.getRawQuery());
            return ok(localOnly ? queries.localLatestSegmentWindows() : queries.allLatestSegmentWindows(this::remoteList));
        }
        if (path.equals(List.of("customers", "at-risk"))) {
            Map<String, String> params = QueryParameters.parse(uri.getRawQuery(), AT_RISK_PARAMETERS);
            String segment = params.get("segment");
            int limit = QueryParameters.wholeNumber("limit", params.get("limit"), AT_RISK_DEFAULT_LIMIT, 1, AT_RISK_MAX_LIMIT);
            if (params.get("scope") != null && !"local".equals(params.get("scope"))) return error(400, BAD_REQUEST, "scope must be local");
            return ok("local".equals(params.get("scope")) ? queries.localAtRisk(segment, limit)
                    : queries.allAtRisk(segment, limit, host -> remoteAtRisk(host, segment, limit)));
        }
        if (path.size() == 2 && path.get(0).equals("customers")) {
            return answer(uri, forwarded, queries.customer(path.get(1)));
        }
        if (path.size() == 3 && path.get(2).equals("windows")) {
            String key = path.get(1);
            if (path.get(0).equals("segments")) return answer(uri, forwarded, queries.segmentWindows(key));
            if (path.get(0).equals("customers")) return answer(uri, forwarded, queries.customerWindows(key));
        }
        return error(404, NOT_FOUND, "no such endpoint; see docs/queries.md");
    }

    /** The local answer, or the owner's answer relayed as it came (status, body, served-by). */
    private Reply answer(URI uri, boolean forwarded, Located located) {
        if (located instanceof Local local) return ok(local.value());
        if (forwarded) {
            // The forwarding instance thought we own it and we think another does: a rebalance is under way.
            throw new Unavailable("ownership of this key is moving between instances");
        }
        return peers.forward(self, ((Remote) located).owner(), uri);
    }

    /** Default and largest {@code limit} of {@code /customers/at-risk}. */
    static final int AT_RISK_DEFAULT_LIMIT = 100;
    static final int AT_RISK_MAX_LIMIT = 10_000;
    private static final Set<String> AT_RISK_PARAMETERS = Set.of("segment", "limit", "scope");

    /** Another instance's {@code /customers/at-risk?scope=local}, with the same segment and limit. */
    private List<?> remoteAtRisk(HostInfo host, String segment, int limit) {
        String query = "scope=local&limit=" + limit
                + (segment == null ? "" : "&segment=" + java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8));
        return peers.localPart(self, host, URI.create("/customers/at-risk?" + query));
    }

    /** Another instance's {@code /segments?scope=local}. */
    private List<?> remoteList(HostInfo host) {
        return peers.localPart(self, host, URI.create("/segments?scope=local"));
    }

    private Reply ok(Object body) {
        return new Reply(200, bytes(body), PeerClient.address(self));
    }

    private Reply error(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("code", code);
        return new Reply(status, bytes(body), null);
    }

    private byte[] bytes(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
