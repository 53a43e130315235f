package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping of one row onto the contract's JSON form: value maps, scales, times and zones, ids. */
class RowMapperTest {
    private static final String BASE = """
            contract: interactions
            fields:
              customerId: Customer
              eventTime: {column: When, format: "yyyy-MM-dd HH:mm:ss", zone: Europe/Berlin}
              touchpoint: {column: Where, values: {Delivery: DELIVERY, Support: SUPPORT_CONTACT}}
              rating: {column: CSAT, values: {Very dissatisfied: 1, Dissatisfied: 2, Neutral: 3, Satisfied: 4, Very satisfied: 5}}
              effort: {column: Effort 1-10, scale: {from: [1, 10], to: [1, 7]}}
            constants:
              stage: USAGE
              channel: email
            """;

    private static RowMapper mapper(String yaml) throws Exception {
        JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        return new RowMapper(ImportMapping.parse(tree));
    }

    /** Columns in the mapper's order: Customer, When, Where, CSAT, Effort 1-10. */
    private static RowMapper.Mapped map(RowMapper m, String... values) {
        assertEquals(List.of("Customer", "When", "Where", "CSAT", "Effort 1-10"), m.columns());
        return m.map(values, 0);
    }

    @Test
    void aValueMapTurnsASurveyLabelIntoTheContractsRatingAndSymbol() throws Exception {
        RowMapper.Mapped row = map(mapper(BASE), "c-1", "2026-11-28 14:03:12", "Delivery", "Very satisfied", "");

        assertTrue(row.ok(), row.problems().toString());
        assertEquals(5, row.node().get("rating").intValue());
        assertEquals("DELIVERY", row.node().get("touchpoint").textValue());
    }

    @Test
    void aValueTheMapDoesNotListIsAProblemNamingTheMappedValues() throws Exception {
        RowMapper.Mapped row = map(mapper(BASE), "c-1", "2026-11-28 14:03:12", "Delivery", "Extremely satisfied", "");

        assertEquals(1, row.problems().size());
        assertEquals("rating", row.problems().get(0).field());
        assertTrue(row.problems().get(0).reason().contains("'Extremely satisfied' is not one of the mapped values [Very dissatisfied"),
                row.problems().get(0).reason());
        assertFalse(row.node().has("rating"));
    }

    @Test
    void aLinearScaleMapsAOneToTenAnswerOntoTheContractsOneToSevenRoundingHalfUp() throws Exception {
        RowMapper m = mapper(BASE);
        // y = 1 + (x - 1) * 6 / 9: 1 -> 1, 4 -> 3, 5 -> 3.67 -> 4, 10 -> 7
        assertEquals(1, map(m, "c-1", "2026-11-28 14:03:12", "Delivery", "", "1").node().get("effort").intValue());
        assertEquals(3, map(m, "c-1", "2026-11-28 14:03:12", "Delivery", "", "4").node().get("effort").intValue());
        assertEquals(4, map(m, "c-1", "2026-11-28 14:03:12", "Delivery", "", "5").node().get("effort").intValue());
        assertEquals(7, map(m, "c-1", "2026-11-28 14:03:12", "Delivery", "", "10").node().get("effort").intValue());
    }

    @Test
    void aValueOutsideTheScaleIsAProblemRatherThanAClippedValue() throws Exception {
        RowMapper.Mapped row = map(mapper(BASE), "c-1", "2026-11-28 14:03:12", "Delivery", "", "11");

        assertEquals("effort", row.problems().get(0).field());
        assertTrue(row.problems().get(0).reason().contains("11 is outside the scale's 1..10"), row.problems().get(0).reason());
    }

    @Test
    void aLocalTimeIsReadInTheMappingsZone() throws Exception {
        RowMapper.Mapped row = map(mapper(BASE), "c-1", "2026-11-28 14:03:12", "Delivery", "", "");

        // Berlin is UTC+1 in November.
        assertEquals(Instant.parse("2026-11-28T13:03:12Z").toEpochMilli(), row.node().get("eventTime").longValue());
    }

    @Test
    void isoWithAnOffsetEpochMillisAndEpochSecondsNameTheSameInstant() {
        long expected = Instant.parse("2026-11-28T13:03:12Z").toEpochMilli();

        assertEquals(expected, TimeFormat.of("iso", "Europe/Berlin").parse("2026-11-28T14:03:12+01:00"));
        assertEquals(expected, TimeFormat.of("iso", "Europe/Berlin").parse("2026-11-28T14:03:12"), "no offset: the zone");
        assertEquals(expected, TimeFormat.of("iso", "UTC").parse("2026-11-28T13:03:12Z"));
        assertEquals(expected, TimeFormat.of("epoch-millis", "UTC").parse(Long.toString(expected)));
        assertEquals(expected, TimeFormat.of("epoch-seconds", "UTC").parse(Long.toString(expected / 1000)));
        assertEquals(expected, TimeFormat.of("auto", "UTC").parse(Long.toString(expected)));
    }

