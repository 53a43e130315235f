package org.brandequity.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.brandequity.command.Cli;
import org.brandequity.cluster.SchemaRegistries;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.config.CommandKeys;
import org.brandequity.config.PipelineConfig;
import org.brandequity.config.PipelineKeys;
import org.brandequity.model.Durations;
import org.brandequity.wire.ConfluentAvroSerde;
import org.brandequity.wire.SchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code import FILE...}: CSV or NDJSON files into the interactions or profiles topic, through a
 * mapping file (docs/ingest.md, "Importing files").
 */
@Command(name = "import", sortOptions = false,
        description = {"Import CSV or NDJSON files into the interactions (or profiles) topic through a mapping file,"
                + " with the validation of the HTTP door. Rejected rows go to a reject file; valid rows are imported either way.",
                "Event ids come from a mapped column or are derived from the row, so importing the same file twice counts once."},
        footer = {"", "Exit status: 0 every row imported; 1 Kafka or the registry failed (the summary says how many rows were"
                + " acknowledged; re-running is safe); 2 usage or config error; 3 some rows were rejected (0 with --allow-rejects).",
                "Example (the running demo): import --config .demo/connection.properties --mapping examples/survey-export.mapping.yaml"
                        + " --shift-to-now examples/survey-export.csv"})
public final class ImportCommand extends Cli.ConfiguredCommand {
    /** Some rows were rejected (and --allow-rejects was not given). */
    public static final int EXIT_REJECTS = 3;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "CSV (.csv) or NDJSON (.ndjson, .jsonl) files, imported in order.")
    List<Path> files;

    @Option(names = "--mapping", paramLabel = "YAML",
            description = "The mapping file: contract, column per field, constants, value maps, scales, time format and zone."
                    + " Required for CSV; without it an NDJSON file must already be in the contract's JSON form.")
    Path mappingFile;

    @Option(names = "--contract", paramLabel = "NAME", defaultValue = "interactions",
            description = "Without --mapping: interactions or profiles (default: ${DEFAULT-VALUE}).")
    String contract;

    @Option(names = "--format", paramLabel = "FORMAT", description = "csv or ndjson; default: by extension.")
    String format;

    @Option(names = "--rejects", paramLabel = "PATH", description = "One reject file for all inputs; default FILE.rejects.csv next to each FILE. Never an input file;"
                    + " an existing file there must be a reject file of an earlier import (it is replaced), else the import refuses to start.")
    Path rejects;

    @Option(names = "--allow-rejects", description = "Exit 0 even when some rows were rejected.")
    boolean allowRejects;

    @Option(names = "--shift-to-now", description = "Move every event time by one offset so that the newest is now"
            + " (replays an old export; ids are derived before the shift, so a re-import still counts once).")
    boolean shiftToNow;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (a bar on a terminal, a line every 5 s otherwise), bar, lines or none.")
    String progress;

    public ImportCommand(Cli cli) {
        super(cli);
    }

    @Override
    public CommandKeys keys() {
        return PipelineKeys.KEYS;
    }

    @Override
    public Integer call() throws Exception {
        PipelineConfig config = PipelineConfig.fromMap(resolve());
        for (Path f : files) {
            if (!Files.isReadable(f)) throw new IllegalArgumentException("cannot read " + f);
        }
        FileImport.checkRejectPaths(files, rejects);
        RowSource.Format fixed = format == null ? null : switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> RowSource.Format.CSV;
            case "ndjson", "jsonl" -> RowSource.Format.NDJSON;
            default -> throw new IllegalArgumentException("--format: csv or ndjson, not '" + format + "'");
        };
        ImportMapping mapping;
        if (mappingFile != null) {
            mapping = ImportMapping.load(mappingFile);
        } else {
            for (Path f : files) {
                if ((fixed != null ? fixed : RowSource.Format.of(f)) == RowSource.Format.CSV) {
                    throw new IllegalArgumentException("--mapping is required for CSV (" + f + ")");
                }
            }
            mapping = ImportMapping.identity(ImportMapping.Contract.of(contract));
        }
        Progress.Mode mode;
        try {
            mode = Progress.Mode.valueOf(progress.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--progress: auto, bar, lines or none, not '" + progress + "'");
        }
        FileImport.Options options = new FileImport.Options(files, fixed, rejects, shiftToNow, mode);
        try (SchemaRegistryClient registry = SchemaRegistries.fromConfig(config);
             KafkaProducer<String, byte[]> producer = IngestProducers.create(config, "brand-equity-import")) {
            FileImport.Summary summary = mapping.contract() == ImportMapping.Contract.INTERACTIONS
                    ? run(new FileImport<>(mapping, ContractCodec.interactions(config.maxFutureSkew()),
                            new ConfluentAvroSerde<>(registry, CustomerInteraction.class, false).serializer(),
                            config.topics().interactions(), System::currentTimeMillis, config.windows().lateHorizon()), options, producer)
                    : run(new FileImport<>(mapping, ContractCodec.profiles(),
                            new ConfluentAvroSerde<>(registry, CustomerProfile.class, false).serializer(),
                            config.topics().profiles(), System::currentTimeMillis, null), options, producer);
            return report(summary, config, options);
        }
    }

    private <T extends SpecificRecord> FileImport.Summary run(FileImport<T> fileImport, FileImport.Options options,
                                                              KafkaProducer<String, byte[]> producer) throws java.io.IOException {
        return fileImport.run(options, producer, cli.err(), cli.out());
    }

    private int report(FileImport.Summary s, PipelineConfig config, FileImport.Options options) {
        String where = s.rejected() == 0 ? ""
                : " (in " + (options.rejects() != null ? options.rejects().toString()
                        : files.size() == 1 ? FileImport.rejectPath(files.get(0)).toString() : "FILE.rejects.csv next to each file") + ")";
        cli.out().printf(Locale.ROOT, "import: %,d rows read, %,d imported, %,d rejected%s; %.1f s, %,.0f rows/s%n",
                s.read(), s.imported(), s.rejected(), where, s.elapsed().toNanos() / 1e9, s.rowsPerSecond());
        if (s.tooOld() > 0) {
            cli.out().printf(Locale.ROOT, "import: warning: %,d imported events are older than late.horizon (%s): the pipeline"
                    + " dead-letters them TOO_LATE (--shift-to-now moves an old export to the present)%n",
                    s.tooOld(), Durations.format(config.windows().lateHorizon()));
        }
        if (s.failure() != null) {
            cli.err().println("import: stopped: Kafka or the registry failed: " + s.failure()
                    + "; " + s.imported() + " rows were acknowledged. Re-running the import is safe: its event ids count once.");
            return 1;
        }
        return s.rejected() > 0 && !allowRejects ? EXIT_REJECTS : 0;
    }
}
