package org.brandequity.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.utils.Utils;
import org.brandequity.cli.Main;
import org.brandequity.cluster.ClientProperties;
import org.brandequity.cluster.SchemaRegistries;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.command.Cli;
import org.brandequity.config.CommandKeys;
import org.brandequity.config.ConfigSection;
import org.brandequity.config.IngestKeys;
import org.brandequity.config.PipelineConfig;
import org.brandequity.config.PipelineKeys;
import org.brandequity.config.Validators;
import org.brandequity.embedded.EmbeddedKafkaBroker;
import org.brandequity.embedded.EmbeddedSchemaRegistry;
import org.brandequity.ingest.IngestConfig;
import org.brandequity.ingest.IngestService;
import org.brandequity.metrics.MetricsServer;
import org.brandequity.model.Durations;
import org.brandequity.runtime.OutputWatcher;
import org.brandequity.runtime.Pipeline;
import org.brandequity.sim.SimulationConfig;
import org.brandequity.sim.Simulator;
import org.brandequity.sim.SimulatorKeys;
import org.brandequity.topology.AppSerdes;
import org.brandequity.wire.SchemaRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * Command line of the demo artifact: the production artifact's commands ({@link Main}: run,
 * topology, config) plus {@code demo} and {@code simulate}, on the same command line.
 */
public final class DemoMain {
    public static final String STATUS_INTERVAL_CONFIG = "status.interval";
    public static final String REGISTRY_JAR_CONFIG = "demo.registry.jar";

    /** The demo's own keys. */
    public static final ConfigSection DEMO_SECTION = new ConfigSection("demo", new ConfigDef()
            .define(STATUS_INTERVAL_CONFIG, ConfigDef.Type.STRING, "5s", Validators.durationAtLeast(1), ConfigDef.Importance.LOW,
                    "Interval of the demo's status line.")
            .define(REGISTRY_JAR_CONFIG, ConfigDef.Type.STRING, "", ConfigDef.Importance.LOW,
                    "The schema registry jar the demo starts; empty = registry/target/brand-equity-registry-runner.jar"
                            + " under the working directory or one of its parents."),
            List.of());

    /** Demo settings: small windows and a short half-life so numbers move within a minute. */
    static final Map<String, String> DEMO_DEFAULTS = Map.ofEntries(
            Map.entry("window.size", "30s"),
            Map.entry("window.advance", "10s"),
            Map.entry("window.grace", "5s"),
            Map.entry("segment.window.grace", "1m"),
            Map.entry("model.equity.half.life", "10m"),
            // A history point a minute, a day of them: /equity/change can be asked about the demo's incident.
            Map.entry("equity.history.interval", "1m"),
            Map.entry("equity.history.retention", "1d"),
            // Key drivers every 10 s: /drivers?segment=high-value fills within the first minutes.
            Map.entry("drivers.emit.interval", "10s"),
            Map.entry("topic.partitions", "3"),
            Map.entry("topic.replication.factor", "1"),
            Map.entry("metrics.host", "127.0.0.1"),
            Map.entry("api.host", "127.0.0.1"),
            Map.entry("api.port", "8080"),
            Map.entry("ingest.host", "127.0.0.1"),
            Map.entry("simulator.rate", "500"),
            Map.entry("simulator.max.lateness", "4s"));

    /** What {@code simulate} reads: the pipeline's keys (cluster, topics) and the simulator's. */
    public static final CommandKeys SIMULATE_KEYS = PipelineKeys.KEYS.plus(SimulatorKeys.SECTION);

    /** What {@code demo} reads (the ingestion service's keys too), with the demo's defaults between the definitions' and the user's file. */
    public static final CommandKeys DEMO_KEYS = SIMULATE_KEYS.plus(IngestKeys.SECTION, DEMO_SECTION).withCommandDefaults(DEMO_DEFAULTS);

    private DemoMain() {}

    public static void main(String[] args) {
        System.exit(commandLine(Cli.system()).execute(args));
    }

    /** {@link Main}'s command line with {@code demo} and {@code simulate} added. */
    public static CommandLine commandLine(Cli cli) {
        return Main.commandLine("brand-equity-demo.jar", cli, new DemoCommand(cli), new SimulateCommand(cli));
    }