    @Test
    void aTimeThatDoesNotMatchTheFormatIsAProblemNamingTheFormat() throws Exception {
        RowMapper.Mapped row = map(mapper(BASE), "c-1", "28.11.2026 14:03", "Delivery", "", "");

        assertEquals("eventTime", row.problems().get(0).field());
        assertTrue(row.problems().get(0).reason().contains("'28.11.2026 14:03' is not a time in format yyyy-MM-dd HH:mm:ss"),
                row.problems().get(0).reason());
    }

    @Test
    void constantsFillTheFieldsTheFileDoesNotHave() throws Exception {
        RowMapper.Mapped row = map(mapper(BASE), "c-1", "2026-11-28 14:03:12", "Support", "", "");

        assertEquals("USAGE", row.node().get("stage").textValue());
        assertEquals("email", row.node().get("channel").textValue());
    }

    @Test
    void theDerivedIdIsTheSameForTheSameRowAndDiffersForAnotherRow() throws Exception {
        RowMapper m = mapper(BASE);
        String first = map(m, "c-1", "2026-11-28 14:03:12", "Delivery", "Satisfied", "3").node().get("eventId").textValue();
        String again = mapper(BASE).map(new String[] {"c-1", "2026-11-28 14:03:12", "Delivery", "Satisfied", "3"}, 0)
                .node().get("eventId").textValue();
        String other = map(m, "c-1", "2026-11-28 14:03:13", "Delivery", "Satisfied", "3").node().get("eventId").textValue();

        assertTrue(first.matches("imp-[0-9a-f]{32}"), first);
        assertEquals(first, again);
        assertNotEquals(first, other);
    }

    @Test
    void theDerivedIdDoesNotDependOnTheTimeShift() throws Exception {
        RowMapper m = mapper(BASE);
        String[] values = {"c-1", "2026-11-28 14:03:12", "Delivery", "", ""};

        RowMapper.Mapped shifted = m.map(values, 86_400_000L);

        assertEquals(m.map(values, 0).node().get("eventId"), shifted.node().get("eventId"));
        assertEquals(Instant.parse("2026-11-29T13:03:12Z").toEpochMilli(), shifted.node().get("eventTime").longValue());
    }

    @Test
    void valuesThatOnlyConcatenateAlikeGetDifferentIds() {
        EventIds ids = new EventIds();

        assertNotEquals(ids.derive(new String[] {"ab", "c"}), ids.derive(new String[] {"a", "bc"}));
        assertNotEquals(ids.derive(new String[] {"", "x"}), ids.derive(new String[] {null, "x"}));
    }

    @Test
    void anEventIdColumnIsUsedAsItIs() throws Exception {
        RowMapper m = mapper(BASE.replace("  customerId: Customer\n", "  customerId: Customer\n  eventId: Response ID\n"));

        RowMapper.Mapped row = m.map(new String[] {"R_1", "c-1", "2026-11-28 14:03:12", "Delivery", "", ""}, 0);

        assertEquals(List.of("Response ID", "Customer", "When", "Where", "CSAT", "Effort 1-10"), m.columns());
        assertEquals("R_1", row.node().get("eventId").textValue());
    }

    @Test
    void aMappingNamingAnUnknownFieldFailsAtLoadListingTheFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mapper(BASE.replace("rating:", "ratting:")));

        assertTrue(e.getMessage().contains("unknown contract field 'ratting'; the fields are [eventId, customerId"), e.getMessage());
    }

    @Test
    void aValueMapToASymbolTheContractDoesNotHaveFailsAtLoadListingTheSymbols() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mapper(BASE.replace("Delivery: DELIVERY", "Delivery: PARCEL")));

        assertTrue(e.getMessage().contains("'PARCEL' is not a symbol of Touchpoint; accepted: [AD, "), e.getMessage());
    }

    @Test
    void aMappingWithoutARequiredFieldFailsAtLoad() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mapper(BASE.replace("  stage: USAGE\n", "")));

        assertTrue(e.getMessage().contains("stage is required by the interactions contract"), e.getMessage());
    }
}
