package org.brandequity.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.AppSerdes;
import org.brandequity.topology.BrandEquityTopology;
import org.brandequity.wire.HttpSchemaRegistryClient;
import org.brandequity.wire.SchemaRegistryClient;

/**
 * Command line of the production artifact: {@code run}, {@code topology}. See {@link #USAGE}.
 */
public final class Main {
    static final String USAGE = """
            Usage: java -jar brand-equity.jar <command> [--config FILE] [--set key=value]...

            Commands:
              run        the pipeline, against bootstrap.servers and schema.registry.url
              topology   print the Kafka Streams topology description and exit

            Config: defaults < --config FILE < BRANDEQUITY_* environment variables < --set key=value.
            Every key is listed in the README's config table.
            """;

    private Main() {}

    public static void main(String[] args) {
        exit(() -> run(args, System.out));
    }

    /** Runs {@code command} and exits: 2 for a usage or config error (one line), 1 for a failure. */
    public static void exit(Command command) {
        try {
            System.exit(command.call());
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("error: " + e);
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    /** A command line's work, returning the exit status. */
    @FunctionalInterface
    public interface Command {
        int call() throws Exception;
    }

    /** A parsed command line: the command and its merged properties. */
    public record Invocation(String command, Properties props) {}

    /**
     * Parses {@code <command> [--config FILE] [--set key=value]...}; {@code commandDefaults} sit
     * below {@code --set}.
     */
    public static Invocation parse(String[] args, Map<String, String> commandDefaults) {
        String command = args[0];
        Path configFile = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> configFile = Path.of(value(args, ++i, "--config"));
                case "--set" -> {
                    String kv = value(args, ++i, "--set");
                    int eq = kv.indexOf('=');
                    if (eq <= 0) throw new IllegalArgumentException("--set expects key=value, got '" + kv + "'");
                    overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        // As before the split: the command's defaults sit just below --set.
        Map<String, String> all = new HashMap<>(commandDefaults);
        all.putAll(overrides);
        return new Invocation(command, PipelineConfig.loadProperties(configFile, System.getenv(), all));
    }

    public static int run(String[] args, PrintStream out) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Invocation call = parse(args, Map.of());
        return switch (call.command()) {
            case "run" -> runPipeline(call.props(), out);
            case "topology" -> printTopology(call.props(), out);
            default -> throw new IllegalArgumentException("unknown command '" + call.command() + "'\n" + USAGE);
        };
    }

    static int printTopology(Properties props, PrintStream out) {
        PipelineConfig config = PipelineConfig.fromProperties(props);
        out.println(BrandEquityTopology.build(config, new AppSerdes(new HttpSchemaRegistryClient(config.schemaRegistryUrl()))).describe());
        return 0;
    }

    static int runPipeline(Properties props, PrintStream out) throws Exception {
        PipelineConfig config = PipelineConfig.fromProperties(props);
        Pipeline pipeline = new Pipeline(config);
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "shutdown"));
        // The watcher reads the output topics so this instance's endpoint exports the brand-level
        // gauges (equity, segments, touchpoints) that the dashboards and alerts use.
        try (SchemaRegistryClient registry = new HttpSchemaRegistryClient(config.schemaRegistryUrl());
             OutputWatcher watcher = new OutputWatcher(config, new AppSerdes(registry));
             MetricsServer metrics = new MetricsServer(props.getProperty("metrics.host"),
                     Integer.parseInt(props.getProperty("metrics.port")), pipeline, watcher)) {
            pipeline.start();
            watcher.start();
            out.printf("brand-equity %s: reading %s on %s, metrics on :%d/metrics, queries on %s%n",
                    config.applicationId(), config.topics().interactions(), config.bootstrapServers(), metrics.port(),
                    pipeline.apiUrl() == null ? "(disabled)" : pipeline.apiUrl());
            boolean failed = pipeline.awaitTermination();
            return failed ? 1 : 0;
        }
    }

    /** Producer settings for clients of this cluster: the {@code kafka.*} keys and the bootstrap servers. */
    public static Map<String, Object> producerProps(PipelineConfig config) {
        Map<String, Object> p = new HashMap<>();
        config.kafka().forEach((k, v) -> p.put(k.toString(), v));
        p.put("bootstrap.servers", config.bootstrapServers());
        return p;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }
}
