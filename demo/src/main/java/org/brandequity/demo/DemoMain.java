package org.brandequity.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.brandequity.app.Main;
import org.brandequity.app.MetricsServer;
import org.brandequity.app.OutputWatcher;
import org.brandequity.app.Pipeline;
import org.brandequity.app.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.embedded.EmbeddedKafkaBroker;
import org.brandequity.embedded.EmbeddedSchemaRegistry;
import org.brandequity.model.Durations;
import org.brandequity.sim.SimulationConfig;
import org.brandequity.sim.Simulator;
import org.brandequity.topology.AppSerdes;
import org.brandequity.wire.HttpSchemaRegistryClient;
import org.brandequity.wire.SchemaRegistryClient;

/**
 * Command line of the demo artifact: {@code demo} and {@code simulate}, plus every command of the
 * production artifact ({@link Main}). See {@link #USAGE}.
 */
public final class DemoMain {
    static final String USAGE = """
            Usage: java -jar brand-equity-demo.jar <command> [--config FILE] [--set key=value]...

            Commands:
              demo       embedded Kafka broker + schema registry + pipeline + simulated customers
                         + metrics endpoint, all on this machine; Ctrl-C stops everything
              simulate   the customer simulator only, against bootstrap.servers and schema.registry.url
              run        the pipeline only, against bootstrap.servers and schema.registry.url
              topology   print the Kafka Streams topology description and exit

            Config: defaults < --config FILE < BRANDEQUITY_* environment variables < --set key=value.
            Every key is listed in the README's config table.
            """;

    /** Demo settings: small windows and a short half-life so numbers move within a minute. */
    static final Map<String, String> DEMO_DEFAULTS = Map.ofEntries(
            Map.entry("window.size", "30s"),
            Map.entry("window.advance", "10s"),
            Map.entry("window.grace", "5s"),
            Map.entry("segment.window.grace", "1m"),
            Map.entry("model.equity.half.life", "10m"),
            Map.entry("topic.partitions", "3"),
            Map.entry("topic.replication.factor", "1"),
            Map.entry("metrics.host", "127.0.0.1"),
            Map.entry("api.host", "127.0.0.1"),
            Map.entry("api.port", "8080"),
            Map.entry("simulator.rate", "500"),
            Map.entry("simulator.max.lateness", "4s"));

    private DemoMain() {}

    public static void main(String[] args) {
        Main.exit(() -> run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        return switch (args[0]) {
            case "demo" -> Demo.run(Main.parse(args, DEMO_DEFAULTS).props(), out);
            case "simulate" -> simulate(Main.parse(args, Map.of()).props());
            case "run", "topology" -> Main.run(args, out);
            default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'\n" + USAGE);
        };
    }

    private static int simulate(Properties props) {
        PipelineConfig config = PipelineConfig.fromProperties(props);
        try (SchemaRegistryClient registry = new HttpSchemaRegistryClient(config.schemaRegistryUrl());
             Simulator simulator = new Simulator(SimulationConfig.fromProperties(props), Main.producerProps(config), registry,
                     config.topics().interactions(), config.topics().profiles())) {
            Runtime.getRuntime().addShutdownHook(new Thread(simulator::stop, "shutdown"));
            TopicAdmin.ensureTopics(config);
            long sent = simulator.run();
            System.out.println("simulator: " + sent + " interactions sent");
            return 0;
        }
    }

    /** The embedded default: everything on this machine, in this process (and one child JVM for the registry). */
    static final class Demo {
        private Demo() {}

        static int run(Properties props, PrintStream out) throws Exception {
            Path work = Files.createTempDirectory("brand-equity-demo");
            out.println("Starting the embedded Kafka broker (KRaft) ...");
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDirectory(work.resolve("kafka")).start();
            out.println("Starting the schema registry ...");
            EmbeddedSchemaRegistry registryProcess = EmbeddedSchemaRegistry.start(work.resolve("logs"));
            props.setProperty("bootstrap.servers", broker.bootstrapServers());
            props.setProperty("schema.registry.url", registryProcess.url());
            props.setProperty("state.dir", work.resolve("state").toString());
            if (!portFree(props.getProperty("api.host"), Integer.parseInt(props.getProperty("api.port")))) {
                props.setProperty("api.port", "0"); // 8080 is taken on this machine: any free port will do
            }
            PipelineConfig config = PipelineConfig.fromProperties(props);

            SchemaRegistryClient registry = new HttpSchemaRegistryClient(config.schemaRegistryUrl());
            Pipeline pipeline = new Pipeline(config).start();
            OutputWatcher watcher = new OutputWatcher(config, new AppSerdes(registry));
            MetricsServer metrics = new MetricsServer(props.getProperty("metrics.host"),
                    Integer.parseInt(props.getProperty("metrics.port")), pipeline, watcher);
            watcher.start(); // after the metrics listener is attached, so the gauges see every record
            SimulationConfig simConfig = SimulationConfig.fromProperties(props);
            Simulator simulator = new Simulator(simConfig, Main.producerProps(config), registry,
                    config.topics().interactions(), config.topics().profiles());
            StatusLine status = new StatusLine(out, watcher, pipeline.counters(), simulator::sent, simConfig.totalEvents());
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "status");
                t.setDaemon(true);
                return t;
            });
            Duration every = Durations.parse("status.interval", props.getProperty("status.interval"));

            out.printf("Kafka %s | registry %s | metrics http://%s:%d/metrics | queries %s/equity | state %s%n",
                    broker.bootstrapServers(), registryProcess.url(), props.getProperty("metrics.host"), metrics.port(),
                    pipeline.apiUrl(), work);
            out.printf("Simulating %d customers at %.0f events/s; windows %s every %s, grace %s; equity half-life %s. Ctrl-C to stop.%n",
                    simConfig.customers(), simConfig.rate(), Durations.format(config.windowSize()),
                    Durations.format(config.windowAdvance()), Durations.format(config.windowGrace()),
                    Durations.format(config.model().halfLife()));

            CountDownLatch done = new CountDownLatch(1);
            Thread shutdown = new Thread(() -> {
                out.println("Stopping ...");
                ticker.shutdownNow();
                simulator.stop();
                closeQuietly(List.of(watcher, metrics, pipeline, simulator, registry, registryProcess, broker));
                deleteQuietly(work);
                out.println("Stopped.");
                done.countDown();
            }, "shutdown");
            Runtime.getRuntime().addShutdownHook(shutdown);

            ticker.scheduleAtFixedRate(status::print, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            Thread producer = new Thread(simulator::run, "simulator");
            producer.setDaemon(true);
            producer.start();
            boolean failed = pipeline.awaitTermination();
            if (failed) {
                out.println("The pipeline failed; see the log above.");
                return 1;
            }
            done.await();
            return 0;
        }

        private static boolean portFree(String host, int port) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
                socket.bind(new java.net.InetSocketAddress(host, port));
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static void closeQuietly(List<AutoCloseable> resources) {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    System.err.println("while stopping " + r.getClass().getSimpleName() + ": " + e);
                }
            }
        }

        private static void deleteQuietly(Path dir) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir: the OS cleans it eventually
            }
        }
    }
}