    @Command(name = "demo", description = {"Embedded Kafka broker + schema registry + pipeline + simulated customers"
            + " + metrics endpoint, all on this machine; Ctrl-C stops everything.",
            "Its own defaults (30s windows every 10s, 10m half-life, 500 events/s...) sit below --config."})
    static final class DemoCommand extends Cli.ConfiguredCommand {
        DemoCommand(Cli cli) {
            super(cli);
        }

        @Override
        public CommandKeys keys() {
            return DEMO_KEYS;
        }

        @Override
        public Integer call() throws Exception {
            return Demo.run(properties(), cli.out());
        }
    }

    @Command(name = "simulate", description = "The customer simulator only, against bootstrap.servers and schema.registry.url.")
    static final class SimulateCommand extends Cli.ConfiguredCommand {
        SimulateCommand(Cli cli) {
            super(cli);
        }

        @Override
        public CommandKeys keys() {
            return SIMULATE_KEYS;
        }

        @Override
        public Integer call() {
            Map<String, String> values = resolve();
            PipelineConfig config = PipelineConfig.fromMap(values);
            SimulationConfig simulation = SimulationConfig.fromMap(values);
            try (SchemaRegistryClient registry = SchemaRegistries.fromConfig(config);
                 Simulator simulator = new Simulator(simulation, ClientProperties.producer(config), registry,
                         config.topics().interactions(), config.topics().profiles())) {
                Runtime.getRuntime().addShutdownHook(new Thread(simulator::stop, "shutdown"));
                TopicAdmin.ensureTopics(config);
                long sent = simulator.run();
                cli.out().println("simulator: " + sent + " interactions sent");
                return 0;
            }
        }
    }

    /** The embedded default: everything on this machine, in this process (and one child JVM for the registry). */
    static final class Demo {
        private Demo() {}

        static int run(Properties props, PrintStream out) throws Exception {
            Path work = Files.createTempDirectory("brand-equity-demo");
            // Everything started so far, newest first: closed in that order, and the directory
            // deleted, on Ctrl-C or when a step fails (then nothing is left behind: no broker, no
            // registry process, no temp directory).
            Deque<AutoCloseable> started = new ConcurrentLinkedDeque<>();
            try {
                return run(props, out, work, started);
            } catch (Exception | Error e) {
                stop(started, work);
                throw e;
            }
        }

