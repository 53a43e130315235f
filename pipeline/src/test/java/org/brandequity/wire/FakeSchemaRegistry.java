package org.brandequity.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
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
 * The subset of the schema registry REST API the pipeline uses, in memory, on 127.0.0.1 and an
 * ephemeral port. Ids are registry-wide and shared by equal schemas, as in the real registries.
 */
final class FakeSchemaRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d+)");
    private static final Pattern COMPATIBILITY = Pattern.compile("/compatibility/subjects/([^/]+)/versions/latest");

    record Request(String method, String path, String contentType, String authorization) {}

    private final String prefix;
    private final HttpServer server;
    private final Map<String, Integer> idsBySchema = new ConcurrentHashMap<>();
    private final Map<Integer, String> schemasById = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new ConcurrentHashMap<>();
    private final Set<String> incompatibleSubjects = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedDeque<Integer> injectedStatuses = new ConcurrentLinkedDeque<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger nextId = new AtomicInteger(1);

    FakeSchemaRegistry() throws IOException {
        this("");
    }

    /** @param prefix a path the API lives under, as Apicurio's {@code /apis/ccompat/v7} */
    FakeSchemaRegistry(String prefix) throws IOException {
        this.prefix = prefix;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A client with short timeouts and backoff, so failure tests stay fast. */
    static HttpSchemaRegistryClient fastClient(String url) {
        return HttpSchemaRegistryClient.builder(url)
                .connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(2))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .build();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    /** Ids are assigned from {@code first} on; a multi-byte id shows the byte order on the wire. */
    void startIdsAt(int first) {
        nextId.set(first);
    }

    /** The next {@code times} requests are answered with {@code status} and an error body. */
    void failNext(int times, int status) {
        for (int i = 0; i < times; i++) {
            injectedStatuses.add(status);
        }
    }

    /** Registrations under {@code subject} are refused with 409 and compatibility checks answer false. */
    void rejectAsIncompatible(String subject) {
        incompatibleSubjects.add(subject);
    }

    /** Stores a schema directly, as another producer would have, and returns its id. */
    int put(String subject, Schema schema) {
        int id = idsBySchema.computeIfAbsent(schema.toString(), text -> {
            int assigned = nextId.getAndIncrement();
            schemasById.put(assigned, text);
            return assigned;
        });
        versionsBySubject.computeIfAbsent(subject, s -> Collections.synchronizedList(new ArrayList<>())).add(id);
        return id;
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    long registrationsUnder(String subject) {
        return requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals(prefix + "/subjects/" + subject + "/versions"))
                .count();
    }

    long lookupsOf(int id) {
        return requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().equals(prefix + "/schemas/ids/" + id))
                .count();
    }

    @Override
    public void close() {
        server.stop(0);
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
                register(exchange, m.group(1));
            } else if ((m = BY_ID.matcher(route)).matches() && exchange.getRequestMethod().equals("GET")) {
                byId(exchange, Integer.parseInt(m.group(1)));
            } else if ((m = COMPATIBILITY.matcher(route)).matches() && exchange.getRequestMethod().equals("POST")) {
                compatibility(exchange, m.group(1));
            } else {
                error(exchange, 404, 404, "HTTP 404 Not Found");
            }
        }
    }

    private void register(HttpExchange exchange, String subject) throws IOException {
        Schema schema = schemaFromBody(exchange);
        if (incompatibleSubjects.contains(subject) && versionsBySubject.containsKey(subject)) {
            error(exchange, 409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\"");
            return;
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", put(subject, schema));
        respond(exchange, 200, answer);
    }

    private void byId(HttpExchange exchange, int id) throws IOException {
        String schema = schemasById.get(id);
        if (schema == null) {
            error(exchange, 404, 40403, "Schema " + id + " not found");
            return;
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("schema", schema);
        respond(exchange, 200, answer);
    }

    private void compatibility(HttpExchange exchange, String subject) throws IOException {
        schemaFromBody(exchange);
        if (!versionsBySubject.containsKey(subject)) {
            error(exchange, 404, 40401, "Subject '" + subject + "' not found.");
            return;
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("is_compatible", !incompatibleSubjects.contains(subject));
        respond(exchange, 200, answer);
    }

    private static Schema schemaFromBody(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        return new Schema.Parser().parse(body.get("schema").textValue());
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
