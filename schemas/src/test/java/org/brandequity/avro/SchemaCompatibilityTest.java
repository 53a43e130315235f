package org.brandequity.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * public record under {@code src/main/avro} must be listed in {@link #CONTRACTS}, so that it is
 * checked against every version released with it.
 */
class SchemaCompatibilityTest {
    private static final Path COMPAT = Path.of("compat");
    private static final List<Class<?>> CONTRACTS = List.of(CustomerInteraction.class, CustomerProfile.class,
            CustomerExperienceScore.class, SegmentExperienceScore.class, BrandEquity.class, ScoreDropAlert.class,
            CustomerAlert.class);
    private static final Path PUBLIC_SCHEMAS = Path.of("src/main/avro");

    static Stream<Path> releasedVersions() throws IOException {
        try (Stream<Path> dirs = Files.list(COMPAT)) {
            return dirs.filter(Files::isDirectory).sorted().toList().stream();
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
            Schema current = (Schema) contract.getField("SCHEMA$").get(null);
            Path released = version.resolve(contract.getSimpleName() + ".avsc");
            if (!Files.exists(released)) continue; // first released after this version
            Schema old = parser.parse(released.toFile());
            assertEquals(SchemaCompatibilityType.COMPATIBLE,
                    SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType(),
                    contract.getSimpleName() + " cannot read data written with " + version);
            assertEquals(SchemaCompatibilityType.COMPATIBLE,
                    SchemaCompatibility.checkReaderWriterCompatibility(old, current).getType(),
                    contract.getSimpleName() + " written now cannot be read by readers of " + version);
        }
    }

    @Test
    void everyPublicRecordIsACheckedContract() throws IOException {
        List<String> checked = CONTRACTS.stream().map(Class::getSimpleName).toList();
        try (Stream<Path> files = Files.list(PUBLIC_SCHEMAS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).toList()) {
                String name = file.getFileName().toString().replace(".avsc", "");
                Schema schema = (Schema) assertDoesNotThrow(() -> Class.forName("org.brandequity.avro." + name).getField("SCHEMA$").get(null));
                if (schema.getType() == Schema.Type.RECORD) {
                    assertTrue(checked.contains(name), name + ".avsc is a public record missing from SchemaCompatibilityTest.CONTRACTS");
                }
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
