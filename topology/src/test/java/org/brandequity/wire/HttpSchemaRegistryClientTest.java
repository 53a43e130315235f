package org.brandequity.wire;

import static org.brandequity.wire.InMemorySchemaRegistry.fastClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryClientTest {

    private static final String SUBJECT = "customer-interactions-value";
    private static final Schema SCHEMA = CustomerInteraction.getClassSchema();

    private InMemorySchemaRegistry registry;
    private HttpSchemaRegistryClient client;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = InMemorySchemaRegistry.serving();
        client = fastClient(registry.url());
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void aRegisteredSchemaIsFoundAgainByItsId() {
        int id = client.register(SUBJECT, SCHEMA);

        assertEquals(SCHEMA, fastClient(registry.url()).schemaById(id));
    }

    @Test
    void registeringTheSameSchemaTwiceAsksTheRegistryOnce() {
        int first = client.register(SUBJECT, SCHEMA);
        int second = client.register(SUBJECT, new Schema.Parser().parse(SCHEMA.toString()));

        assertEquals(first, second);
        assertEquals(1, registry.registrationsUnder(SUBJECT));
    }

    @Test
    void aTransient503IsRetriedUntilTheRegistryAnswers() {
        registry.failNext(2, 503);

        int id = client.register(SUBJECT, SCHEMA);

        assertEquals(3, registry.registrationsUnder(SUBJECT));
        assertEquals(SCHEMA, fastClient(registry.url()).schemaById(id));
    }

    @Test
    void retriesStopAfterTheConfiguredNumberOfAttempts() {
        registry.failNext(10, 503);

        SchemaRegistryException failure =
                assertThrows(SchemaRegistryException.class, () -> client.register(SUBJECT, SCHEMA));

        assertEquals(3, registry.registrationsUnder(SUBJECT));
        assertEquals(503, failure.httpStatus());
        assertTrue(failure.getMessage().contains(registry.url()), failure.getMessage());
    }

    @Test
    void aClientErrorOtherThanRateLimitingIsNotRetried() {
        registry.failNext(1, 422);

        SchemaRegistryException failure =
                assertThrows(SchemaRegistryException.class, () -> client.register(SUBJECT, SCHEMA));

        assertEquals(1, registry.registrationsUnder(SUBJECT));
        assertEquals(422, failure.httpStatus());
    }

    @Test
    void aRefusedRegistrationIsRetriedByTheNextCallerRatherThanCached() {
        registry.failNext(3, 503);
        assertThrows(SchemaRegistryException.class, () -> client.register(SUBJECT, SCHEMA));

        client.register(SUBJECT, SCHEMA);

        assertEquals(4, registry.registrationsUnder(SUBJECT));
    }

    @Test
    void aConflictWhileAnotherClientCreatesTheSubjectIsAskedAgainAndGetsTheId() {
        // Apicurio answers the loser of two concurrent first registrations 409 "already exists".
        registry.failNext(1, 409);

        int id = client.register(SUBJECT, SCHEMA);

        assertEquals(SCHEMA, registry.schemaById(id));
        assertEquals(2, registry.registrationsUnder(SUBJECT));
    }

    @Test
    void anIncompatibleSchemaFailsWithAMessageNamingTheUrlAndSubject() {
        registry.put(SUBJECT, CustomerProfile.getClassSchema());
        registry.rejectAsIncompatible(SUBJECT);

        SchemaRegistryException failure =
                assertThrows(SchemaRegistryException.class, () -> client.register(SUBJECT, SCHEMA));

        assertEquals(409, failure.httpStatus());
        assertEquals(SUBJECT, failure.subject());
        assertTrue(failure.getMessage().contains(registry.url()), failure.getMessage());
        assertTrue(failure.getMessage().contains(SUBJECT), failure.getMessage());
        assertTrue(failure.getMessage().contains("incompatible"), failure.getMessage());
    }

    @Test
    void anUnreachableRegistryFailsWithAMessageNamingTheUrlAndSubject() {
        registry.close();

        SchemaRegistryException failure =
                assertThrows(SchemaRegistryException.class, () -> client.register(SUBJECT, SCHEMA));

        assertEquals(SchemaRegistryException.NONE, failure.httpStatus());
        assertTrue(failure.getMessage().contains(registry.url()), failure.getMessage());
        assertTrue(failure.getMessage().contains(SUBJECT), failure.getMessage());
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsAnUnknownSchemaIdException() {
        UnknownSchemaIdException failure =
                assertThrows(UnknownSchemaIdException.class, () -> client.schemaById(404_404));

        assertEquals(404_404, failure.schemaId());
        assertEquals(HttpSchemaRegistryClient.SCHEMA_NOT_FOUND, failure.errorCode());
    }

    @Test
    void requestsWithABodyCarryTheSchemaRegistryContentType() {
        client.register(SUBJECT, SCHEMA);

        assertEquals("application/vnd.schemaregistry.v1+json", registry.requests().get(0).contentType());
    }

    @Test
    void aTrailingSlashInTheBaseUrlIsTolerated() {
        HttpSchemaRegistryClient slashed = fastClient(registry.url() + "/");

        slashed.register(SUBJECT, SCHEMA);

        assertEquals(registry.url(), slashed.baseUrl());
        assertEquals(1, registry.registrationsUnder(SUBJECT));
    }

    @Test
    void anApiServedUnderAPathPrefixIsReached() throws IOException {
        try (InMemorySchemaRegistry apicurio = InMemorySchemaRegistry.serving("/apis/ccompat/v7")) {
            HttpSchemaRegistryClient ccompat = fastClient(apicurio.url() + "/");

            int id = ccompat.register(SUBJECT, SCHEMA);

            assertEquals(1, apicurio.registrationsUnder(SUBJECT));
            assertEquals(SCHEMA, fastClient(apicurio.url()).schemaById(id));
        }
    }

    @Test
    void basicAuthCredentialsAreSentAsAnAuthorizationHeader() {
        HttpSchemaRegistryClient authenticated = HttpSchemaRegistryClient.builder(registry.url())
                .basicAuth("pipeline:s3cr%t+pw")
                .build();

        authenticated.register(SUBJECT, SCHEMA);

        assertEquals(basic("pipeline:s3cr%t+pw"), registry.requests().get(0).authorization());
    }

    @Test
    void credentialsInTheUrlAreSentAsBasicAuthAndKeptOutOfMessages() {
        HttpSchemaRegistryClient authenticated =
                fastClient(registry.url().replace("http://", "http://pipeline:pa%3Ass@"));

        authenticated.register(SUBJECT, SCHEMA);

        assertEquals(basic("pipeline:pa:ss"), registry.requests().get(0).authorization());
        assertEquals(registry.url(), authenticated.baseUrl());
    }

    @Test
    void subjectsArePercentEncodedAsPathSegments() {
        assertEquals("a%20b%2Fc-value", HttpSchemaRegistryClient.pathSegment("a b/c-value"));
    }

    @Test
    void aRegistryThatDoesNotAnswerInTimeCountsAsUnreachable() throws IOException {
        HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        CountDownLatch release = new CountDownLatch(1);
        silent.createContext("/", exchange -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.setExecutor(Executors.newCachedThreadPool());
        silent.start();
        try {
            HttpSchemaRegistryClient impatient =
                    HttpSchemaRegistryClient.builder("http://127.0.0.1:" + silent.getAddress().getPort())
                            .requestTimeout(Duration.ofMillis(100))
                            .maxAttempts(2)
                            .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                            .build();

            SchemaRegistryException failure =
                    assertThrows(SchemaRegistryException.class, () -> impatient.schemaById(1));

            assertEquals(SchemaRegistryException.NONE, failure.httpStatus());
            assertTrue(failure.getMessage().contains("after 2 attempt"), failure.getMessage());
        } finally {
            release.countDown();
            silent.stop(0);
        }
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}