        private static int run(Properties props, PrintStream out, Path work, Deque<AutoCloseable> started) throws Exception {
            out.println("Starting the embedded Kafka broker (KRaft) ...");
            EmbeddedKafkaBroker broker = started(started, EmbeddedKafkaBroker.builder().dataDirectory(work.resolve("kafka")).start());
            out.println("Starting the schema registry ...");
            String registryJar = props.getProperty(REGISTRY_JAR_CONFIG, "");
            // Closed by this sequence, after the pipeline that needs it, not by a hook of its own.
            EmbeddedSchemaRegistry registryProcess = started(started, (registryJar.isBlank()
                    ? EmbeddedSchemaRegistry.start(work.resolve("logs"))
                    : EmbeddedSchemaRegistry.start(Path.of(registryJar), work.resolve("logs"), EmbeddedSchemaRegistry.DEFAULT_STARTUP_TIMEOUT))
                    .stoppedByOwner());
            props.setProperty("bootstrap.servers", broker.bootstrapServers());
            props.setProperty("schema.registry.url", registryProcess.url());
            props.setProperty("state.dir", work.resolve("state").toString());
            freePorts(props);
            PipelineConfig config = PipelineConfig.fromProperties(props);
            Path connection = started(started, ConnectionFile.write(Path.of(ConnectionFile.PATH), props)).path();

            SchemaRegistryClient registry = started(started, SchemaRegistries.fromConfig(config));
            Pipeline pipeline = started(started, new Pipeline(config)).start();
            OutputWatcher watcher = started(started, new OutputWatcher(config, new AppSerdes(registry)));
            MetricsServer metrics = started(started, new MetricsServer(config.metrics(), pipeline, watcher));
            watcher.start(); // after the metrics listener is attached, so the gauges see every record
            SimulationConfig simConfig = SimulationConfig.fromProperties(props);
            Simulator simulator = started(started, new Simulator(simConfig, ClientProperties.producer(config), registry,
                    config.topics().interactions(), config.topics().profiles()));
            StatusLine status = new StatusLine(out, watcher, pipeline.counters(), simulator::sent, simConfig.totalEvents());
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "status");
                t.setDaemon(true);
                return t;
            });
            started.push(ticker::shutdownNow);
            Duration every = Durations.parse("status.interval", props.getProperty("status.interval"));
            IngestService ingest = started(started, IngestService.start(config, IngestConfig.fromProperties(props)));

            // The picture first: the live console (docs/console.md).
            out.printf("Console %s/%n", pipeline.apiUrl());
            out.printf("Kafka %s | registry %s | metrics http://%s:%d/metrics | queries %s/equity | state %s%n",
                    broker.bootstrapServers(), registryProcess.url(), props.getProperty("metrics.host"), metrics.port(),
                    pipeline.apiUrl(), work);
            out.println(ingestBanner(ingest, props));
            out.printf("Connection settings for `import` in %s (--config %s)%n", connection, connection);
            out.printf("Simulating %d customers at %.0f events/s; windows %s every %s, grace %s; equity half-life %s. Ctrl-C to stop.%n",
                    simConfig.customers(), simConfig.rate(), Durations.format(config.windows().size()),
                    Durations.format(config.windows().advance()), Durations.format(config.windows().grace()),
                    Durations.format(config.model().halfLife()));

            CountDownLatch done = new CountDownLatch(1);
            Thread shutdown = new Thread(() -> {
                out.println("Stopping ...");
                simulator.stop();
                stop(started, work);
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

        /** The ingestion URL and, when authentication is on, the token to send (the demo runs on the user's own machine). */
        static String ingestBanner(IngestService ingest, Properties props) {
            String tokens = props.getProperty(IngestKeys.AUTH_TOKENS_CONFIG, "");
            String file = props.getProperty(IngestKeys.AUTH_TOKENS_FILE_CONFIG, "");
            String auth = !tokens.isBlank() ? " | Authorization: Bearer " + tokens.split(",")[0].trim()
                    : !file.isBlank() ? " | bearer token: one of " + file : "";
            return "Ingestion " + ingest.server().interactionsUrl() + " (POST JSON or NDJSON; docs/ingest.md)" + auth;
        }

        /** Every port the demo opens, as {@code host key, port key}: the query API, metrics, ingestion. */
        static final List<List<String>> PORTS = List.of(
                List.of(PipelineKeys.API_HOST_CONFIG, PipelineKeys.API_PORT_CONFIG),
                List.of(PipelineKeys.METRICS_HOST_CONFIG, PipelineKeys.METRICS_PORT_CONFIG),
                List.of(IngestKeys.HOST_CONFIG, IngestKeys.PORT_CONFIG));

        /**
         * Sets each of {@link #PORTS} that is taken on this machine to 0 (any free one): the demo runs
         * beside whatever else the user has running, and prints the ports it got. {@code run} and
         * {@code ingest} refuse a taken port instead (exit 2): a deployment's ports are fixed.
         */
        static void freePorts(Properties props) {
            for (List<String> keys : PORTS) {
                if (!portFree(props.getProperty(keys.get(0)), Integer.parseInt(props.getProperty(keys.get(1))))) {
                    props.setProperty(keys.get(1), "0");
                }
            }
        }

        private static boolean portFree(String host, int port) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
                socket.bind(new java.net.InetSocketAddress(host, port));
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static <T extends AutoCloseable> T started(Deque<AutoCloseable> started, T resource) {
            started.push(resource);
            return resource;
        }

        /** Closes {@code started} newest first, then deletes {@code work}; reports what fails and goes on. */
        private static void stop(Deque<AutoCloseable> started, Path work) {
            for (AutoCloseable r = started.poll(); r != null; r = started.poll()) {
                try {
                    r.close();
                } catch (Exception e) {
                    System.err.println("while stopping " + r.getClass().getSimpleName() + ": " + e);
                }
            }
            try {
                Utils.delete(work.toFile());
            } catch (IOException e) {
                System.err.println("could not delete " + work + ": " + e);
            }
        }
    }
}
