package org.brandequity.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every parameter of {@code /equity/change}, {@code /equity/history} and {@code /segments/{segment}/change} has a limit, and a request
 * past it is a 400 that says what is accepted, before any store is read (the API runs over a Kafka
 * Streams client that reports RUNNING but never started: a request that got as far as a store would
 * be a 503). The ranges against the history itself are tested with a running pipeline
 * (ScaleOutIntegrationTest).
 */
@Timeout(30)
class EquityHistoryQueriesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static UnstartedApi api;

    @BeforeAll
    static void start() {
        api = new UnstartedApi("equity-history-queries-test", Map.of());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api.url() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/equity/change|from is required",
            "/equity/change?from=|from is required",
            "/equity/change?from=2026-12-05T10:00:00Z&top=0|top must be a whole number from 1 to 1000",
            "/equity/change?from=2026-12-05T10:00:00Z&top=1001|top must be a whole number from 1 to 1000",
            "/equity/change?from=2026-12-05T10:00:00Z&top=99999999999999999999|top must be a whole number from 1 to 1000",
            "/equity/change?from=yesterday|from must be an ISO-8601 instant",
            "/equity/change?from=99999999999999999999999|from must be an ISO-8601 instant",
            "/equity/change?from=2026-12-05T10:00:00Z&to=2026-12-05T10:00:00.0000000000000000000000000000Z|to is longer than 40 characters",
            "/equity/change?from=2026-12-05T10:00:00Z&by=channel|unknown by 'channel'; accepted: cell | segment | touchpoint | stage | segment,touchpoint",
            "/equity/change?from=2026-12-05T10:00:00Z&step=1h|unknown parameter 'step'; accepted: by, clamp, from, to, top",
            "/equity/change?from=2026-12-05T10:00:00Z&clamp=yes|clamp must be true or false",
            "/equity/change?from=2026-12-05T10:00:00Z&from=2026-12-04T10:00:00Z|parameter 'from' is given more than once",
            "/equity/history?step=0s|step must be a duration",
            "/equity/history?step=soon|step must be a duration",
            "/equity/history?by=cells|unknown by 'cells'",
            "/equity/history?top=3|unknown parameter 'top'; accepted: by, clamp, from, step, to",
            "/segments/high-value/change?by=touchpoint|unknown parameter 'by'; accepted: from, to",
            "/segments/high-value/change?from=last-monday|from must be an ISO-8601 instant",
            "/segments/high-value/change?to=2026-12-05T10:00:00.00000000000000000000000000000Z|to is longer than 40 characters",
            "/drivers?segment=|segment must be 1 to 64 UTF-8 bytes",
            "/drivers?segment=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|segment must be 1 to 64 UTF-8 bytes",
            "/drivers?segment=%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9|segment must be 1 to 64 UTF-8 bytes",
            "/drivers?segment=a&segment=b|parameter 'segment' is given more than once",
            "/drivers?top=3|unknown parameter 'top'; accepted: segment",
    })
    void aParameterPastItsLimitIsA400SayingWhatIsAccepted(String request, String message) throws Exception {
        HttpResponse<String> r = get(request.replace(" ", "%20"));
        assertEquals(400, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("BAD_REQUEST", body.get("code").asText());
        assertTrue(body.get("error").asText().contains(message), body.get("error").asText());
    }

    @Test
    void aWellFormedRequestGetsPastTheParametersToTheStores() throws Exception {
        // 503: the parameters were accepted and the (never started) store was asked.
        HttpResponse<String> r = get("/equity/change?from=2026-12-05T10:00:00Z&to=1733400000000&by=segment,touchpoint&top=1000");
        assertEquals(503, r.statusCode(), r.body());
        assertFalse(r.body().contains("Exception"), r.body());
        assertEquals(503, get("/equity/history?from=2026-12-05T10:00:00Z&step=6h&by=stage").statusCode());
        assertEquals(503, get("/segments/high-value/change?from=2026-12-05T10:00:00Z&to=2026-12-05T11:00:00Z").statusCode());
        assertEquals(503, get("/drivers?segment=" + "a".repeat(64)).statusCode());
        assertEquals(503, get("/drivers").statusCode());
    }
}
