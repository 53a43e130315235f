package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.Touchpoint;
import org.junit.jupiter.api.Test;

class ContractCodecTest {
    private static final long NOW = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ContractCodec<CustomerInteraction> interactions = ContractCodec.interactions(Duration.ofHours(1));
    private final List<Problem> problems = new ArrayList<>();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final String MINIMAL = "'eventId':'e1','customerId':'c1','eventTime':'2026-12-01T11:00:00Z','touchpoint':'SURVEY_RESPONSE','stage':'USAGE'";

    private CustomerInteraction decode(String body) {
        return interactions.decode(json(body), 3, NOW, problems);
    }

    @Test
    void aMinimalInteractionDecodesWithEveryOptionalFieldNull() {
        CustomerInteraction e = decode("{" + MINIMAL + "}");
        assertEquals(List.of(), problems);
        assertEquals(new CustomerInteraction("e1", "c1", Instant.parse("2026-12-01T11:00:00Z"), Touchpoint.SURVEY_RESPONSE, LifecycleStage.USAGE,
                null, null, null, null, null, null, null), e);
    }

    @Test
    void everySignalAndTheNestedSpendDecode() {
        CustomerInteraction e = decode("{" + MINIMAL + ",'channel':'email','rating':4,'likelihoodToRecommend':9,'sentiment':0.5,"
                + "'effort':6,'outcome':'SUCCESS','spend':{'amount':12.5,'currency':'EUR'}}");
        assertEquals(List.of(), problems);
        assertEquals(4, e.getRating());
        assertEquals(Outcome.SUCCESS, e.getOutcome());
        assertEquals(12.5, e.getSpend().getAmount());
        assertEquals("EUR", e.getSpend().getCurrency());
    }

    @Test
    void epochMillisAndAnOffsetTimeAreTheSameInstant() {
        CustomerInteraction a = decode("{" + MINIMAL.replace("'2026-12-01T11:00:00Z'", "" + Instant.parse("2026-12-01T11:00:00Z").toEpochMilli()) + "}");
        CustomerInteraction b = decode("{" + MINIMAL.replace("2026-12-01T11:00:00Z", "2026-12-01T12:00:00+01:00") + "}");
        assertEquals(List.of(), problems);
        assertEquals(a.getEventTime(), b.getEventTime());
    }

    @Test
    void numbersSentAsStringsAreRead() {
        CustomerInteraction e = decode("{" + MINIMAL + ",'likelihoodToRecommend':' 7 ','sentiment':'-0.25'}");
        assertEquals(List.of(), problems);
        assertEquals(7, e.getLikelihoodToRecommend());
        assertEquals(-0.25, e.getSentiment());
    }

    @Test
    void anUnknownSymbolListsTheAcceptedOnes() {
        assertNull(decode("{" + MINIMAL.replace("'SURVEY_RESPONSE'", "'SURVY_RESPONSE'") + "}"));
        assertEquals(1, problems.size());
        Problem p = problems.get(0);
        assertEquals(new Problem(3, "touchpoint", Problem.Code.UNKNOWN_SYMBOL, p.reason()), p);
        assertTrue(p.reason().contains("SURVEY_RESPONSE") && p.reason().contains("DELIVERY"), p.reason());
    }

    @Test
    void aMissingRequiredFieldIsReported() {
        assertNull(decode("{" + MINIMAL.replace(",'stage':'USAGE'", "") + "}"));
        assertEquals(List.of(new Problem(3, "stage", Problem.Code.MISSING_FIELD, "stage is required")), problems);
    }

    @Test
    void anOutOfRangeSignalIsReportedByThePipelinesValidator() {
        assertNull(decode("{" + MINIMAL + ",'likelihoodToRecommend':11}"));
        assertEquals(List.of(new Problem(3, "likelihoodToRecommend", Problem.Code.OUT_OF_RANGE, "likelihoodToRecommend=11 is outside 0..10")), problems);
    }

