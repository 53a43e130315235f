package org.brandequity.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.http.security.Tls;
import org.brandequity.runtime.Pipeline;
import org.brandequity.runtime.RealCluster;
import org.brandequity.topology.PipelineStores;
import org.brandequity.wire.TestTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on a real cluster, their query API over https with bearer tokens: a query sent to
 * the instance that does not own the key is forwarded over https with a token and answered by the
 * owner, exactly as the owner answers it directly.
 */
class SecuredQueryForwardingIntegrationTest {
    private static final String TOKEN = "forwarding-token-5d4c";

    @Test
    void aQueryForwardedToTheOwningInstanceCarriesATokenOverHttps(@TempDir Path dir) throws Exception {
        Path keystore = TestTls.keystore(dir, "api", "keystore-pw");
        // Clients hold a token of their own; instances forward with the first one configured.
        Map<String, String> security = Map.of("api.auth.tokens", TOKEN + ",client-token-77",
                "api.tls.keystore.location", keystore.toString(), "api.tls.keystore.password", "keystore-pw");
        HttpClient https = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .sslContext(Tls.trusting(new PipelineConfig.Store(keystore.toString(), new Password("keystore-pw"), "PKCS12"), "test"))
                .build();
        try (RealCluster cluster = new RealCluster()) {
            PipelineConfig config = cluster.config("secured-api", security);
            TopicAdmin.ensureTopics(config);
            try (Pipeline a = new Pipeline(config.with(Map.of("state.dir", cluster.dir.resolve("state-a").toString()))).start();
                 Pipeline b = new Pipeline(config.with(Map.of("state.dir", cluster.dir.resolve("state-b").toString()))).start()) {
                assertTrue(a.apiUrl().startsWith("https://"), a.apiUrl());
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (true) {
                    HostInfo owner = bothRunning(a, b) ? a.streams().queryMetadataForKey(PipelineStores.Keyed.BRAND_EQUITY.storeName(),
                            config.brandId(), new StringSerializer()).activeHost() : null;
                    if (owner != null && owner.port() > 0) {
                        String ownerUrl = owner.port() == a.config().api().port() ? a.apiUrl() : b.apiUrl();
                        String otherUrl = ownerUrl.equals(a.apiUrl()) ? b.apiUrl() : a.apiUrl();
                        HttpResponse<String> direct = get(https, ownerUrl + "/equity", "client-token-77");
                        HttpResponse<String> forwarded = get(https, otherUrl + "/equity", "client-token-77");
                        if (direct.statusCode() != 503 && forwarded.statusCode() != 503) {
                            assertEquals(404, direct.statusCode(), "no input yet: " + direct.body());
                            assertEquals(direct.statusCode(), forwarded.statusCode(), forwarded.body());
                            assertEquals(direct.body(), forwarded.body());
                            String ownerAddress = owner.host() + ":" + owner.port();
                            assertEquals(ownerAddress, forwarded.headers().firstValue(QueryApi.SERVED_BY_HEADER).orElse(""),
                                    "answered by the owner, through the other instance");
                            assertNotEquals(ownerUrl, otherUrl);
                            return;
                        }
                    }
                    assertTrue(System.nanoTime() < deadline, "both instances never became queryable");
                    Thread.sleep(500);
                }
            }
        }
    }

    private static boolean bothRunning(Pipeline a, Pipeline b) {
        return a.streams().state() == KafkaStreams.State.RUNNING && b.streams().state() == KafkaStreams.State.RUNNING
                && a.streams().metadataForAllStreamsClients().size() == 2;
    }

    private static HttpResponse<String> get(HttpClient client, String url, String token) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
