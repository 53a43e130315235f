package org.brandequity.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.avro.internal.SegmentWindowAggregate;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.BrandEquityTopology;
import org.brandequity.topology.CustomerLedgers;
import org.brandequity.topology.EquityLedgers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive queries over this application's state stores, as JSON over HTTP (see docs/queries.md):
 * {@code GET /equity}, {@code /segments}, {@code /segments/{segment}/windows},
 * {@code /customers/{id}/windows}.
 *
 * <p>Each instance holds the active state of some partitions only. A query for one key is answered
 * locally when this instance owns the key's partition, else forwarded to the owner's
 * {@code application.server}; {@code /segments} collects every instance's local part. So any
 * instance answers any query. While ownership is moving (rebalance, dead owner not yet noticed),
 * the answer is 503 with {@code Retry-After}: the data is not lost, only not servable yet.
 */
public final class QueryApi implements AutoCloseable {
    /** Set on forwarded requests: a forwarded query is never forwarded again, so no loops while metadata is in flux. */
    static final String FORWARDED_HEADER = "X-BrandEquity-Forwarded-By";
    /** The instance (advertised host:port) whose state store answered. */
    static final String SERVED_BY_HEADER = "X-BrandEquity-Served-By";
    static final int RETRY_AFTER_SECONDS = 2;
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);
    private static final Serializer<String> KEYS = new StringSerializer();
    private static final Logger log = LoggerFactory.getLogger(QueryApi.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private KafkaStreams streams;
    private PipelineConfig config;
    private HostInfo self;
    private EquityLedgers ledgers;

    private QueryApi(HttpServer server) {
        this.server = server;
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
     */
    public static QueryApi bind(String host, int port) {
        try {
            return new QueryApi(HttpServer.create(new InetSocketAddress(host, port), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the query API on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Starts answering; {@code config.api()} must carry the bound port, as advertised to the group. */
    public void start(KafkaStreams streams, PipelineConfig config) {
        this.streams = streams;
        this.config = config;
        this.self = new HostInfo(config.api().effectiveAdvertisedHost(), config.api().port());
        this.ledgers = new EquityLedgers(config.model());
        server.createContext("/", this::handle);
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private record Reply(int status, byte[] body, String servedBy) {}

    private static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    private static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Reply reply;
        try {
            reply = "GET".equals(exchange.getRequestMethod()) ? route(exchange) : error(405, "only GET is supported");
        } catch (Unavailable | InvalidStateStoreException e) {
            reply = error(503, e.getMessage());
        } catch (NotFound e) {
            reply = error(404, e.getMessage());
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

    private Reply route(HttpExchange exchange) {
        List<String> path = Arrays.stream(exchange.getRequestURI().getRawPath().split("/"))
                .filter(s -> !s.isEmpty()).map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
        requireRunning();
        if (path.equals(List.of("equity"))) {
            return byKey(exchange, BrandEquityTopology.BRAND_EQUITY_STORE, config.brandId(), partition -> localEquity());
        }
        if (path.equals(List.of("segments"))) {
            boolean localOnly = "scope=local".equals(exchange.getRequestURI().getRawQuery());
            return ok(localOnly ? localLatestSegmentWindows() : allLatestSegmentWindows());
        }
        if (path.size() == 3 && path.get(2).equals("windows")) {
            String key = path.get(1);
            if (path.get(0).equals("segments")) {
                return byKey(exchange, BrandEquityTopology.SEGMENT_WINDOW_STORE, key, partition -> localSegmentWindows(key, partition));
            }
            if (path.get(0).equals("customers")) {
                return byKey(exchange, BrandEquityTopology.CUSTOMER_LEDGER_STORE, key, partition -> localCustomerWindows(key, partition));
            }
        }
        return error(404, "no such endpoint; see docs/queries.md");
    }

    private void requireRunning() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new Unavailable("Kafka Streams is " + state + "; state stores are not queryable until RUNNING");
        }
    }

    /** Answers from the local store when this instance owns {@code key}'s partition, else from the owner. */
    private Reply byKey(HttpExchange exchange, String store, String key, IntFunction<Object> local) {
        KeyQueryMetadata owner = streams.queryMetadataForKey(store, key, KEYS);
        if (owner == null || owner.activeHost().equals(HostInfo.unavailable())) {
            throw new Unavailable("no instance owns " + store + " for this key yet");
        }
        if (owner.activeHost().equals(self)) return ok(local.apply(owner.partition()));
        if (exchange.getRequestHeaders().containsKey(FORWARDED_HEADER)) {
            // The forwarding instance thought we own it and we think another does: a rebalance is under way.
            throw new Unavailable("ownership of this key is moving between instances");
        }
        return forward(owner.activeHost(), exchange.getRequestURI());
    }

    private Reply forward(HostInfo owner, URI uri) {
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address(owner) + uri.getRawPath() + query))
                .header(FORWARDED_HEADER, address(self)).timeout(FORWARD_TIMEOUT).GET().build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
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

    private Object localEquity() {
        ReadOnlyKeyValueStore<String, EquityLedger> store = store(BrandEquityTopology.BRAND_EQUITY_STORE, QueryableStoreTypes.keyValueStore());
        EquityLedger ledger = store.get(config.brandId());
        if (ledger == null) throw new NotFound("no equity yet for brand " + config.brandId());
        return plain(ledgers.toBrandEquity(config.brandId(), ledger));
    }

    /** Every window of the customer the store can still assemble whole, open ones too, newest first. */
    private Object localCustomerWindows(String customerId, int partition) {
        Long streamTime = store(BrandEquityTopology.STREAM_TIME_STORE, QueryableStoreTypes.<String, Long>keyValueStore(), partition)
                .get(BrandEquityTopology.STREAM_TIME_KEY);
        if (streamTime == null) throw new NotFound("no windows for customer " + customerId);
        CustomerLedger ledger = store(BrandEquityTopology.CUSTOMER_LEDGER_STORE,
                QueryableStoreTypes.<String, CustomerLedger>keyValueStore(), partition).get(customerId);
        List<Object> windows = new ArrayList<>();
        CustomerLedgers.windowsOf(ledger, customerId, streamTime, config.windowSize(), config.windowAdvance(), config.windowGrace())
                .forEach(w -> windows.add(plain(w)));
        if (windows.isEmpty()) throw new NotFound("no windows for customer " + customerId);
        return windows;
    }

    /**
     * The segment's windows still in the store, newest first. A scan of the partition's store: it
     * holds a few segments times the windows within retention, and unlike a fetch it needs no time bound.
     */
    private Object localSegmentWindows(String segment, int partition) {
        ReadOnlyWindowStore<String, SegmentWindowAggregate> store =
                store(BrandEquityTopology.SEGMENT_WINDOW_STORE, QueryableStoreTypes.windowStore(), partition);
        List<Object> windows = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, SegmentWindowAggregate> it = store.all()) {
            it.forEachRemaining(kv -> {
                if (kv.key.key().equals(segment)) windows.add(plain(BrandEquityTopology.segmentScore(segment, kv.value)));
            });
        }
        if (windows.isEmpty()) throw new NotFound("no windows for segment " + segment);
        Collections.reverse(windows);
        return windows;
    }

    /** The latest window of each segment whose partition is active on this instance. */
    private List<Object> localLatestSegmentWindows() {
        ReadOnlyWindowStore<String, SegmentWindowAggregate> store =
                store(BrandEquityTopology.SEGMENT_WINDOW_STORE, QueryableStoreTypes.windowStore());
        Map<String, KeyValue<Windowed<String>, SegmentWindowAggregate>> latest = new TreeMap<>();
        try (KeyValueIterator<Windowed<String>, SegmentWindowAggregate> it = store.all()) {
            it.forEachRemaining(kv -> latest.merge(kv.key.key(), kv,
                    (a, b) -> b.key.window().start() > a.key.window().start() ? b : a));
        }
        List<Object> out = new ArrayList<>();
        latest.forEach((segment, kv) -> out.add(plain(BrandEquityTopology.segmentScore(segment, kv.value))));
        return out;
    }

    /** Each segment lives on one partition, hence on one instance: the union of every instance's local part. */
    private List<Object> allLatestSegmentWindows() {
        Map<Object, Object> bySegment = new TreeMap<>();
        for (StreamsMetadata instance : streams.streamsMetadataForStore(BrandEquityTopology.SEGMENT_WINDOW_STORE)) {
            if (!instance.stateStoreNames().contains(BrandEquityTopology.SEGMENT_WINDOW_STORE)) continue; // standby only
            List<?> part = instance.hostInfo().equals(self) ? localLatestSegmentWindows() : remoteList(instance.hostInfo());
            for (Object window : part) bySegment.put(((Map<?, ?>) window).get("segment"), window);
        }
        return new ArrayList<>(bySegment.values());
    }

    private List<?> remoteList(HostInfo host) {
        Reply reply = forward(host, URI.create("/segments?scope=local"));
        if (reply.status() == 503) throw new Unavailable("instance " + address(host) + " is not ready to answer");
        if (reply.status() != 200) throw new IllegalStateException("instance " + address(host) + " answered " + reply.status());
        try {
            return json.readValue(reply.body(), List.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <S> S store(String name, QueryableStoreType<S> type) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, type));
    }

    private <S> S store(String name, QueryableStoreType<S> type, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, type).withPartition(partition));
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

    /**
     * An Avro record as maps and lists with the same field names as on the output topics, so a
     * query answer reads like the topic's record: timestamps as ISO-8601, enums by name.
     */
    static Object plain(Object value) {
        if (value instanceof IndexedRecord record) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Schema.Field f : record.getSchema().getFields()) map.put(f.name(), plain(record.get(f.pos())));
            return map;
        }
        if (value instanceof Collection<?> items) {
            List<Object> list = new ArrayList<>();
            items.forEach(i -> list.add(plain(i)));
            return list;
        }
        if (value instanceof CharSequence || value instanceof Enum<?> || value instanceof Instant) return value.toString();
        return value;
    }
}
