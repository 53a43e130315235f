package org.brandequity.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every released contract version is kept under {@code schemas/compat/vN}. The current schemas must
 * stay compatible both ways with each of them: new readers read old data (backward) and old readers
 * read new data (forward), so producers and consumers can upgrade in any order. A contract first
 * released after a version (no file of its name there) has nothing to be compatible with in it; every
 * public schema under {@code src/main/avro} must be listed in {@link #CONTRACTS} and released in the
 * newest version (docs/releasing.md), so that it is checked against every version released with it.
 */
class SchemaCompatibilityTest {
    private static final Path COMPAT = Path.of("compat");
    private static final List<Class<?>> CONTRACTS = List.of(CustomerInteraction.class, CustomerProfile.class,
            CustomerExperienceScore.class, SegmentExperienceScore.class, BrandEquity.class, ScoreDropAlert.class,
            TouchpointExperienceScore.class, CustomerAlert.class, EquityHistoryPoint.class, KeyDrivers.class);

    static Stream<Path> releasedVersions() throws IOException {
        try (Stream<Path> dirs = Files.list(COMPAT)) {
            // v2 before v10: by release number, not by text.
            return dirs.filter(Files::isDirectory)
                    .sorted(java.util.Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString().substring(1))))
                    .toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedVersions")
    void currentContractsAreCompatibleBothWaysWithAReleasedVersion(Path version) throws Exception {
        Schema.Parser parser = new Schema.Parser();
        for (String shared : List.of("Touchpoint", "LifecycleStage", "Outcome")) {
            parser.parse(version.resolve(shared + ".avsc").toFile());
        }
        for (Class<?> contract : CONTRACTS) {
            Path released = version.resolve(contract.getSimpleName() + ".avsc");
            // First released after this version: the newest version holds it (everyPublicSchemaIsReleasedInTheNewestVersion).
            if (!Files.exists(released)) continue;
            Schema current = (Schema) contract.getField("SCHEMA$").get(null);
            Schema old = parser.parse(released.toFile());
            assertEquals(SchemaCompatibilityType.COMPATIBLE,
                    SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType(),
                    contract.getSimpleName() + " cannot read data written with " + version);
            assertEquals(SchemaCompatibilityType.COMPATIBLE,
                    SchemaCompatibility.checkReaderWriterCompatibility(old, current).getType(),
                    contract.getSimpleName() + " written now cannot be read by readers of " + version);
        }
    }

    /**
     * Every public record schema (schemas/src/main/avro, not internal/) is a checked contract, or
     * a record nested in one, so that a new output topic's value cannot escape this test.
     */
    @Test
    void everyPublicRecordSchemaIsACheckedContract() throws IOException {
        Set<String> checked = new java.util.TreeSet<>();
        for (Class<?> c : CONTRACTS) checked.add(c.getSimpleName());
        Set<String> shared = Set.of("Touchpoint", "LifecycleStage", "Outcome");
        try (Stream<Path> files = Files.list(Path.of("src/main/avro"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".avsc")).toList()) {
                String name = f.getFileName().toString().replace(".avsc", "");
                assertTrue(checked.contains(name) || shared.contains(name), f + " is a public schema missing from CONTRACTS");
            }
        }
    }

    /**
     * Issue 14: an equity record written by a producer of v1 (no cross breakdown) decodes into the
     * current BrandEquity with empty cells, segmentTouchpoints and segmentStages, as their defaults say.
     */
    @Test
    void anEquityRecordWrittenWithV1ReadsWithEmptyCellsAndTwoWayViews() throws Exception {
        Path v1 = COMPAT.resolve("v1");
        Schema.Parser parser = new Schema.Parser();
        for (String shared : List.of("Touchpoint", "LifecycleStage", "Outcome")) parser.parse(v1.resolve(shared + ".avsc").toFile());
        Schema old = parser.parse(v1.resolve("BrandEquity.avsc").toFile());
        org.apache.avro.generic.GenericRecord written = new org.apache.avro.generic.GenericData.Record(old);
        written.put("brandId", "acme");
        written.put("asOf", 1_000L);
        written.put("stock", 1.5);
        written.put("volume", 3.0);
        written.put("index", 11.5);
        written.put("events", 2L);
        written.put("segments", List.of());
        written.put("touchpoints", List.of());
        written.put("stages", List.of());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        org.apache.avro.io.BinaryEncoder out = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
        new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(old).write(written, out);
        out.flush();

        BrandEquity read = new org.apache.avro.specific.SpecificDatumReader<BrandEquity>(old, BrandEquity.SCHEMA$)
                .read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertEquals(1.5, read.getStock());
        assertEquals(List.of(), read.getCells());
        assertEquals(List.of(), read.getSegmentTouchpoints());
        assertEquals(List.of(), read.getSegmentStages());
    }

    /**
     * A release copies every public schema into a new {@code compat/vN} (docs/releasing.md), so the
     * newest version holds each one: a public schema with no released version would be checked
     * against nothing.
     */
    @Test
    void everyPublicSchemaIsReleasedInTheNewestVersion() throws IOException {
        List<Path> versions = releasedVersions().toList();
        Path newest = versions.get(versions.size() - 1);
        try (Stream<Path> files = Files.list(Path.of("src/main/avro"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".avsc")).toList()) {
                assertTrue(Files.exists(newest.resolve(f.getFileName())), f.getFileName()
                        + " has no released version: " + newest + " lacks it (copy it there at the release, docs/releasing.md)");
            }
        }
    }

    @Test
    void atLeastOneReleasedVersionIsKept() throws IOException {
        assertFalse(releasedVersions().toList().isEmpty());
    }

    @Test
    void everyEnumHasADefaultSoNewSymbolsDoNotBreakOldReaders() {
        for (Schema e : List.of(Touchpoint.SCHEMA$, LifecycleStage.SCHEMA$, Outcome.SCHEMA$, AlertScope.SCHEMA$, AlertState.SCHEMA$,
                CustomerAlertState.SCHEMA$, AtRiskTrigger.SCHEMA$)) {
            assertNotNull(e.getEnumDefault(), e.getName());
        }
    }
}
