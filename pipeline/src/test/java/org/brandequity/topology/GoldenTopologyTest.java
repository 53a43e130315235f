package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.brandequity.config.PipelineConfig;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.junit.jupiter.api.Test;

/**
 * The topology's description with the default configuration, pinned in a checked-in file, in the
 * style of Kafka's own {@code RepartitionTopicNamingTest}: processor, store and internal topic names
 * are what a running deployment's state, changelogs, repartition topics and committed offsets are
 * keyed by, so a change to them is a change to every deployment's upgrade path and must be made on
 * purpose.
 */
class GoldenTopologyTest {
    /** Read relative to the module directory, where Maven runs the tests, so regeneration rewrites the checked-in file. */
    static final Path GOLDEN = Path.of("src/test/resources/upgrade/topology-description.txt");
    static final String REGENERATE = "regenerate.topology.golden";

    static String currentDescription() {
        return BrandEquityTopology.build(PipelineConfig.defaults(), new AppSerdes(new InMemorySchemaRegistry()))
                .describe().toString();
    }

    /** The lines only in the golden file ({@code -}) and only in the current description ({@code +}). */
    static String changedLines(String golden, String current) {
        List<String> before = golden.lines().toList();
        List<String> after = current.lines().toList();
        StringBuilder out = new StringBuilder();
        before.stream().filter(l -> !after.contains(l)).forEach(l -> out.append("  - ").append(l.strip()).append('\n'));
        after.stream().filter(l -> !before.contains(l)).forEach(l -> out.append("  + ").append(l.strip()).append('\n'));
        return out.isEmpty() ? "  (the same lines in another order)\n" : out.toString();
    }

    @Test
    void theTopologyDescriptionWithDefaultConfigIsTheCheckedInOne() throws IOException {
        String current = currentDescription();
        if (Boolean.getBoolean(REGENERATE)) {
            Files.writeString(GOLDEN, current, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(GOLDEN), GOLDEN.toAbsolutePath() + " is missing; create it with: mvn -B -pl schemas,local-cluster,pipeline test"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dtest=GoldenTopologyTest -D" + REGENERATE + "=true");
        String golden = Files.readString(GOLDEN, StandardCharsets.UTF_8);
        if (golden.equals(current)) return;
        fail("""
                The topology description differs from %s:
                %s
                Processor, state store and internal topic names are the identity of a running deployment's state:
                a renamed or re-numbered store or repartition topic starts empty (its old changelog and local state
                are orphaned), a renamed source or processor changes which task reads which data, and a rolling
                upgrade mixes both shapes. If the change is deliberate, plan the migration (docs/operations.md,
                "Upgrading"), then regenerate the file and commit it with the change:
                  mvn -B -pl schemas,local-cluster,pipeline test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=GoldenTopologyTest -D%s=true
                """.formatted(GOLDEN, changedLines(golden, current), REGENERATE));
    }
}
