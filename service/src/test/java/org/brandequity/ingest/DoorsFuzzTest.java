package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.model.FieldLimits;
import org.brandequity.model.InteractionValidator;

/**
 * Fuzz targets for the two doors (docs/ingest.md, "Fuzzing"). In a plain build each runs its
 * committed inputs ({@code src/test/resources/org/brandequity/ingest/DoorsFuzzTestInputs/<method>/}:
 * seeds and every input that once failed); with {@code JAZZER_FUZZ=1} Jazzer fuzzes the first
 * one selected for {@code maxDuration}.
 *
 * <p>The invariant of the HTTP door: a body is either records the pipeline's validator accepts, or
 * problems (at most {@link FieldLimits#PROBLEMS_LISTED_MAX} listed, each reason short), or a
 * {@link BodyException} with 400 or 413 — never another exception, never a 500. Of the file door:
 * every row is a record the validator accepts or a rejected row with a reason — never an exception.
 */
class DoorsFuzzTest {
    private static final long NOW = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();
    private static final Duration SKEW = Duration.ofHours(1);
    /** Small limits, so that fuzzed inputs reach them. */
    private static final JsonBodies BODIES = new JsonBodies(64 * 1024, 50);
    private static final ContractCodec<CustomerInteraction> CODEC = ContractCodec.interactions(SKEW);
    private static final InteractionValidator VALIDATOR = new InteractionValidator(SKEW);
    /** Longer than any reason the doors write: field names, bounds and values cut to 40 characters. */
    private static final int REASON_MAX_CHARS = 1_000;
    private static final String MAPPING = """
            contract: interactions
            fields:
              eventId: id
              customerId: customer
              eventTime: {column: time, format: auto}
              rating: {column: csat, values: {low: 1, mid: 3, high: 5}}
              effort: {column: effort, scale: {from: [1, 10], to: [1, 7]}}
              sentiment: sentiment
              spend.amount: amount
              spend.currency: currency
            constants:
              touchpoint: DELIVERY
              stage: USAGE
            """;
    private static final RowMapper MAPPER = mapper();
    private static final Path DIR = tempDir();

    private static RowMapper mapper() {
        try {
            return new RowMapper(ImportMapping.parse(new ObjectMapper(new YAMLFactory()).readTree(MAPPING)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("doors-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "3m")
    void jsonBody(byte[] body) {
        readBody(body, "application/json");
    }

    @FuzzTest(maxDuration = "3m")
    void ndjsonBody(byte[] body) {
        readBody(body, "application/x-ndjson");
    }

    /** The rows after a header that names the mapping's columns (a header without them stops the import before any row). */
    @FuzzTest(maxDuration = "3m")
    void csvFile(byte[] rows) throws IOException {
        byte[] header = (String.join(",", MAPPER.columns()) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] file = java.util.Arrays.copyOf(header, header.length + rows.length);
        System.arraycopy(rows, 0, file, header.length, rows.length);
        readFile(file, "f.csv", RowSource.Format.CSV);
    }

    @FuzzTest(maxDuration = "3m")
    void ndjsonFile(byte[] file) throws IOException {
        readFile(file, "f.ndjson", RowSource.Format.NDJSON);
    }

    private static void readBody(byte[] body, String contentType) {
        Problems problems = new Problems();
        try {
            JsonBodies.Read<CustomerInteraction> read = BODIES.read(new ByteArrayInputStream(body), contentType, CODEC, NOW, problems);
            assertTrue(problems.listed().size() <= FieldLimits.PROBLEMS_LISTED_MAX);
            for (Problem p : problems.listed()) assertShort(p);
            if (problems.isEmpty()) {
                assertEquals(read.items(), read.records().size());
                for (CustomerInteraction r : read.records()) assertValid(r);
            } else {
                assertEquals(List.of(), read.records(), "all or nothing");
            }
        } catch (BodyException e) {
            assertTrue(e.status() == 400 || e.status() == 413, "status " + e.status());
            assertEquals(1, e.problems().size());
            assertShort(e.problems().get(0));
        }
    }

    private static void readFile(byte[] content, String name, RowSource.Format format) throws IOException {
        Path file = DIR.resolve(name);
        Files.write(file, content);
        try (RowSource rows = RowSource.open(file, format, MAPPER, ',')) {
            while (rows.next()) {
                assertTrue(rows.row() > 0);
                if (rows.malformed() != null) {
                    assertNotNull(rows.raw());
                    continue;
                }
                RowMapper.Mapped mapped = MAPPER.map(rows.values(), 0);
                List<Problem> problems = new ArrayList<>();
                CustomerInteraction record = CODEC.decode(mapped.node(), 0, NOW, problems);
                if (mapped.ok() && record != null) {
                    assertValid(record);
                } else {
                    assertTrue(!mapped.problems().isEmpty() || !problems.isEmpty(), "a rejected row has a reason");
                    for (Problem p : problems) assertShort(p);
                }
            }
        }
    }

    private static void assertValid(CustomerInteraction r) {
        assertEquals(List.of(), VALIDATOR.validateAll(r.getCustomerId(), r, NOW));
    }

    private static void assertShort(Problem p) {
        assertTrue(p.reason().length() <= REASON_MAX_CHARS, "a reason of " + p.reason().length() + " characters");
        assertTrue(p.field() == null || p.field().length() <= REASON_MAX_CHARS, () -> "a field name of " + p.field().length() + " characters");
        assertNotNull(p.code());
    }
}
