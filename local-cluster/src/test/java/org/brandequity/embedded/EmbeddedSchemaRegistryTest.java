package org.brandequity.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real registry jar (built by the registry module; Surefire passes its path) and talks
 * to it the way a Confluent client does: plain HTTP on the Confluent REST API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedSchemaRegistryTest {

    private static final String CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path logDir;

    private static EmbeddedSchemaRegistry registry;

    @BeforeAll
    static void startRegistry() {
        registry = EmbeddedSchemaRegistry.start(logDir);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    @Order(1)
    void listensOnLoopbackAndLogsToAFile() throws Exception {
        assertEquals("http://127.0.0.1:" + registry.port() + "/apis/ccompat/v7", registry.url());
        assertTrue(registry.logFile().startsWith(logDir));
        assertTrue(Files.readString(registry.logFile()).contains("Listening on: http://127.0.0.1:" + registry.port()));
    }

    @Test
    @Order(2)
    void globalCompatibilityIsBackward() throws Exception {
        JsonNode config = JSON.readTree(get("/config").body());
        assertEquals("BACKWARD", config.get("compatibilityLevel").asText());
    }

    @Test
    @Order(3)
    void registersAnAvroSchemaAndServesItById() throws Exception {
        Schema schema = customerV1();
        HttpResponse<String> registered = post("/subjects/customer-value/versions", schema);
        assertEquals(200, registered.statusCode(), registered.body());
        int id = JSON.readTree(registered.body()).get("id").asInt();

        HttpResponse<String> again = post("/subjects/customer-value/versions", schema);
        assertEquals(id, JSON.readTree(again.body()).get("id").asInt(), "registration is idempotent");

        HttpResponse<String> fetched = get("/schemas/ids/" + id);
        assertEquals(200, fetched.statusCode(), fetched.body());
        Schema served = new Schema.Parser().parse(JSON.readTree(fetched.body()).get("schema").asText());
        assertEquals(schema, served);

        assertEquals(404, get("/schemas/ids/" + (id + 1000)).statusCode());
    }

    @Test
    @Order(4)
    void acceptsABackwardCompatibleChange() throws Exception {
        post("/subjects/orders-value/versions", customerV1());
        // A new field with a default: readers of v2 can still read v1 data.
        Schema withDefault = SchemaBuilder.record("Customer").namespace("org.brandequity.test").fields()
                .requiredString("id")
                .name("segment").type().stringType().stringDefault("unknown")
                .endRecord();

        HttpResponse<String> check = post("/compatibility/subjects/orders-value/versions/latest", withDefault);
        assertEquals(200, check.statusCode(), check.body());
        assertTrue(JSON.readTree(check.body()).get("is_compatible").asBoolean(), check.body());

        HttpResponse<String> registered = post("/subjects/orders-value/versions", withDefault);
        assertEquals(200, registered.statusCode(), registered.body());
        JsonNode versions = JSON.readTree(get("/subjects/orders-value/versions").body());
        assertEquals(2, versions.size(), versions.toString());
    }

    @Test
    @Order(5)
    void refusesAnIncompatibleChange() throws Exception {
        post("/subjects/alerts-value/versions", customerV1());
        // A new field without a default: v2 readers cannot read v1 data.
        Schema withoutDefault = SchemaBuilder.record("Customer").namespace("org.brandequity.test").fields()
                .requiredString("id")
                .requiredInt("score")
                .endRecord();

        HttpResponse<String> check = post("/compatibility/subjects/alerts-value/versions/latest", withoutDefault);
        assertEquals(200, check.statusCode(), check.body());
        assertFalse(JSON.readTree(check.body()).get("is_compatible").asBoolean(), check.body());

        HttpResponse<String> registered = post("/subjects/alerts-value/versions", withoutDefault);
        assertEquals(409, registered.statusCode(), registered.body());
        JsonNode versions = JSON.readTree(get("/subjects/alerts-value/versions").body());
        assertEquals(1, versions.size(), versions.toString());
    }

    @Test
    @Order(6)
    void closeEndsTheChildProcess() throws Exception {
        ProcessHandle child = registry.processHandle();
        assertTrue(child.isAlive());

        registry.close();

        assertFalse(child.isAlive(), "registry JVM still running after close()");
        assertThrows(IOException.class, () -> get("/config"), "port still answering after close()");
        registry.close(); // idempotent
    }

    @Test
    void aJarThatCannotStartFailsWithItsLog(@TempDir Path dir) throws Exception {
        Path notAJar = Files.writeString(dir.resolve("broken.jar"), "not a jar");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmbeddedSchemaRegistry.start(notAJar, dir, Duration.ofSeconds(30)));

        assertTrue(e.getMessage().contains("exited with code"), e.getMessage());
        // The child's own complaint is quoted from its log file.
        assertTrue(e.getMessage().contains("jarfile"), e.getMessage());
    }

    @Test
    void locateJarPrefersTheSystemProperty(@TempDir Path dir) throws Exception {
        String previous = System.getProperty(EmbeddedSchemaRegistry.JAR_PROPERTY);
        try {
            Path jar = Files.writeString(dir.resolve("registry.jar"), "x");
            System.setProperty(EmbeddedSchemaRegistry.JAR_PROPERTY, jar.toString());
            assertEquals(jar.toAbsolutePath().normalize(), EmbeddedSchemaRegistry.locateJar());

            System.setProperty(EmbeddedSchemaRegistry.JAR_PROPERTY, dir.resolve("missing.jar").toString());
            IllegalStateException e = assertThrows(IllegalStateException.class, EmbeddedSchemaRegistry::locateJar);
            assertTrue(e.getMessage().contains("mvn -B package -pl registry"), e.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty(EmbeddedSchemaRegistry.JAR_PROPERTY);
            } else {
                System.setProperty(EmbeddedSchemaRegistry.JAR_PROPERTY, previous);
            }
        }
    }

    private static Schema customerV1() {
        return SchemaBuilder.record("Customer").namespace("org.brandequity.test").fields()
                .requiredString("id")
                .endRecord();
    }

    private static HttpResponse<String> post(String path, Schema schema) throws Exception {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema.toString()));
        return HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                        .header("Content-Type", CONFLUENT_JSON)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + path))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
