package org.brandequity.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.brandequity.query.UnstartedApi;
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
        // Past the API's RUNNING check, so that routing decides; every store read then fails (not started).
        try (UnstartedApi api = new UnstartedApi("query-endpoints-doc-test", Map.of())) {
            for (String endpoint : endpoints) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api.url() + endpoint)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertNotEquals(404, r.statusCode(), "docs/queries.md lists " + endpoint + ", the API answers: " + r.body());
            }
        }
    }
}
