package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.brandequity.model.FieldLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file import's bounds per row: each breach is a rejected row with its reason, and reading goes on. */
class ImportBoundsTest {
    @TempDir
    Path dir;

    private static RowMapper mapper(String yaml) throws Exception {
        return new RowMapper(ImportMapping.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml)));
    }

    private static final String MAPPING = """
            contract: interactions
            fields:
              customerId: c
              eventTime: {column: t, format: epoch-millis}
              rating: r
            constants:
              touchpoint: DELIVERY
              stage: USAGE
            """;

    @Test
    void aCsvRowWithMoreCellsThanTheHeaderIsRejectedAndTheNextRowIsRead() throws Exception {
        Path file = Files.writeString(dir.resolve("f.csv"), "a,b,c\n1" + ",".repeat(1_000_000) + "\n4,5,6\n");
        try (CsvRows rows = new CsvRows(file, List.of("c", "a"), ',')) {
            assertTrue(rows.next());
            assertNull(rows.values());
            assertEquals("the row has 1000001 fields, the header 3", rows.malformed());
            assertTrue(rows.next());
            assertArrayEquals(new String[] {"6", "4"}, rows.values());
            assertFalse(rows.next());
        }
    }

    @Test
    void aMappedCsvCellOverTheStringBoundIsARejectedRowNamingTheColumn() throws Exception {
        Path file = Files.writeString(dir.resolve("f.csv"), "a,b\n" + "x".repeat(FieldLimits.STRING_MAX_CHARS + 1) + ",1\n2,3\n");
        try (CsvRows rows = new CsvRows(file, List.of("a"), ',')) {
            assertTrue(rows.next());
            assertEquals("column 'a' holds more than " + FieldLimits.STRING_MAX_CHARS + " characters", rows.malformed());
            assertTrue(rows.next());
            assertArrayEquals(new String[] {"2"}, rows.values());
        }
    }

    @Test
    void aCsvCellOverTheParsersBoundIsARejectedRowAndTheNextRowIsRead() throws Exception {
        Path file = Files.writeString(dir.resolve("f.csv"), "a,b\n" + "x".repeat(FieldLimits.ROW_MAX_CHARS + 10) + ",1\n2,3\n");
        try (CsvRows rows = new CsvRows(file, List.of("a"), ',')) {
            assertTrue(rows.next());
            assertNull(rows.values());
            assertTrue(rows.malformed().startsWith("malformed CSV: String value length"), rows.malformed());
            assertTrue(rows.next());
            assertArrayEquals(new String[] {"2"}, rows.values(), rows.malformed());
            assertFalse(rows.next());
        }
    }

    @Test
    void anNdjsonLineOverTheRowBoundIsRejectedAndTheNextLineIsRead() throws Exception {
        Path file = Files.writeString(dir.resolve("f.ndjson"), "{\"a\":\"" + "x".repeat(FieldLimits.ROW_MAX_CHARS) + "\"}\r\n{\"a\":\"y\"}\n");
        try (NdjsonRows rows = new NdjsonRows(file, List.of("a"))) {
            assertTrue(rows.next());
            assertEquals("the line is longer than " + FieldLimits.ROW_MAX_CHARS + " characters", rows.malformed());
            assertTrue(rows.next());
            assertArrayEquals(new String[] {"y"}, rows.values());
            assertEquals(2, rows.row());
            assertFalse(rows.next());
        }
    }

    @Test
    void anNdjsonNumberLongerThan32CharactersIsARejectedLine() throws Exception {
        Path file = Files.writeString(dir.resolve("f.ndjson"), "{\"a\":" + "1".repeat(FieldLimits.NUMERIC_TEXT_MAX_CHARS + 1) + "}\n{\"a\":1}\n");
        try (NdjsonRows rows = new NdjsonRows(file, List.of("a"))) {
            assertTrue(rows.next());
            assertTrue(rows.malformed().contains("Number value length"), rows.malformed());
            assertTrue(rows.next());
            assertArrayEquals(new String[] {"1"}, rows.values());
        }
    }

    @Test
    void aNumericCellLongerThan32CharactersIsAProblemNamingTheFieldBeforeItIsParsed() throws Exception {
        RowMapper.Mapped row = mapper(MAPPING).map(new String[] {"c1", "1764590400000", "4".repeat(FieldLimits.NUMERIC_TEXT_MAX_CHARS + 1)}, 0);
        assertEquals(List.of("rating"), row.problems().stream().map(RowMapper.FieldProblem::field).toList());
        assertTrue(row.problems().get(0).reason().contains("more than 32 characters"), row.problems().get(0).reason());
    }

    @Test
    void anEpochTimeCellLongerThan32CharactersIsAProblemNamingTheField() throws Exception {
        RowMapper.Mapped row = mapper(MAPPING).map(new String[] {"c1", "1".repeat(4_000_000), "4"}, 0);
        assertEquals(List.of("eventTime"), row.problems().stream().map(RowMapper.FieldProblem::field).toList());
        assertTrue(row.problems().get(0).reason().length() < 200, row.problems().get(0).reason());
    }

    @Test
    void aTimeTextLongerThanTheTimeBoundIsRefusedBeforeItIsParsed() {
        TimeFormat iso = TimeFormat.of("iso", "UTC");
        String longer = "2026-11-28T14:03:12." + "1".repeat(FieldLimits.TIME_TEXT_MAX_CHARS) + "Z";
        java.time.DateTimeException e = org.junit.jupiter.api.Assertions.assertThrows(java.time.DateTimeException.class, () -> iso.parse(longer));
        assertTrue(e.getMessage().contains("more than " + FieldLimits.TIME_TEXT_MAX_CHARS), e.getMessage());
    }

    @Test
    void aStringCellOverItsFieldLimitIsRefusedByTheValidatorNamingTheField() throws Exception {
        RowMapper.Mapped row = mapper(MAPPING).map(new String[] {"c".repeat(FieldLimits.ID_MAX_BYTES + 1), "1764590400000", "4"}, 0);
        List<Problem> problems = new java.util.ArrayList<>();
        assertNull(ContractCodec.interactions(java.time.Duration.ofDays(36_500)).decode(row.node(), 0, 1764590400000L, problems));
        assertEquals(List.of(new Problem(0, "customerId", Problem.Code.TOO_LONG, problems.get(0).reason())), problems);
    }
}