    @Test
    void aMisspeltFieldIsAnUnknownFieldWithASuggestion() {
        assertNull(decode("{" + MINIMAL + ",'ratin':4}"));
        assertEquals(Problem.Code.UNKNOWN_FIELD, problems.get(0).code());
        assertTrue(problems.get(0).reason().contains("did you mean 'rating'"), problems.get(0).reason());
    }

    @Test
    void everyProblemOfAnItemIsListed() {
        assertNull(decode("{'eventId':'e1','customerId':7,'eventTime':'yesterday','touchpoint':'SURVEY_RESPONSE','stage':'USAGE','rating':4.5,'spend':{'amount':1}}"));
        assertEquals(List.of("customerId", "eventTime", "rating", "spend.currency"), problems.stream().map(Problem::field).toList());
        assertEquals(List.of(Problem.Code.WRONG_TYPE, Problem.Code.BAD_TIME, Problem.Code.WRONG_TYPE, Problem.Code.MISSING_FIELD),
                problems.stream().map(Problem::code).toList());
    }

    @Test
    void aLocalTimeWithoutAnOffsetIsRefused() {
        assertNull(decode("{" + MINIMAL.replace("2026-12-01T11:00:00Z", "2026-12-01T11:00:00") + "}"));
        assertEquals(Problem.Code.BAD_TIME, problems.get(0).code());
    }

    @Test
    void aTimeTooFarAheadIsAFutureEventTime() {
        assertNull(decode("{" + MINIMAL.replace("2026-12-01T11:00:00Z", "2026-12-01T14:00:00Z") + "}"));
        assertEquals(Problem.Code.FUTURE_EVENT_TIME, problems.get(0).code());
    }

    @Test
    void anExplicitNullOptionalFieldIsNull() {
        assertNotNull(decode("{" + MINIMAL + ",'rating':null}"));
        assertEquals(List.of(), problems);
    }

    @Test
    void aProfileWithoutValueWeightTakesTheContractDefault() {
        CustomerProfile p = ContractCodec.profiles().decode(json("{'customerId':'c1','segment':'high-value'}"), 0, NOW, problems);
        assertEquals(List.of(), problems);
        assertEquals(1.0, p.getValueWeight());
        assertEquals("c1", ContractCodec.profiles().key(p));
    }

    @Test
    void aProfileWithANegativeValueWeightIsRefused() {
        assertNull(ContractCodec.profiles().decode(json("{'customerId':'c1','segment':'s','valueWeight':-1}"), 0, NOW, problems));
        assertEquals(Problem.Code.OUT_OF_RANGE, problems.get(0).code());
    }

    @Test
    void anEncodedInteractionDecodesToItself() {
        CustomerInteraction e = decode("{" + MINIMAL + ",'channel':'app','rating':2,'likelihoodToRecommend':3,'sentiment':-0.5,"
                + "'effort':2,'outcome':'FAILURE','spend':{'amount':99.0,'currency':'USD'}}");
        assertEquals(e, interactions.decode(interactions.encode(e), 0, NOW, problems));
        assertEquals(List.of(), problems);
    }

    @Test
    void anEncodedProfileDecodesToItself() {
        ContractCodec<CustomerProfile> profiles = ContractCodec.profiles();
        CustomerProfile p = new CustomerProfile("c1", "high-value", "gold", 2.5, Instant.parse("2020-01-01T00:00:00Z"));
        assertEquals(p, profiles.decode(profiles.encode(p), 0, NOW, problems));
    }

    @Test
    void aWrongTypeForANestedPrimitiveIsAProblemNotACrash() {
        // Found by DoorsFuzzTest: a null put into spend.amount (a primitive double) threw, a 500.
        assertNull(decode("{" + MINIMAL + ",'spend':{'amount':'plenty','currency':'EUR'}}"));
        assertEquals(List.of("spend.amount"), problems.stream().map(Problem::field).toList());
        assertEquals(Problem.Code.WRONG_TYPE, problems.get(0).code());
    }

    @Test
    void aNumberTooLargeForADoubleIsAWrongType() {
        assertNull(decode("{" + MINIMAL + ",'spend':{'amount':1e999,'currency':'EUR'}}"));
        assertEquals(Problem.Code.WRONG_TYPE, problems.get(0).code());
    }
}
