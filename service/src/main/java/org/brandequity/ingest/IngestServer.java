package org.brandequity.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.Serializer;
import org.brandequity.http.security.BasicCredentials;
import org.brandequity.http.security.Tls;
import org.brandequity.config.IngestKeys;
import org.brandequity.config.PipelineConfig;
import org.brandequity.http.HttpServers;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the ingestion service, on Javalin: {@code POST /v1/interactions} and
 * {@code POST /v1/profiles} (JSON object, array or NDJSON), {@code GET /health}, {@code GET /metrics}.
 *
 * <p>A request is all or nothing: every item is decoded and validated ({@link ContractCodec}, the
 * pipeline's own rules) before anything is sent; one invalid item refuses the request (400, the
 * first 100 problems listed, the rest counted). The body is read streamed ({@link JsonBodies}),
 * stopping at the first bound it passes. A valid request's records are serialized (registering the schema on first use),
 * sent, and answered 202 only once Kafka acknowledged every one ({@code acks=all}, idempotent
 * producer). Kafka or the registry not answering within {@code ingest.request.timeout}: 503 with
 * {@code Retry-After}; some records may still land later, and the client's retry of the same body
 * then counts once because the pipeline drops an event id it has seen (profiles are keyed by
 * customer: the same profile twice is the same state).
 *
 * <p>Threads: the request thread reads, decodes and validates, then hands the sending to Jetty's
 * pool and returns ({@code ctx.future}); the answer is written when the acknowledgements arrive or
 * the deadline passes, never on the producer's I/O thread.
 *
 * <p>Security (docs/security.md): with tokens, {@code /v1/*} requires a bearer token; with
 * {@code ingest.tls.keystore.location}, the one connector speaks https only; with
 * {@code ingest.metrics.auth.basic.user}, {@code /metrics} requires basic auth. {@code /health}
 * is always open, for load balancers and probes.
 */
public final class IngestServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** One ingestion route: the contract it reads, where it writes, how it serializes. */
    public record Route<T extends SpecificRecord>(String path, String topic, ContractCodec<T> codec, Serializer<T> serializer) {}

    private final IngestConfig config;
    private final Producer<String, byte[]> producer;
    private final PrometheusMeterRegistry meters;
    private final IngestMetrics metrics;
    private final LongSupplier clock;
    private final Javalin app;
    private final JsonBodies bodies;
    /** Jetty's request threads (bounded, {@code http.max.threads}); the sending and the answers run here too. */
    private final QueuedThreadPool workers;

    /**
     * Starts serving at once.
     *
     * @param routes   the ingestion routes ({@link IngestMetrics#INTERACTIONS}, {@link IngestMetrics#PROFILES})
     * @param producer sends the serialized records; closed by the owner after {@link #close}
     * @param meters   the registry {@code /metrics} renders; the service's meters are added to it
     * @param clock    epoch milliseconds, for the future-event-time check
     */
    public IngestServer(IngestConfig config, List<Route<?>> routes, Producer<String, byte[]> producer,
                        PrometheusMeterRegistry meters, LongSupplier clock) {
        this(config, tls(config), routes, producer, meters, clock);
    }

    /**
     * Starts serving at once, over https with {@code tls} ({@link #tls} of {@code config}, built
     * beforehand so that a bad keystore stops the service before it touches Kafka).
     */
    IngestServer(IngestConfig config, javax.net.ssl.SSLContext tls, List<Route<?>> routes, Producer<String, byte[]> producer,
                 PrometheusMeterRegistry meters, LongSupplier clock) {
        this.config = config;
        this.producer = producer;
        this.meters = meters;
        this.metrics = new IngestMetrics(meters);
        this.clock = clock;
        this.workers = HttpServers.threadPool("ingest-http", config.http());
        this.bodies = new JsonBodies(config.maxBodyBytes(), config.maxItems());
        long timeoutMs = config.requestTimeout().toMillis();
        BasicCredentials scrapers = config.metricsAuthenticated()
                ? new BasicCredentials(config.metricsUser(), config.metricsPassword()) : null;
        this.app = Javalin.create(c -> {
            // The setup every port shares: bounded pool, one connector (https only with tls), idle
            // timeout, connection limit.
            HttpServers.configure(c, workers, config.host(), config.port(), tls, config.http());
            // Javalin's bound for the bodies it reads itself (413 beyond, whatever Content-Length
            // says); the ingestion routes stream theirs and stop at the same bound (JsonBodies).
            c.http.maxRequestSize = config.maxBodyBytes();
            // Graceful stop, Jetty's way: stop accepting, let requests in flight (waiting for their
            // acknowledgements) finish for up to one request timeout and a margin, then close.
            c.jetty.modifyServer(server -> {
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(timeoutMs + 5_000);
            });
            c.requestLogger.http((ctx, ms) -> metrics.request(ctx.path(), ctx.statusCode(), Duration.ofNanos((long) (ms * 1e6))));
            c.routes.before("/v1/*", this::authenticate);
            if (scrapers != null) c.routes.before(IngestMetrics.METRICS, ctx -> authenticateScraper(ctx, scrapers));
            for (Route<?> route : routes) c.routes.post(route.path(), ctx -> ingest(ctx, route));
            c.routes.get(IngestMetrics.HEALTH, ctx -> json(ctx, 200, JSON.createObjectNode().put("status", "UP")));
            c.routes.get(IngestMetrics.METRICS, ctx -> ctx.status(200).contentType(PROMETHEUS_TEXT).result(meters.scrape()));
            c.routes.exception(Refusal.class, (e, ctx) -> refuse(ctx, e));
            c.routes.exception(BodyException.class, (e, ctx) -> refuse(ctx, new Refusal(e.status(), e.getMessage(), Map.of(),
                    e.status() == 400 ? e.problems() : List.of())));
            c.routes.exception(HttpResponseException.class, (e, ctx) -> json(ctx, e.getStatus(), error(e.getStatus() == 413
                    ? tooLarge() : e.getMessage())));
        });
        HttpServers.start(app, config.host(), config.port(), IngestKeys.PORT_CONFIG);
    }

    /**
     * The TLS context of {@code config}'s keystore, or null for plain http. A wrong password, type
     * or file is one line naming the key and the file, never the password. The context's trust
     * half is unused: clients present no certificate.
     */
    static javax.net.ssl.SSLContext tls(IngestConfig config) {
        return config.tls() ? Tls.serving(config.keystore(), IngestKeys.TLS_KEYSTORE_LOCATION_CONFIG,
                PipelineConfig.Store.NONE, IngestKeys.TLS_KEYSTORE_LOCATION_CONFIG) : null;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return app.port();
    }

    /** Base URL, {@code http://host:port} or {@code https://host:port}; a wildcard bind address is shown as {@code localhost}. */
    public String baseUrl() {
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
        return config.scheme() + "://" + host + ":" + port();
    }

    /** The interactions endpoint, as the start banners print it. */
    public String interactionsUrl() {
        return baseUrl() + IngestMetrics.INTERACTIONS;
    }

    /** Stops accepting, waits for requests in flight (up to the request timeout and a margin), then stops. */
    @Override
    public void close() {
        app.stop();
    }

    private void authenticate(Context ctx) {
        switch (config.tokens().check(ctx.header("Authorization"))) {
            case ALLOWED -> { }
            case MISSING -> throw new Refusal(401, "a bearer token is required: Authorization: Bearer <token>",
                    Map.of("WWW-Authenticate", "Bearer realm=\"brand-equity-ingest\""), List.of());
            case WRONG -> throw new Refusal(403, "the bearer token is not accepted", Map.of(), List.of());
        }
    }

    /** {@code /metrics} behind basic auth: 401 with the challenge Prometheus answers, for no, malformed or wrong credentials alike. */
    private static void authenticateScraper(Context ctx, BasicCredentials scrapers) {
        io.javalin.security.BasicAuthCredentials offered;
        try {
            offered = ctx.basicAuthCredentials();
        } catch (RuntimeException e) {
            offered = null; // not base64 or no ':': as good as none
        }
        if (offered == null || !scrapers.checkCredentials(offered.getUsername(), offered.getPassword())) {
            throw new Refusal(401, "basic auth credentials are required for /metrics",
                    Map.of("WWW-Authenticate", "Basic realm=\"metrics\", charset=\"UTF-8\""), List.of());
        }
    }

    private <T extends SpecificRecord> void ingest(Context ctx, Route<T> route) throws BodyException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxBodyBytes()) throw new Refusal(413, tooLarge(), Map.of(), List.of());
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        long now = clock.getAsLong();
        Problems problems = new Problems();
        // Streamed from the request: no copy of the body, no tree; stops at the first limit.
        java.io.InputStream body = ctx.bodyInputStream();
        JsonBodies.Read<T> read;
        try {
            read = bodies.read(body, ctx.contentType(), route.codec(), now, problems);
        } catch (BodyException | RuntimeException e) {
            swallowRest(body);
            throw e;
        }
        if (!problems.isEmpty()) {
            swallowRest(body);
            throw new Refusal(400, problems.invalidItems() + " of " + read.items() + " items are invalid; nothing was sent",
                    Map.of(), problems.listed(), problems.more());
        }
        List<T> records = read.records();
        ctx.future(() -> send(route, records, deadline)
                .handleAsync((sent, failure) -> {
                    if (failure == null) {
                        metrics.sent(route.topic(), sent);
                        json(ctx, 202, JSON.createObjectNode().put("accepted", sent));
                    } else {
                        answerFailure(ctx, route, unwrap(failure));
                    }
                    return null;
                }, workers));
    }

    /**
     * Reads and discards what is left of a refused request's body, up to {@code ingest.max.body.bytes}
     * in all, before the answer is written. Answering while the client is still sending makes Jetty
     * close the connection with the body unread, and the kernel then resets it: the client sees a
     * broken connection instead of its 400 (seen with 4 MB bodies refused at their first field).
     * Tomcat's {@code maxSwallowSize} does the same for the same reason; Jetty has no such setting,
     * so it is written here. A body over the limit is not swallowed past it.
     */
    private void swallowRest(java.io.InputStream body) {
        byte[] sink = new byte[8192];
        long left = config.maxBodyBytes();
        try {
            for (int n; left > 0 && (n = body.read(sink, 0, (int) Math.min(sink.length, left))) >= 0; ) left -= n;
        } catch (java.io.IOException | RuntimeException e) {
            // The client went away or the body broke off: nothing left to answer politely.
        }
    }

    /**
     * Serializes and sends {@code records} on a worker; completes with their number once every one
     * is acknowledged, exceptionally on the first failure or at {@code deadline}.
     */
    private <T extends SpecificRecord> CompletableFuture<Integer> send(Route<T> route, List<T> records, long deadline) {
        CompletableFuture<Integer> acked = new CompletableFuture<>();
        // The sending runs on Jetty's pool, not the request thread: waiting on a registry or on the
        // metadata of a broker that is down must not hold it past the deadline.
        workers.execute(() -> {
            // A request whose deadline passed while this waited for a worker was answered 503
            // already: sending it now would only add copies for the retry to make up for.
            if (acked.isDone()) return;
            try {
                List<byte[]> values = new ArrayList<>(records.size());
                // All serialized first: a registry that cannot register the schema fails the
                // request before any record is sent.
                for (T r : records) values.add(route.serializer().serialize(route.topic(), r));
                AtomicInteger pending = new AtomicInteger(records.size());
                for (int i = 0; i < records.size(); i++) {
                    producer.send(new ProducerRecord<>(route.topic(), route.codec().key(records.get(i)), values.get(i)), (meta, e) -> {
                        if (e != null) {
                            acked.completeExceptionally(e);
                        } else if (pending.decrementAndGet() == 0) {
                            acked.complete(records.size());
                        }
                    });
                }
            } catch (RuntimeException e) {
                acked.completeExceptionally(e);
            }
        });
        long left = Math.max(0, deadline - System.nanoTime());
        return acked.orTimeout(left, TimeUnit.NANOSECONDS);
    }

    private void answerFailure(Context ctx, Route<?> route, Throwable failure) {
        if (failure instanceof RecordTooLargeException) {
            // The broker's or producer's text names its limits and addresses: it goes to the log, not to the client.
            log.warn("{}: 413, a record was refused as too large: {}", route.path(), failure.getMessage());
            json(ctx, 413, error("a record is larger than Kafka accepts (producer max.request.size or the topic's max.message.bytes)")
                    .put("code", "RECORD_TOO_LARGE"));
            return;
        }
        if (unavailable(failure)) {
            log.warn("{}: 503, Kafka or the schema registry did not answer in time: {}", route.path(), failure.toString());
            // Ask the client to wait about as long as this request did before trying again.
            long retryAfter = Math.max(1, (config.requestTimeout().toMillis() + 999) / 1000);
            ctx.header("Retry-After", Long.toString(retryAfter));
            // The cause (exception, broker or registry address) is in the log above, not in the answer.
            json(ctx, 503, error("Kafka or the schema registry is unavailable; nothing is known to be stored: retry the same request after "
                    + retryAfter + " s, it will count once").put("code", "UNAVAILABLE"));
            return;
        }
        log.error("{}: 500, sending failed", route.path(), failure);
        json(ctx, 500, error("sending failed on this service; its log has the details").put("code", "INTERNAL"));
    }

    /**
     * Whether {@code failure} means "try again later": a deadline passed, Kafka reported a retriable
     * error, the registry failed, or the producer was shut down under the request.
     */
    static boolean unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof RetriableException
                    || t instanceof org.brandequity.wire.SchemaRegistryException
                    || t instanceof org.apache.kafka.common.errors.InterruptException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private void refuse(Context ctx, Refusal e) {
        e.headers.forEach(ctx::header);
        ObjectNode body = error(e.getMessage());
        if (!e.problems.isEmpty()) {
            // Counted for 400s only: they are the problems of items.
            String route = IngestMetrics.route(ctx.path());
            ArrayNode list = body.putArray("problems");
            for (Problem p : e.problems) {
                ObjectNode o = list.addObject();
                o.put("item", p.item());
                if (p.field() == null) o.putNull("field"); else o.put("field", p.field());
                o.put("code", p.code().name());
                o.put("reason", p.reason());
                metrics.problem(route, p.code());
            }
            // Beyond FieldLimits.PROBLEMS_LISTED_MAX, problems are counted, not listed: the answer stays small.
            if (e.more > 0) body.put("more", e.more);
        }
        json(ctx, e.status, body);
    }

    private String tooLarge() {
        return "the body is larger than " + config.maxBodyBytes() + " bytes (ingest.max.body.bytes): split it";
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void json(Context ctx, int status, ObjectNode body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** A request refused with {@code status}: its message, extra headers and problems form the answer. */
    static final class Refusal extends RuntimeException {
        final int status;
        final transient Map<String, String> headers;
        final transient List<Problem> problems;
        /** Problems found beyond the listed ones. */
        final long more;

        Refusal(int status, String message, Map<String, String> headers, List<Problem> problems) {
            this(status, message, headers, problems, 0);
        }

        Refusal(int status, String message, Map<String, String> headers, List<Problem> problems, long more) {
            super(message, null, false, false);
            this.status = status;
            this.headers = headers;
            this.problems = problems;
            this.more = more;
        }
    }
}
