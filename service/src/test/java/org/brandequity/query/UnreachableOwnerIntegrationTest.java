package org.brandequity.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.runtime.Pipeline;
import org.brandequity.runtime.RealCluster;
import org.junit.jupiter.api.Test;

/**
 * Two instances on a real cluster; the second advertises an address where nothing answers
 * (127.0.0.2, while it listens on 127.0.0.1 only), as a crashed instance would until the group
 * notices. A cluster-wide query on the first instance needs the second's part: the answer is 503
 * with a problem code, and it names neither the unreachable instance nor the connection error.
 */
class UnreachableOwnerIntegrationTest {
    private static final String UNREACHABLE = "127.0.0.2";

    @Test
    void aQueryNeedingAnInstanceThatDoesNotAnswerIs503WithoutThatInstancesAddress() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (RealCluster cluster = new RealCluster()) {
            PipelineConfig config = cluster.config("unreachable-owner", Map.of());
            TopicAdmin.ensureTopics(config);
            try (Pipeline a = new Pipeline(config.with(Map.of("state.dir", cluster.dir.resolve("state-a").toString()))).start();
                 Pipeline b = new Pipeline(config.with(Map.of("state.dir", cluster.dir.resolve("state-b").toString(),
                         "api.advertised.host", UNREACHABLE))).start()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (!(running(a) && running(b) && a.streams().metadataForAllStreamsClients().size() == 2)) {
                    assertTrue(System.nanoTime() < deadline, "both instances never became RUNNING in one group");
                    Thread.sleep(500);
                }
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(a.apiUrl() + "/segments")).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertEquals(503, r.statusCode(), r.body());
                assertTrue(r.body().contains("\"code\":\"UNAVAILABLE\""), r.body());
                for (String internal : new String[] {UNREACHABLE, ":" + b.config().api().port(), "Connect", "Exception"}) {
                    assertFalse(r.body().contains(internal), "'" + internal + "' in the answer: " + r.body());
                }
            }
        }
    }

    private static boolean running(Pipeline p) {
        return p.streams().state() == KafkaStreams.State.RUNNING;
    }
}
