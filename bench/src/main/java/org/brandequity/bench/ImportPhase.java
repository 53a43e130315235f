package org.brandequity.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;

/** Phase 6: CSV import of a generated survey export through the {@code import} command. */
final class ImportPhase extends Phase {
    ImportPhase(BenchRun run) {
        super(run);
    }

    /** A generated survey export of {@code bench.import.rows} rows through the {@code import} command. */
    @Override
    void run() throws Exception {
        PipelineConfig config = config("import");
        TopicAdmin.ensureTopics(config);
        Path mapping = Paths.get(o.importMapping);
        if (!Files.isReadable(mapping)) {
            throw new IllegalArgumentException(BenchKeys.IMPORT_MAPPING_CONFIG + ": cannot read " + mapping.toAbsolutePath()
                    + " (run the bench from the project root, as bench/run.sh does)");
        }
        Path csv = work.resolve("survey-export-bench.csv");
        long g0 = System.nanoTime();
        IngestBench.writeSurveyExport(csv, o.importRows, o.customers, 48);
        log("import: wrote %,d rows (%,d bytes) in %,d ms; importing...", o.importRows, Files.size(csv), (System.nanoTime() - g0) / 1_000_000);
        Map<String, Object> r = IngestBench.fileImport(config, work, csv, mapping, o.importRows);
        r.put("loadAfter", Machine.load1());
        results.put("import", r);
        log("import: %,d rows in %s s: %,d rows/s", o.importRows, r.get("seconds"), r.get("rowsPerSecond"));
        table.add("| import | survey-export CSV, " + fmt(o.importRows) + " rows (" + fmt(number(r, "fileBytes") / 1e6) + " MB), "
                + "`import` with examples/survey-export.mapping.yaml | " + fmt(number(r, "rowsPerSecond")) + " rows/s (target ≥ 50,000) | "
                + String.format("%.2f", Machine.load1()) + " |");
        Files.deleteIfExists(csv);
    }
}
