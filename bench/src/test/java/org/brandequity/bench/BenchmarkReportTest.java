package org.brandequity.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Starts nothing: reads bench/results/ and docs/benchmark.md. */
class BenchmarkReportTest {
    static final String REGENERATE = "benchmark.regenerate";

    /** The project root, from the module directory (where surefire runs) or the root. */
    private static Path root() {
        return Files.exists(Path.of("..", "docs", "benchmark.md")) && !Files.exists(Path.of("docs")) ? Path.of("..") : Path.of(".");
    }

    @Test
    void theCurrentResultsTableInDocsBenchmarkIsTheOneTheNewestResultFilesGenerate() throws IOException {
        Path doc = root().resolve("docs/benchmark.md");
        String text = Files.readString(doc);
        BenchmarkReport report = BenchmarkReport.of(root().resolve("bench/results"));
        if (Boolean.getBoolean(REGENERATE)) {
            Files.writeString(doc, report.update(text));
            return;
        }
        assertEquals(report.table(), BenchmarkReport.current(text), "docs/benchmark.md's current results differ from bench/results/. Regenerate them with\n"
                + "  mvn -B -pl bench -am test -Dtest=BenchmarkReportTest -Dsurefire.failIfNoSpecifiedTests=false -D" + REGENERATE + "=true");
    }

    @Test
    void theFloorTargetIsMetAtThirtyFivePercentOfTheSameRunsFloor() throws IOException {
        String table = new BenchmarkReport(List.of(run("bench-20990101-000000-x", "x", 0.35))).table();
        assertTrue(table.contains("| 35.0 % (35,000 vs 100,000 events/s) | met |"), table);
    }

    @Test
    void theFloorTargetIsMissedBelowThirtyFivePercent() throws IOException {
        String table = new BenchmarkReport(List.of(run("bench-20990101-000000-x", "x", 0.349))).table();
        assertTrue(table.contains("| 34.9 % (34,900 vs 100,000 events/s) | **missed** |"), table);
    }

    @Test
    void aBeforeRunIsNotCurrentEvenWhenItIsNewer() throws IOException {
        String table = new BenchmarkReport(List.of(run("bench-20990101-000000-after", "after", 0.2),
                run("bench-20990102-000000-before-x", "before-x", 0.4))).table();
        assertTrue(table.contains("`bench-20990101-000000-after`"), table);
        assertFalse(table.contains("before-x"), table);
    }

    private static BenchmarkReport.Run run(String name, String label, double ratio) throws IOException {
        String json = "{\"label\":\"" + label + "\",\"throughput\":{\"pipelineToFloorWithStoreRatio\":" + ratio
                + ",\"pipeline\":{\"eventsPerSecond\":" + Math.round(ratio * 100_000) + "},\"streamsFloorWithStore\":{\"eventsPerSecond\":100000}}}";
        return new BenchmarkReport.Run(name, new ObjectMapper().readTree(json));
    }
}
