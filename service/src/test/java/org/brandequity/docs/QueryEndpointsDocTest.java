package org.brandequity.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.brandequity.query.QueryApi;
import org.brandequity.config.PipelineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every endpoint docs/queries.md lists is one the query API routes. The API runs on a Kafka Streams
 * client that is never started but reports RUNNING: a routed endpoint then fails reading its store
 * (503), an unrouted path is 404 "no such endpoint".
 */
@Timeout(30)
class QueryEndpointsDocTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The endpoint table's first column: `/path?query`, placeholders filled with values of their kind. */
    static List<String> documentedEndpoints() {
        String table = Docs.section("docs/queries.md", "## Endpoints");
        return Docs.all(table, "\\n\\| `(/[^`]*)` \\|").stream()
                .map(e -> e.replace("{segment}", "high-value").replace("{id}", "c-1")
                        .replace("segment=S", "segment=high-value").replace("touchpoint=T", "touchpoint=DELIVERY")
                        .replace("stage=G", "stage=PURCHASE").replace("limit=N", "limit=10"))
                .toList();
    }

    @Test
    void everyEndpointInQueriesMdIsRoutedByTheQueryApi() throws Exception {
        List<String> endpoints = documentedEndpoints();
        assertFalse(endpoints.isEmpty(), "no endpoint table in docs/queries.md; update this test");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "query-endpoints-doc-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").to("out");
        // Past the API's RUNNING check, so that routing decides; every store read then fails (not started).
        try (KafkaStreams streams = new KafkaStreams(builder.build(), p) {
                @Override
                public State state() {
                    return State.RUNNING;
                }
            }) {
            PipelineConfig config = PipelineConfig.defaults().with(Map.of("api.port", "0"));
            try (QueryApi api = QueryApi.bind(config.api(), config.http())) {
                api.start(streams, config.with(Map.of("api.port", Integer.toString(api.port()))));
                for (String endpoint : endpoints) {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + endpoint)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertNotEquals(404, r.statusCode(), "docs/queries.md lists " + endpoint + ", the API answers: " + r.body());
                }
            }
        }
    }
}
