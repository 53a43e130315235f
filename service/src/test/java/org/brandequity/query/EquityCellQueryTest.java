package org.brandequity.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.EquityCell;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.config.PipelineConfig;
import org.brandequity.runtime.UnstartedStreams;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /equity/cells}: the filters, the answer, and the 400 for a filter no cell can match.
 * The HTTP cases run the API on a Kafka Streams client that is built but never started (no broker),
 * as ApiSecurityTest does: a valid query then gets the usual 503 (not running yet), an invalid one 400.
 */
class EquityCellQueryTest {
    private static final BrandEquity EQUITY = BrandEquity.newBuilder().setBrandId("acme").setAsOf(Instant.parse("2026-01-05T10:00:00Z"))
            .setStock(2.5).setVolume(9).setIndex(0).setEvents(4)
            .setSegments(List.of()).setTouchpoints(List.of()).setStages(List.of())
            .setCells(List.of(
                    new EquityCell("high-value", Touchpoint.DELIVERY, LifecycleStage.PURCHASE, 3.0, 4.0),
                    new EquityCell("high-value", Touchpoint.DELIVERY, LifecycleStage.USAGE, -1.0, 2.0),
                    new EquityCell("high-value", Touchpoint.SUPPORT_CONTACT, LifecycleStage.SERVICE, -0.5, 1.0),
                    new EquityCell("broad-base", Touchpoint.DELIVERY, LifecycleStage.PURCHASE, 1.0, 2.0)))
            .build();

    @Test
    void theCellsMatchingEveryFilterGivenAreAnsweredWithTheirSums() {
        Map<String, Object> answer = EquityCellQuery.parse("segment=high-value&touchpoint=DELIVERY").answer(EQUITY);

        assertEquals(2, ((List<?>) answer.get("cells")).size());
        assertEquals(2.0, answer.get("contribution"));
        assertEquals(6.0, answer.get("volume"));
        assertEquals(2.0 / 6.0, answer.get("perceived"));
        assertEquals("2026-01-05T10:00:00Z", answer.get("asOf"));
    }

    @Test
    void oneCellIsAnsweredWhenAllThreeFiltersAreGiven() {
        Map<String, Object> answer = EquityCellQuery.parse("segment=high-value&touchpoint=delivery&stage=Purchase").answer(EQUITY);

        assertEquals(List.of(Map.of("segment", "high-value", "touchpoint", "DELIVERY", "stage", "PURCHASE", "contribution", 3.0, "volume", 4.0)),
                answer.get("cells"));
    }

    @Test
    void withoutFiltersEveryCellIsAnsweredAndTheSumsAreTheTotal() {
        Map<String, Object> answer = EquityCellQuery.parse(null).answer(EQUITY);

        assertEquals(4, ((List<?>) answer.get("cells")).size());
        assertEquals(EQUITY.getStock(), (double) answer.get("contribution"), 1e-12);
        assertEquals(EQUITY.getVolume(), (double) answer.get("volume"), 1e-12);
    }

    @Test
    void aSegmentNameIsURLDecodedAndMatchedExactly() {
        assertEquals("retail|eu & co", EquityCellQuery.parse("segment=retail%7Ceu+%26+co").segment());
        assertTrue(((List<?>) EquityCellQuery.parse("segment=High-Value").answer(EQUITY).get("cells")).isEmpty());
    }

    @Test
    void anUnknownTouchpointIsABadRequestNamingTheAcceptedSymbols() {
        QueryParameters.BadRequest e = assertThrows(QueryParameters.BadRequest.class, () -> EquityCellQuery.parse("touchpoint=PARCEL"));

        assertTrue(e.getMessage().contains("unknown touchpoint 'PARCEL'; accepted: AD, SOCIAL_MENTION,"), e.getMessage());
        assertTrue(e.getMessage().endsWith("DISPOSAL, OTHER"), e.getMessage());
    }

    @Test
    void anUnknownStageIsABadRequestNamingTheAcceptedSymbols() {
        QueryParameters.BadRequest e = assertThrows(QueryParameters.BadRequest.class, () -> EquityCellQuery.parse("stage=ONBOARDING"));

        assertEquals("unknown stage 'ONBOARDING'; accepted: AWARENESS, CONSIDERATION, PURCHASE, USAGE, SERVICE, LOYALTY, DISPOSAL, UNKNOWN",
                e.getMessage());
    }

    @Test
    void anUnknownOrRepeatedParameterIsABadRequest() {
        assertThrows(QueryParameters.BadRequest.class, () -> EquityCellQuery.parse("segmnt=high-value"));
        assertThrows(QueryParameters.BadRequest.class, () -> EquityCellQuery.parse("stage=USAGE&stage=SERVICE"));
    }

    @Test
    void overHttpABadFilterIs400AndAGoodOneWaitsForTheStoresLikeEveryQuery() throws Exception {
        PipelineConfig config = PipelineConfig.defaults().with(Map.of("api.host", "127.0.0.1", "api.port", "0"));
        try (KafkaStreams streams = UnstartedStreams.of("equity-cells-test"); QueryApi api = QueryApi.bind(config.api())) {
            api.start(streams, config.with(Map.of("api.port", Integer.toString(api.port()))));
            String base = "http://127.0.0.1:" + api.port();

            HttpResponse<String> bad = get(base + "/equity/cells?segment=high-value&stage=ONBOARDING");
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("accepted: AWARENESS, CONSIDERATION"), bad.body());
            assertEquals(503, get(base + "/equity/cells?segment=high-value&stage=PURCHASE").statusCode());
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
