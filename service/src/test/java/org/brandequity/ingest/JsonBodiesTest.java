package org.brandequity.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.model.FieldLimits;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {
    private static final long NOW = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();
    private static final String PROFILE = "{\"customerId\":\"c1\",\"segment\":\"s\"}";
    private static final String INTERACTION = "{\"eventId\":\"e1\",\"customerId\":\"c1\",\"eventTime\":\"2026-12-01T11:00:00Z\","
            + "\"touchpoint\":\"SURVEY_RESPONSE\",\"stage\":\"USAGE\"}";
    private final JsonBodies bodies = new JsonBodies(1 << 20, 1000);
    private final ContractCodec<CustomerProfile> profiles = ContractCodec.profiles();
    private final ContractCodec<CustomerInteraction> interactions = ContractCodec.interactions(Duration.ofHours(1));
    private final Problems problems = new Problems();

    private JsonBodies.Read<CustomerProfile> read(JsonBodies with, String body, String contentType) throws BodyException {
        return with.read(new ByteArrayInputStream(body.getBytes(UTF_8)), contentType, profiles, NOW, problems);
    }

    private JsonBodies.Read<CustomerProfile> read(String body, String contentType) throws BodyException {
        return read(bodies, body, contentType);
    }

    private BodyException refused(String body, String contentType) {
        return assertThrows(BodyException.class, () -> read(body, contentType));
    }

    private BodyException refusedInteraction(String body) {
        return assertThrows(BodyException.class, () -> bodies.read(new ByteArrayInputStream(body.getBytes(UTF_8)),
                "application/json", interactions, NOW, problems));
    }

    @Test
    void oneObjectIsOneItem() throws BodyException {
        assertEquals(1, read(PROFILE, "application/json; charset=utf-8").records().size());
    }

    @Test
    void anArrayIsOneItemPerElement() throws BodyException {
        assertEquals(3, read("[" + PROFILE + "," + PROFILE + "," + PROFILE + "]", "application/json").records().size());
    }

    @Test
    void ndjsonIsOneItemPerLineSkippingBlankLines() throws BodyException {
        assertEquals(2, read(PROFILE + "\n\n" + PROFILE + "\n", "application/x-ndjson").records().size());
    }

    @Test
    void malformedJsonIsA400NamingLineAndColumn() {
        BodyException e = refused(PROFILE + "\n{\"a\":}", "application/x-ndjson");
        assertEquals(400, e.status());
        Problem p = e.problems().get(0);
        assertEquals(Problem.Code.MALFORMED_JSON, p.code());
        assertEquals(1, p.item());
        assertTrue(p.reason().contains("line 2"), p.reason());
    }

    @Test
    void aDuplicateFieldIsMalformed() {
        BodyException e = refused("{\"customerId\":\"c1\",\"customerId\":\"c2\"}", "application/json");
        assertEquals(Problem.Code.MALFORMED_JSON, e.problems().get(0).code());
        assertTrue(e.getMessage().contains("Duplicate field 'customerId'"), e.getMessage());
    }

    @Test
    void anItemThatIsNotAnObjectIsNamed() throws BodyException {
        JsonBodies.Read<CustomerProfile> read = read("[" + PROFILE + ", 5]", "application/json");
        assertEquals(List.of(), read.records());
        assertEquals(List.of(new Problem(1, null, Problem.Code.NOT_AN_OBJECT, "item 1 is a JSON number, not an object")), problems.listed());
    }

    @Test
    void twoJsonValuesWithoutNdjsonAreMalformed() {
        assertEquals(400, refused(PROFILE + " " + PROFILE, "application/json").status());
    }

    @Test
    void anEmptyBodyIsA400() {
        assertEquals(400, refused("", "application/json").status());
    }

    @Test
    void anEmptyArrayIsA400() {
        assertEquals(400, refused("[]", "application/json").status());
    }

    @Test
    void aFormBodyIsA415NamingTheAcceptedTypes() {
        BodyException e = refused("a=1", "application/x-www-form-urlencoded");
        assertEquals(415, e.status());
        assertTrue(e.getMessage().contains("application/x-ndjson"), e.getMessage());
    }

    @Test
    void readingStopsAtTheItemAfterMaxItemsWith413NamingTheLimit() {
        JsonBodies two = new JsonBodies(1 << 20, 2);
        // The third item is malformed: a 413 rather than a 400 shows that reading stopped before it.
        BodyException e = assertThrows(BodyException.class, () -> read(two, "[{},{},{\"x\":}]", "application/json"));
        assertEquals(413, e.status());
        assertTrue(e.getMessage().contains("ingest.max.items"), e.getMessage());
    }

    @Test
    void aBodyPastMaxBodyBytesIs413EvenWithoutContentLength() {
        JsonBodies small = new JsonBodies(100, 1000);
        BodyException e = assertThrows(BodyException.class, () -> read(small, "[" + (PROFILE + ",").repeat(10) + PROFILE + "]", "application/json"));
        assertEquals(413, e.status());
        assertTrue(e.getMessage().contains("ingest.max.body.bytes"), e.getMessage());
    }

    @Test
    void aNumberLongerThan32CharactersIsAWrongTypeNamingTheField() {
        BodyException e = refused("{\"customerId\":\"c1\",\"segment\":\"s\",\"valueWeight\":" + "1".repeat(FieldLimits.NUMERIC_TEXT_MAX_CHARS + 1) + "}",
                "application/json");
        assertEquals(400, e.status());
        assertEquals(new Problem(0, "valueWeight", Problem.Code.WRONG_TYPE, e.problems().get(0).reason()), e.problems().get(0));
    }

    @Test
    void aNumberOf32CharactersIsRead() throws BodyException {
        String weight = "1." + "0".repeat(FieldLimits.NUMERIC_TEXT_MAX_CHARS - 2);
        assertEquals(1.0, read("{\"customerId\":\"c1\",\"segment\":\"s\",\"valueWeight\":" + weight + "}", "application/json")
                .records().get(0).getValueWeight());
    }

    @Test
    void aHugeDigitStringAsEventTimeIsABadTimeNamingTheFieldAndIsNotParsed() {
        BodyException e = refusedInteraction(INTERACTION.replace("\"2026-12-01T11:00:00Z\"", "\"" + "1".repeat(4_000_000) + "\""));
        assertEquals(400, e.status());
        assertEquals("eventTime", e.problems().get(0).field());
        assertEquals(Problem.Code.BAD_TIME, e.problems().get(0).code());
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }

    @Test
    void aNumberSentAsAStringOver32CharactersIsAWrongTypeEvenWhenItWouldParse() throws BodyException {
        String sentiment = "0." + "0".repeat(FieldLimits.NUMERIC_TEXT_MAX_CHARS - 2) + "1"; // 33 characters, 1e-31
        String ltr = " ".repeat(FieldLimits.NUMERIC_TEXT_MAX_CHARS - 2) + "007"; // 33 characters, 7
        bodies.read(new ByteArrayInputStream(INTERACTION.replace("}", ",\"sentiment\":\"" + sentiment + "\",\"likelihoodToRecommend\":\"" + ltr + "\"}")
                .getBytes(UTF_8)), "application/json", interactions, NOW, problems);
        assertEquals(List.of("sentiment", "likelihoodToRecommend"), problems.listed().stream().map(Problem::field).toList());
        assertEquals(List.of(Problem.Code.WRONG_TYPE, Problem.Code.WRONG_TYPE), problems.listed().stream().map(Problem::code).toList());
    }

    @Test
    void aStringOverTheParsersBoundIsTooLongNamingTheFieldAndNotEchoed() {
        BodyException e = refused("{\"customerId\":\"c1\",\"segment\":\"" + "s".repeat(1_000_000) + "\"}", "application/json");
        assertEquals(new Problem(0, "segment", Problem.Code.TOO_LONG, e.problems().get(0).reason()), e.problems().get(0));
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }

    @Test
    void aRefusalByTheParsersBoundsIsToldInTheClientsTermsNotTheParsersApi() {
        String string = refused("{\"customerId\":\"c1\",\"segment\":\"" + "s".repeat(100_000) + "\"}", "application/json").problems().get(0).reason();
        String number = refused("{\"customerId\":\"c1\",\"valueWeight\":" + "7".repeat(100) + "}", "application/json").problems().get(0).reason();
        String nesting = refused("{\"customerId\":\"c1\",\"x\":" + "[".repeat(100) + "]".repeat(100) + "}", "application/json").problems().get(0).reason();
        assertTrue(string.contains("a value longer than " + FieldLimits.STRING_MAX_CHARS + " characters"), string);
        assertTrue(number.contains("longer than " + FieldLimits.NUMERIC_TEXT_MAX_CHARS + " characters"), number);
        assertTrue(nesting.contains("deeper than " + FieldLimits.NESTING_MAX_DEPTH), nesting);
        for (String reason : List.of(string, number, nesting)) {
            assertTrue(!reason.contains("StreamReadConstraints") && !reason.contains("exceeds the maximum"), reason);
        }
    }

    @Test
    void aStringOverItsFieldLimitButUnderTheParsersIsTheValidatorsTooLong() throws BodyException {
        read("{\"customerId\":\"c1\",\"segment\":\"" + "s".repeat(FieldLimits.SEGMENT_MAX_BYTES + 1) + "\"}", "application/json");
        assertEquals(List.of("segment"), problems.listed().stream().map(Problem::field).toList());
        assertEquals(Problem.Code.TOO_LONG, problems.listed().get(0).code());
    }

    @Test
    void nestingDeeperThanTheBoundIsA400() {
        BodyException e = refused("{\"customerId\":\"c1\",\"segment\":\"s\",\"x\":" + "[".repeat(FieldLimits.NESTING_MAX_DEPTH + 1)
                + "]".repeat(FieldLimits.NESTING_MAX_DEPTH + 1) + "}", "application/json");
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("nesting deeper than " + FieldLimits.NESTING_MAX_DEPTH), e.getMessage());
    }

    @Test
    void anObjectWithMoreFieldsThanTheBoundStopsReadingWithOneProblem() {
        StringBuilder body = new StringBuilder("{\"customerId\":\"c1\",\"segment\":\"s\"");
        for (int i = 0; i < 1000; i++) body.append(",\"f").append(i).append("\":0");
        // The body is cut short after the 70th field: a parse error there would show reading went on.
        BodyException e = refused(body.toString().substring(0, body.indexOf("\"f70\"")) + "\"f70\":}", "application/json");
        assertEquals(400, e.status());
        assertEquals(new Problem(0, null, Problem.Code.TOO_MANY_FIELDS, "item 0 has more than 64 fields (CustomerProfile has 5)"), e.problems().get(0));
    }

    @Test
    void anUnknownKeyIsOneShortProblemWithoutTheFieldList() throws BodyException {
        read("{\"customerId\":\"c1\",\"segment\":\"s\",\"segmnt\":\"t\"}", "application/json");
        Problem p = problems.listed().get(0);
        assertEquals(new Problem(0, "segmnt", Problem.Code.UNKNOWN_FIELD, "'segmnt' is not a field of CustomerProfile (did you mean 'segment'?)"), p);
    }

    @Test
    void problemsBeyondTheListedBoundAreCountedNotListed() throws BodyException {
        String bad = "{\"customerId\":\"c1\",\"segment\":\"s\",\"x\":1}";
        read("[" + (bad + ",").repeat(499) + bad + "]", "application/json");
        assertEquals(FieldLimits.PROBLEMS_LISTED_MAX, problems.listed().size());
        assertEquals(500 - FieldLimits.PROBLEMS_LISTED_MAX, problems.more());
        assertEquals(500, problems.invalidItems());
    }

    @Test
    void aFieldNameOverTheParsersBoundIsMalformedNotBlamedOnThePreviousField() {
        BodyException e = refused("{\"customerId\":\"c1\",\"" + "n".repeat(FieldLimits.STRING_MAX_CHARS + 1) + "\":1}", "application/json");
        assertEquals(400, e.status());
        assertEquals(null, e.problems().get(0).field());
        assertEquals(Problem.Code.MALFORMED_JSON, e.problems().get(0).code());
    }

    @Test
    void aLongNumberAfterAnotherFieldNamesItsOwnField() {
        BodyException e = refused("{\"customerId\":\"c1\",\"valueWeight\":" + "1".repeat(100) + "}", "application/json");
        assertEquals("valueWeight", e.problems().get(0).field());
    }
}
