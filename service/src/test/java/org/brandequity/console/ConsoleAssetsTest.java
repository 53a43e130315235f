package org.brandequity.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.brandequity.query.UnstartedApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console's page and assets come from the jar without a token (they hold no data), so the page
 * can ask for one; its event stream and the queries need the token like every endpoint.
 */
@Timeout(30)
class ConsoleAssetsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static UnstartedApi api;

    @BeforeAll
    static void start() {
        api = new UnstartedApi("console-assets-test", Map.of("api.auth.tokens", "secret-token"));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRootRedirectsToThePage() throws Exception {
        HttpResponse<String> r = get("/");
        assertEquals(302, r.statusCode(), r.body());
        assertEquals(Console.PAGE, r.headers().firstValue("Location").orElse(""));
    }

    @Test
    void thePageItsScriptAndTheChartLibraryAreServedWithoutAToken() throws Exception {
        HttpResponse<String> page = get(Console.PAGE);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Brand equity"), page.body());
        assertEquals(200, get("/console/console.js").statusCode());
        assertEquals(200, get("/console/console.css").statusCode());
        HttpResponse<String> echarts = get("/webjars/echarts/5.3.1/dist/echarts.min.js");
        assertEquals(200, echarts.statusCode());
        assertTrue(echarts.body().length() > 100_000, "the library itself");
    }

    @Test
    void theVersionedChartLibraryMayBeCachedAndThePageIsAskedForAgain() throws Exception {
        assertEquals("public, max-age=31536000, immutable", get(Console.ECHARTS).headers().firstValue("Cache-Control").orElse(""));
        for (String path : new String[] {Console.PAGE, "/console/console.js", "/console/console.css"}) {
            assertEquals("no-cache", get(path).headers().firstValue("Cache-Control").orElse(""), path);
        }
    }

    @Test
    void aStreamBeyondTheLimitIsToldSoAndClosed() throws Exception {
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>>> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < Console.MAX_STREAMS; i++) open.add(stream());
            // Each of those got its snapshot (a status: the unstarted store answers 503) before the next opens.
            for (var f : open) assertTrue(f.get(10, java.util.concurrent.TimeUnit.SECONDS).body().anyMatch(l -> l.startsWith("event: status")));
            HttpResponse<String> refused = HTTP.send(request(), HttpResponse.BodyHandlers.ofString());
            assertTrue(refused.body().contains("TOO_MANY_STREAMS"), refused.body());
        } finally {
            open.forEach(f -> f.cancel(true));
        }
    }

    @Test
    void aMalformedOrOversizedLastEventIdGetsTheSnapshot() throws Exception {
        for (String id : java.util.List.of("x".repeat(4_000), "-5", "12abc", "99999999999999999999")) {
            HttpRequest r = HttpRequest.newBuilder(URI.create(api.url() + Console.EVENTS)).header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer secret-token").header("Last-Event-ID", id).build();
            var f = HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofLines());
            try {
                HttpResponse<java.util.stream.Stream<String>> answer = f.get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode(), id);
                assertTrue(answer.body().anyMatch(l -> l.startsWith("event: status")), "a snapshot for Last-Event-ID " + id.length() + " chars");
            } finally {
                f.cancel(true);
            }
        }
    }

    private static HttpRequest request() {
        return HttpRequest.newBuilder(URI.create(api.url() + Console.EVENTS)).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer secret-token").timeout(java.time.Duration.ofSeconds(10)).build();
    }

    private static java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> stream() {
        return HttpClient.newHttpClient().sendAsync(request(), HttpResponse.BodyHandlers.ofLines());
    }

    @Test
    void theStreamAndTheQueriesNeedTheToken() throws Exception {
        assertEquals(401, get(Console.EVENTS).statusCode());
        assertEquals(401, get("/equity").statusCode());
        assertEquals(401, get("/console/../equity").statusCode());
    }
}
