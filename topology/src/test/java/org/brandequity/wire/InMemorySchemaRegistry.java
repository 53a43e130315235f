package org.brandequity.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * The one test fixture for a schema registry: schemas in memory, ids registry-wide and shared by
 * equal schemas, as in the real registries. Used directly as a {@link SchemaRegistryClient} by
 * topology and simulator tests, and, from {@link #serving()}, over the subset of the registry REST
 * API the pipeline uses (127.0.0.1, an ephemeral port) by the HTTP client and serde tests, with
 * failure injection and a log of the requests. Demo tests get it through the pipeline test-jar.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d+)");

    /** One HTTP request as the fake registry received it. */
    public record Request(String method, String path, String contentType, String authorization) {}

    private final Map<String, Integer> idsBySchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new ConcurrentHashMap<>();
    private final Set<String> incompatibleSubjects = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedDeque<Integer> injectedStatuses = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final String prefix;
    private final HttpServer server;

    /** A registry used in-process only, as a {@link SchemaRegistryClient}. */
    public InMemorySchemaRegistry() {
        this.prefix = "";
        this.server = null;
    }

    private InMemorySchemaRegistry(String prefix) {
        this.prefix = prefix;
        try {
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** A registry also answering HTTP at {@link #url()}. */
    public static InMemorySchemaRegistry serving() {
        return serving("");
    }

    /** @param prefix a path the API lives under, as Apicurio's {@code /apis/ccompat/v7} */
    public static InMemorySchemaRegistry serving(String prefix) {
        return new InMemorySchemaRegistry(prefix);
    }

    /** A client with short timeouts and backoff, so failure tests stay fast. */
    public static HttpSchemaRegistryClient fastClient(String url) {
        return HttpSchemaRegistryClient.builder(url)
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(2))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .build();
    }

    public String url() {
        if (server == null) throw new IllegalStateException("not serving HTTP: create with InMemorySchemaRegistry.serving()");
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    @Override
    public int register(String subject, Schema schema) {
        if (incompatibleSubjects.contains(subject) && versionsBySubject.containsKey(subject)) {
            throw new SchemaRegistryException(incompatible(subject), "memory://", subject, 409, 409, null);
        }
        return put(subject, schema);
    }

    /** Calls of {@link #schemaById} by id, whether answered or not: how often a client asked. */
    private final java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.AtomicInteger> schemaByIdCalls =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** How many times {@link #schemaById} was called for {@code id}. */
    public int schemaByIdCalls(int id) {
        java.util.concurrent.atomic.AtomicInteger n = schemaByIdCalls.get(id);
        return n == null ? 0 : n.get();
    }

    @Override
    public Schema schemaById(int id) {
        schemaByIdCalls.computeIfAbsent(id, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        Schema schema = schemasById.get(id);
        if (schema == null) throw new UnknownSchemaIdException("memory://", id, 404, 40403);
        return schema;
    }

    /** Ids are assigned from {@code first} on; a multi-byte id shows the byte order on the wire. */
    public void startIdsAt(int first) {
        nextId.set(first);
    }

    /** The next {@code times} HTTP requests are answered with {@code status} and an error body. */
    public void failNext(int times, int status) {
        for (int i = 0; i < times; i++) {
            injectedStatuses.add(status);
        }
    }

    /** Registrations under {@code subject}, once it has a version, are refused with 409 (incompatible). */
    public void rejectAsIncompatible(String subject) {
        incompatibleSubjects.add(subject);
    }

    /** Stores a schema directly, as another producer would have, and returns its id. */
    public int put(String subject, Schema schema) {
        int id = idsBySchema.computeIfAbsent(schema.toString(), text -> {
            int assigned = nextId.getAndIncrement();
            schemasById.put(assigned, schema);
            return assigned;
        });
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> Collections.synchronizedList(new ArrayList<>()));
        synchronized (versions) {
            if (!versions.contains(id)) versions.add(id);
        }
        return id;
    }

    /** Subject names registered so far, e.g. customer-interactions-value. */
    public Set<String> subjects() {
        return Set.copyOf(versionsBySubject.keySet());
    }

    /** The HTTP requests received so far, oldest first. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public long registrationsUnder(String subject) {
        return requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals(prefix + "/subjects/" + subject + "/versions"))
                .count();
    }

    public long lookupsOf(int id) {
        return requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().equals(prefix + "/schemas/ids/" + id))
                .count();
    }

    @Override
    public void close() {
        if (server != null) server.stop(0);
    }

    private static String incompatible(String subject) {
        return "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\"";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            Integer injected = injectedStatuses.poll();
            if (injected != null) {
                error(exchange, injected, injected * 100 + 3, "Injected failure");
                return;
            }
            if (!path.startsWith(prefix)) {
                error(exchange, 404, 404, "HTTP 404 Not Found");
                return;
            }
            String route = path.substring(prefix.length());
            Matcher m;
            if ((m = REGISTER.matcher(route)).matches() && exchange.getRequestMethod().equals("POST")) {
                httpRegister(exchange, m.group(1));
            } else if ((m = BY_ID.matcher(route)).matches() && exchange.getRequestMethod().equals("GET")) {
                httpById(exchange, Integer.parseInt(m.group(1)));
            } else {
                error(exchange, 404, 404, "HTTP 404 Not Found");
            }
        }
    }

    private void httpRegister(HttpExchange exchange, String subject) throws IOException {
        Schema schema = new Schema.Parser().parse(JSON.readTree(exchange.getRequestBody()).get("schema").textValue());
        if (incompatibleSubjects.contains(subject) && versionsBySubject.containsKey(subject)) {
            error(exchange, 409, 409, incompatible(subject));
            return;
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", put(subject, schema));
        respond(exchange, 200, answer);
    }

    private void httpById(HttpExchange exchange, int id) throws IOException {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            error(exchange, 404, 40403, "Schema " + id + " not found");
            return;
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("schema", schema.toString());
        respond(exchange, 200, answer);
    }

    private static void error(HttpExchange exchange, int status, int code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("error_code", code);
        body.put("message", message);
        respond(exchange, status, body);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
