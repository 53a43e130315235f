package org.brandequity.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;
import org.brandequity.command.Cli;
import org.brandequity.config.CommandKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark: throughput against a raw-consumer baseline and Kafka Streams floors, produce-to-equity
 * and produce-to-alert latency at fixed rates, memory at growing customer counts, the late path and the
 * ingestion doors. One real KRaft broker in this JVM, the real schema registry in a child JVM, the real
 * pipeline with its real config (exactly_once_v2). This class parses the options and runs the phases
 * that {@code bench.phases} selects, one class each, in this order. See docs/benchmark.md.
 */
public final class Bench {
    /** The phases by their {@code bench.phases} name, in the order they run. */
    static final Map<String, Function<BenchRun, Phase>> PHASES = new LinkedHashMap<>();

    static {
        PHASES.put("throughput", ThroughputPhase::new);
        PHASES.put("latency", LatencyPhase::new);
        PHASES.put("alertlatency", AlertLatencyPhase::new);
        PHASES.put("scale", ScalePhase::new);
        PHASES.put("late", LatePhase::new);
        PHASES.put("ingest", IngestPhase::new);
        PHASES.put("import", ImportPhase::new);
        PHASES.put("console", ConsolePhase::new);
    }

    private Bench() {
    }

    public static void main(String[] args) {
        System.exit(Main.commandLine("brand-equity-bench.jar", Cli.system()).execute(args));
    }

    /**
     * The benchmark's command line: {@code [--config FILE] [--set KEY=VALUE]... [--label NAME]}, every
     * option a key ({@link BenchKeys}, pipeline and simulator keys too), with Main's exit statuses.
     */
    @Command(name = "brand-equity-bench.jar", description = {"The benchmark (docs/benchmark.md).",
            "Options are config keys: bench.* (phases, events, rates...), pipeline keys for every phase, simulator keys."},
            footer = {"", "Config, later sources winning: defaults < --config FILE < BRANDEQUITY_* environment variables < --set KEY=VALUE < --label.",
                    "`java -jar service/target/brand-equity.jar config` and docs/configuration.md list every key."})
    static final class Main extends Cli.ConfiguredCommand {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Option(names = "--label", paramLabel = "NAME", description = "Name in the results files (= --set bench.label=NAME).")
        String label;

        Main(Cli cli) {
            super(cli);
        }

        static CommandLine commandLine(String name, Cli cli) {
            CommandLine cl = new CommandLine(new Main(cli)).setCommandName(name);
            List<String> footer = new ArrayList<>(List.of(cl.getCommandSpec().usageMessage().footer()));
            footer.add("");
            footer.add("Bench keys (--set KEY=VALUE; defaults shown):");
            BenchKeys.SECTION.definition().configKeys().values().forEach(k -> footer.add(String.format("  %s=%s%n      %s",
                    k.name, k.defaultValue instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : k.defaultValue,
                    k.documentation)));
            cl.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
            cl.setExecutionExceptionHandler((e, command, parsed) -> {
                if (e instanceof IllegalArgumentException || e instanceof ConfigException) {
                    cli.err().println("error: " + String.valueOf(e.getMessage()).replace('\n', ' '));
                    return CommandLine.ExitCode.USAGE;
                }
                throw e;
            });
            return cl;
        }

        @Override
        public CommandKeys keys() {
            return BenchKeys.KEYS;
        }

        @Override
        public Integer call() throws Exception {
            Map<String, String> values = resolve();
            if (label != null) values.put(BenchKeys.LABEL_CONFIG, label);
            Options o = Options.of(values);
            Path work = Files.createTempDirectory("brand-equity-bench");
            try {
                run(o, work);
                return 0;
            } finally {
                Phase.deleteRecursively(work);
            }
        }
    }

    private static void run(Options o, Path work) throws Exception {
        try (BenchRun run = new BenchRun(o, work)) {
            try {
                for (var phase : PHASES.entrySet()) {
                    if (o.phases.contains(phase.getKey())) phase.getValue().apply(run).run();
                }
            } finally {
                run.writeResults();
            }
        }
        Path results = Path.of("bench", "results");
        Path doc = Path.of("docs", "benchmark.md");
        if (o.out == null && Files.isDirectory(results) && Files.isRegularFile(doc)) {
            BenchmarkReport.write(results, doc); // the current-results table: this run's figures are now the newest
            System.out.println("Current results regenerated in " + doc.toAbsolutePath());
        }
    }
}
