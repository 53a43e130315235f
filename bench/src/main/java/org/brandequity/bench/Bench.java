package org.brandequity.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;
import org.brandequity.command.Cli;
import org.brandequity.runtime.Pipeline;
import org.brandequity.cluster.SchemaRegistries;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.Touchpoint;
import org.brandequity.config.CommandKeys;
import org.brandequity.config.PipelineConfig;
import org.brandequity.config.PipelineKeys;
import org.brandequity.embedded.EmbeddedKafkaBroker;
import org.brandequity.embedded.EmbeddedSchemaRegistry;
import org.brandequity.model.ScoringModel;
import org.brandequity.sim.CustomerJourneys;
import org.brandequity.topology.AppSerdes;
import org.brandequity.topology.BrandEquityTopology;
import org.brandequity.topology.StreamsSettings;
import org.brandequity.wire.ConfluentAvroSerde;
import org.brandequity.wire.HttpSchemaRegistryClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark: throughput against a raw-consumer baseline, produce-to-equity latency at fixed
 * rates, and memory at growing customer counts. One real KRaft broker in this JVM, the real schema
 * registry in a child JVM, the real pipeline with its real config (exactly_once_v2). See
 * docs/benchmark.md.
 */
public final class Bench {
    private final Options o;
    private final Path work;
    private EmbeddedKafkaBroker broker;
    private EmbeddedSchemaRegistry registryProcess;
    private HttpSchemaRegistryClient registry;
    private AppSerdes serdes;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> table = new ArrayList<>();

    private Bench(Options o, Path work) {
        this.o = o;
        this.work = work;
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
                    "`java -jar service/target/brand-equity.jar config` and the README list every key."})
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
                new Bench(o, work).run();
                return 0;
            } finally {
                deleteRecursively(work);
            }
        }
    }

    private void run() throws Exception {
        results.put("label", o.label);
        results.put("startedAt", Instant.now().toString());
        results.put("command", ProcessHandle.current().info().commandLine().orElse("?"));
        results.put("jvmFlags", ManagementFactory.getRuntimeMXBean().getInputArguments());
        results.put("javaVersion", System.getProperty("java.version"));
        results.put("cpus", Runtime.getRuntime().availableProcessors());
        results.put("options", o.asMap());
        results.put("loadAtStart", Machine.load1());
        log("load average (1 min) at start: %.2f", Machine.load1());

        broker = EmbeddedKafkaBroker.builder().dataDirectory(work.resolve("kafka")).defaultPartitions(o.partitions).start();
        registryProcess = EmbeddedSchemaRegistry.start(work.resolve("logs"));
        registry = new HttpSchemaRegistryClient(registryProcess.url());
        serdes = new AppSerdes(registry);
        results.put("brokerOnly", Machine.memory());
        try {
            if (o.phases.contains("throughput")) throughput();
            if (o.phases.contains("latency")) latency();
            if (o.phases.contains("alertlatency")) alertLatency();
            if (o.phases.contains("scale")) scale();
            if (o.phases.contains("late")) late();
            if (o.phases.contains("ingest")) ingest();
            if (o.phases.contains("import")) fileImport();
        } finally {
            results.put("finishedAt", Instant.now().toString());
            writeResults();
            registry.close();
            registryProcess.close();
            broker.close();
        }
    }

    // ---------------------------------------------------------------- configuration

    private PipelineConfig config(String phase) {
        Map<String, String> m = new HashMap<>();
        m.put("application.id", "bench-" + phase);
        m.put("bootstrap.servers", broker.bootstrapServers());
        m.put("schema.registry.url", registryProcess.url());
        m.put("state.dir", work.resolve("state-" + phase).toString());
        m.put("topic.partitions", Integer.toString(o.partitions));
        m.put("topic.replication.factor", "1");
        m.put("metrics.port", "0");
        for (String t : List.of("interactions", "profiles", "customer.scores", "segment.scores", "equity", "alerts", "dead.letters",
                "customer.alerts")) {
            m.put("topic." + t, phase + "-" + t.replace('.', '-'));
        }
        m.putAll(o.overrides);
        return PipelineConfig.defaults().with(m);
    }

    // ---------------------------------------------------------------- 1. throughput

    private void throughput() throws Exception {
        PipelineConfig config = config("throughput");
        TopicAdmin.ensureTopics(config);
        log("throughput: preloading %,d interactions of %,d customers into %d partitions...", o.events, o.customers, o.partitions);
        Input.Preloaded in = Input.preload(config, serdes, o.simulator, o.customers, o.events, Duration.ofMillis(o.stepMs), 42);
        log("throughput: preloaded %,d records (%,d distinct valid events, %,d profiles, %,d customers) in %,d ms",
                in.records(), in.distinct(), in.profiles(), in.customersTouched(), in.millis());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("records", in.records());
        r.put("distinctEvents", in.distinct());
        r.put("profiles", in.profiles());
        r.put("customersTouched", in.customersTouched());
        r.put("preloadSeconds", in.millis() / 1000.0);

        Map<String, Object> base1 = baseline(config.topics().interactions(), in.records());
        r.put("baselineRun1", base1);
        log("throughput: raw baseline run 1: %,.0f events/s (load %.2f)", base1.get("eventsPerSecond"), base1.get("load1"));

        if (o.warmupEvents != 0) {
            Map<String, Object> w = warmUp(config, o.warmupEvents < 0 ? in.distinct() : Math.min(o.warmupEvents, in.distinct()));
            r.put("warmUp", w);
            log("throughput: warm-up pipeline (own application id, same input): %,d events in %s s, %,d events/s cold",
                    w.get("events"), w.get("seconds"), w.get("eventsPerSecond"));
        }

        Map<String, Object> p = new LinkedHashMap<>();
        double loadBefore = Machine.load1();
        var threads0 = Machine.threadCpuSnapshot();
        try (EquityWatcher watcher = new EquityWatcher(broker.bootstrapServers(), config.topics().equity(),
                serdes.brandEquity().deserializer())) {
            long t0 = System.nanoTime();
            long cpu0 = Machine.processCpuNanos();
            try (Pipeline pipeline = new Pipeline(config).start()) {
                long running = awaitRunning(pipeline.streams(), Duration.ofSeconds(60));
                long done = watcher.awaitAtLeast(in.distinct(), Duration.ofSeconds(o.timeoutSeconds));
                if (done < 0) {
                    throw new IllegalStateException("the pipeline did not fold " + in.distinct() + " events within "
                            + o.timeoutSeconds + " s; latest equity record: " + watcher.latest());
                }
                long cpu = Machine.processCpuNanos() - cpu0;
                long streamCpu = Machine.threadCpuNanos("StreamThread");
                Map<String, Object> byGroup = new LinkedHashMap<>();
                Machine.cpuByGroupSince(threads0).forEach((group, ns) -> byGroup.put(group, round(ns / 1e3 / in.records(), 2)));
                p.put("cpuMicrosPerEventByThreadGroup", byGroup);
                Machine.sleep(1500); // an overshoot would show up in the next flush
                if (watcher.latest() != in.distinct()) {
                    throw new IllegalStateException("equity folded " + watcher.latest() + " events, expected " + in.distinct());
                }
                double seconds = (done - t0) / 1e9;
                p.put("seconds", round(seconds, 2));
                p.put("eventsPerSecond", Math.round(in.records() / seconds));
                p.put("secondsToRunning", round((running - t0) / 1e9, 2));
                // From the first equity record to the last: excludes start-up and rebalance.
                long first = watcher.firstTime();
                double steady = (done - first) / 1e9;
                p.put("steadyEventsPerSecond", Math.round((in.distinct() - watcher.firstEvents()) / steady));
                // CPU per event does not depend on how many other processes share the cores.
                p.put("processCpuSeconds", round(cpu / 1e9, 2));
                p.put("processCpuMicrosPerEvent", round(cpu / 1e3 / in.records(), 2));
                p.put("streamThreadCpuMicrosPerEvent", round(streamCpu / 1e3 / in.records(), 2));
                p.put("load1Before", loadBefore);
                p.put("load1", Machine.load1());
                p.put("memory", Machine.memory());
            }
        }
        // The pipeline did all of its work, not just the equity branch: closed customer windows came out.
        p.put("customerScoreRecords", countCommitted(config.topics().customerScores()));
        p.put("expectedCustomerScoreRecords", in.closedCustomerWindows());
        p.put("segmentScoreRecords", countCommitted(config.topics().segmentScores()));
        p.put("deadLetters", countCommitted(config.topics().deadLetters()));
        r.put("pipeline", p);
        log("throughput: outputs: %,d customer scores (%,d closed windows expected from the input), %,d segment scores, %,d dead letters",
                p.get("customerScoreRecords"), p.get("expectedCustomerScoreRecords"), p.get("segmentScoreRecords"), p.get("deadLetters"));
        log("throughput: pipeline %,d events/s start-to-final-equity (%s s), %,d events/s first-to-final equity record (load %.2f)",
                p.get("eventsPerSecond"), p.get("seconds"), p.get("steadyEventsPerSecond"), p.get("load1"));

        // After the pipeline, not before: nothing warms up the Streams code ahead of the pipeline, so
        // its figures stay comparable with runs made before the floor existed.
        Map<String, Object> floor = floor(config, "bench-floor-plain", false, in.records());
        r.put("streamsFloor", floor);
        logFloor("Kafka Streams floor", floor);
        Map<String, Object> floorStore = floor(config, "bench-floor-store", true, in.records());
        r.put("streamsFloorWithStore", floorStore);
        logFloor("Kafka Streams floor + 1 store put per event", floorStore);

        Map<String, Object> base2 = baseline(config.topics().interactions(), in.records());
        r.put("baselineRun2", base2);
        log("throughput: raw baseline run 2: %,.0f events/s (load %.2f)", base2.get("eventsPerSecond"), base2.get("load1"));
        double baseline = Math.max((double) base1.get("eventsPerSecond"), (double) base2.get("eventsPerSecond"));
        double pipelineRate = ((Number) p.get("eventsPerSecond")).doubleValue();
        r.put("baselineBestEventsPerSecond", Math.round(baseline));
        r.put("pipelineToBaselineRatio", round(pipelineRate / baseline, 3));
        double floorRate = ((Number) floor.get("eventsPerSecond")).doubleValue();
        double floorStoreRate = ((Number) floorStore.get("eventsPerSecond")).doubleValue();
        r.put("floorToBaselineRatio", round(floorRate / baseline, 3));
        r.put("floorWithStoreToBaselineRatio", round(floorStoreRate / baseline, 3));
        r.put("pipelineToFloorRatio", round(pipelineRate / floorRate, 3));
        r.put("pipelineToFloorWithStoreRatio", round(pipelineRate / floorStoreRate, 3));
        results.put("throughput", r);

        table.add("| throughput | raw consumer baseline (decode + fold into HashMap), best of 2 | "
                + fmt(baseline) + " events/s | load " + base1.get("load1") + " / " + base2.get("load1") + " |");
        table.add("| throughput | pipeline, start to final equity (exactly_once_v2) | " + fmt(pipelineRate)
                + " events/s (" + p.get("seconds") + " s for " + fmt(in.records()) + " records) | load " + p.get("load1") + " |");
        table.add("| throughput | pipeline, first to final equity record | " + fmt(((Number) p.get("steadyEventsPerSecond")).doubleValue())
                + " events/s | |");
        table.add("| throughput | pipeline / baseline | " + round(pipelineRate / baseline * 100, 1) + " % | |");
        table.add(floorRow("Kafka Streams floor (" + config.processingGuarantee()
                + ", " + config.streamThreads() + " stream threads as the pipeline): decode + score + fold into a per-task HashMap, no store, no output", floor, baseline));
        table.add(floorRow("Kafka Streams floor + 1 cached, changelogged RocksDB put per event", floorStore, baseline));
        table.add("| throughput | pipeline / floor, pipeline / floor with store | " + round(pipelineRate / floorRate * 100, 1)
                + " %, " + round(pipelineRate / floorStoreRate * 100, 1) + " % | |");
        double baseCpu = Math.min((double) base1.get("processCpuMicrosPerEvent"), (double) base2.get("processCpuMicrosPerEvent"));
        table.add("| throughput | CPU per event, whole process (broker included): baseline / pipeline | " + baseCpu + " µs / "
                + p.get("processCpuMicrosPerEvent") + " µs (stream thread " + p.get("streamThreadCpuMicrosPerEvent")
                + " µs); load-independent capacity of 2 cores: " + fmt(2e6 / baseCpu) + " / "
                + fmt(2e6 / ((Number) p.get("processCpuMicrosPerEvent")).doubleValue()) + " events/s | |");
        @SuppressWarnings("unchecked")
        Map<String, Object> byGroup = (Map<String, Object>) p.get("cpuMicrosPerEventByThreadGroup");
        StringBuilder groups = new StringBuilder();
        byGroup.entrySet().stream().limit(7).forEach(e -> groups.append(groups.length() == 0 ? "" : ", ")
                .append(e.getKey()).append(' ').append(e.getValue()).append(" µs"));
        table.add("| throughput | pipeline CPU per event by thread group (/proc, whole process) | " + groups + " | |");
        if (r.containsKey("warmUp")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> w = (Map<String, Object>) r.get("warmUp");
            table.add("| throughput | warm-up pipeline before the timed run, cold JVM (own application id, same input) | "
                    + fmt(((Number) w.get("eventsPerSecond")).doubleValue()) + " events/s (" + fmt(((Number) w.get("events")).doubleValue())
                    + " events in " + w.get("seconds") + " s) | |");
        }
    }

    /** A plain consumer: read, decode (the pipeline's Confluent Avro deserializer), fold a score per customer. */
    private Map<String, Object> baseline(String topic, long records) {
        ScoringModel scoring = new ScoringModel(config("throughput").model());
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, double[]> perCustomer = new HashMap<>();
        long t0 = System.nanoTime();
        long cpu0 = Machine.processCpuNanos();
        long n = 0;
        try (KafkaConsumer<String, CustomerInteraction> c =
                     new KafkaConsumer<>(p, new StringDeserializer(), serdes.interaction().deserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            while (n < records) {
                ConsumerRecords<String, CustomerInteraction> batch = c.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, CustomerInteraction> rec : batch) {
                    double[] sum = perCustomer.computeIfAbsent(rec.key(), k -> new double[1]);
                    sum[0] += scoring.score(rec.value()).value();
                    n++;
                }
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(o.timeoutSeconds)) {
                    throw new IllegalStateException("baseline read only " + n + " of " + records);
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpu = Machine.processCpuNanos() - cpu0;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("seconds", round(seconds, 2));
        r.put("processCpuMicrosPerEvent", round(cpu / 1e3 / n, 2));
        r.put("eventsPerSecond", (double) Math.round(n / seconds));
        r.put("customers", perCustomer.size());
        r.put("load1", Machine.load1());
        return r;
    }

    /**
     * The Kafka Streams floor ({@link StreamsFloor}) on the preloaded input. It gets the pipeline's
     * own Kafka Streams settings (processing guarantee, commit interval, every kafka.* override) with
     * one stream thread, and a fresh application id, state directory and dead-letter topic so that it
     * shares no offsets, state or topics with the pipeline but its input. Timed from construction until
     * the processor has counted every record the baseline counts; CPU is read at that moment, as for
     * the pipeline.
     */
    /**
     * Runs the pipeline under its own application id over the throughput phase's input until its
     * equity has folded {@code events} events, then closes it. The JIT compiles the pipeline's code
     * paths here, as it would in the first minutes of a long-running instance, so the timed run
     * measures the steady state (the baseline and the floors reuse code the JVM has already compiled).
     */
    private Map<String, Object> warmUp(PipelineConfig throughput, long events) throws Exception {
        PipelineConfig base = config("warmup");
        PipelineConfig config = base.with(Map.of(
                "topic.interactions", throughput.topics().interactions(),
                "topic.profiles", throughput.topics().profiles()));
        TopicAdmin.ensureTopics(config);
        Map<String, Object> w = new LinkedHashMap<>();
        try (EquityWatcher watcher = new EquityWatcher(broker.bootstrapServers(), config.topics().equity(),
                serdes.brandEquity().deserializer())) {
            long t0 = System.nanoTime();
            try (Pipeline pipeline = new Pipeline(config).start()) {
                long done = watcher.awaitAtLeast(events, Duration.ofSeconds(o.timeoutSeconds));
                if (done < 0) throw new IllegalStateException("the warm-up pipeline did not fold " + events + " events");
                double seconds = (done - t0) / 1e9;
                w.put("events", watcher.latest());
                w.put("seconds", round(seconds, 2));
                w.put("eventsPerSecond", Math.round(watcher.latest() / seconds));
            }
        }
        System.gc(); // the warm-up's garbage is not the timed run's to collect
        return w;
    }

    private Map<String, Object> floor(PipelineConfig pipelineConfig, String appId, boolean withStore, long records) throws Exception {
        PipelineConfig config = pipelineConfig.with(Map.of(
                "application.id", appId,
                "state.dir", work.resolve("state-" + appId).toString(),
                "topic.dead.letters", appId + "-dead-letters",
                "api.enabled", "false"));
        StreamsFloor.Progress progress = new StreamsFloor.Progress();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("applicationId", appId);
        f.put("withStore", withStore);
        f.put("processingGuarantee", config.processingGuarantee());
        f.put("commitIntervalMs", config.commitIntervalMs());
        f.put("streamThreads", config.streamThreads()); // the pipeline's: the ratios compare like with like
        System.gc(); // the pipeline's garbage is not the floor's to collect
        double loadBefore = Machine.load1();
        // Its own registry client and serdes, built as the pipeline builds them: no schema is cached in advance.
        try (HttpSchemaRegistryClient floorRegistry = SchemaRegistries.fromConfig(config)) {
            Topology topology = StreamsFloor.build(config.topics().interactions(), new AppSerdes(floorRegistry),
                    new ScoringModel(config.model()), withStore, progress);
            long t0 = System.nanoTime();
            long cpu0 = Machine.processCpuNanos();
            KafkaStreams streams = new KafkaStreams(topology, StreamsSettings.of(config));
            try {
                streams.start();
                long running = awaitRunning(streams, Duration.ofSeconds(60));
                long done = awaitProcessed(streams, progress, records);
                long cpu = Machine.processCpuNanos() - cpu0;
                // By application id too: the pipeline's stream thread must not be counted if it were still alive.
                long streamCpu = Machine.threadCpuNanos(appId, "StreamThread");
                long committed = awaitCommitted(appId, config.topics().interactions());
                Machine.sleep(500); // a record processed twice would show up here
                if (progress.processed.get() != records) {
                    throw new IllegalStateException(appId + " processed " + progress.processed.get() + " records, expected " + records);
                }
                double seconds = (done - t0) / 1e9;
                f.put("seconds", round(seconds, 2));
                f.put("eventsPerSecond", Math.round(records / seconds));
                f.put("secondsToRunning", round((running - t0) / 1e9, 2));
                // From the first record processed to the last: excludes start-up and rebalance.
                f.put("steadyEventsPerSecond", Math.round((records - 1) / ((done - progress.firstAt.get()) / 1e9)));
                // Until the last input offsets are committed: comparable to the pipeline's committed equity.
                f.put("secondsToCommitted", round((committed - t0) / 1e9, 2));
                f.put("processCpuSeconds", round(cpu / 1e9, 2));
                f.put("processCpuMicrosPerEvent", round(cpu / 1e3 / records, 2));
                f.put("streamThreadCpuMicrosPerEvent", round(streamCpu / 1e3 / records, 2));
                f.put("load1Before", loadBefore);
                f.put("load1", Machine.load1());
            } finally {
                streams.close(Duration.ofSeconds(30)); // as the pipeline closes: close() alone waits forever
            }
        }
        return f;
    }

    /** When the floor has counted {@code records}; fails fast if its client stops. */
    private long awaitProcessed(KafkaStreams streams, StreamsFloor.Progress progress, long records) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.timeoutSeconds);
        while (progress.processed.get() < records) {
            if (!streams.state().isRunningOrRebalancing()) {
                throw new IllegalStateException("the floor stopped (" + streams.state() + ") after "
                        + progress.processed.get() + " of " + records + " records");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the floor processed only " + progress.processed.get() + " of " + records
                        + " records within " + o.timeoutSeconds + " s");
            }
            Machine.sleep(5);
        }
        return System.nanoTime();
    }

    /**
     * When the group's committed offsets reach the end of every partition of {@code topic}. Under
     * exactly-once they are committed in the group's transactions, so this is when all the work is committed.
     */
    private long awaitCommitted(String groupId, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<TopicPartition, Long> end = endOffsets(admin, topic);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
                if (end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue())) {
                    return System.nanoTime();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(groupId + " did not commit to the end of " + topic + " within 60 s: "
                            + committed + " of " + end);
                }
                Machine.sleep(10);
            }
        }
    }

    private static void logFloor(String what, Map<String, Object> f) {
        log("throughput: %s: %,d events/s (%s s; %,d events/s first to last record), %s µs CPU/event, stream thread %s µs (load %.2f)",
                what, f.get("eventsPerSecond"), f.get("seconds"), f.get("steadyEventsPerSecond"),
                f.get("processCpuMicrosPerEvent"), f.get("streamThreadCpuMicrosPerEvent"), f.get("load1"));
    }

    private static String floorRow(String what, Map<String, Object> f, double baseline) {
        double rate = ((Number) f.get("eventsPerSecond")).doubleValue();
        return "| throughput | " + what + " | " + fmt(rate) + " events/s (" + f.get("seconds") + " s; "
                + round(rate / baseline * 100, 1) + " % of baseline); CPU per event " + f.get("processCpuMicrosPerEvent")
                + " µs (stream thread " + f.get("streamThreadCpuMicrosPerEvent") + " µs); load-independent capacity of 2 cores: "
                + fmt(2e6 / ((Number) f.get("processCpuMicrosPerEvent")).doubleValue()) + " events/s | load " + f.get("load1") + " |";
    }

    /** A consumer of raw records that sees committed transactions only and commits no offsets. */
    static KafkaConsumer<byte[], byte[]> committedReader(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    }

    /** Records of {@code topic} visible to a read_committed consumer. */
    private long countCommitted(String topic) {
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = committedReader(broker.bootstrapServers())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                n += c.poll(Duration.ofMillis(200)).count();
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- 2. latency

    private void latency() throws Exception {
        PipelineConfig config = config("latency");
        TopicAdmin.ensureTopics(config);
        CustomerJourneys journeys = new CustomerJourneys(Input.simulation(o.simulator, 43, o.customers, Duration.ofMillis(1)), Instant.now());
        long capacity = 16;
        for (int rate : o.rates) capacity += (long) rate * o.rateSeconds + rate;
        long[] sentAt = new long[(int) capacity]; // nanoTime of send, per distinct event (in generation order)
        List<Map<String, Object>> steps = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = Input.producer(broker.bootstrapServers(), 5)) {
            int profiles = Input.sendProfiles(producer, journeys, config.topics().profiles(), serdes);
            log("latency: %,d profiles written; starting the pipeline", profiles);
            try (EquityWatcher watcher = new EquityWatcher(broker.bootstrapServers(), config.topics().equity(),
                    serdes.brandEquity().deserializer());
                 Pipeline pipeline = new Pipeline(config).start()) {
                awaitRunning(pipeline.streams(), Duration.ofSeconds(60));
                String topic = config.topics().interactions();
                Serializer<CustomerInteraction> ser = serdes.interaction().serializer();
                for (int rate : o.rates) {
                    long firstDistinct = journeys.generated();
                    long total = (long) rate * o.rateSeconds;
                    double loadBefore = Machine.load1();
                    Pacer pacer = new Pacer(rate);
                    long t0 = pacer.startNanos();
                    long measuredFrom = t0 + TimeUnit.SECONDS.toNanos(o.warmupSeconds);
                    for (long i = 0; i < total; i++) {
                        pacer.awaitSend(i);
                        long before = journeys.generated();
                        CustomerInteraction e = journeys.next(Instant.now());
                        byte[] value = ser.serialize(topic, e);
                        long sent = System.nanoTime();
                        if (journeys.generated() > before) sentAt[(int) before] = sent;
                        producer.send(new ProducerRecord<>(topic, e.getCustomerId(), value));
                    }
                    producer.flush();
                    double sendSeconds = (System.nanoTime() - t0) / 1e9;
                    long lastDistinct = journeys.generated();
                    long done = watcher.awaitAtLeast(lastDistinct, Duration.ofSeconds(o.latencyDrainSeconds));
                    long drainedAt = done < 0 ? System.nanoTime() : done;
                    Map<String, Object> step = latencyFigures(watcher.observations(), sentAt, firstDistinct, lastDistinct,
                            measuredFrom, drainedAt);
                    step.put("targetEventsPerSecond", rate);
                    step.put("achievedSendEventsPerSecond", Math.round(total / sendSeconds));
                    step.put("producerMaxBehindScheduleMs", round(pacer.maxBehindNanos() / 1e6, 1));
                    step.put("allFolded", done >= 0);
                    step.put("load1Before", loadBefore);
                    step.put("load1", Machine.load1());
                    steps.add(step);
                    log("latency: %,d events/s target (%,d achieved): p50 %s ms, p99 %s ms, max %s ms%s (load %.2f)",
                            rate, step.get("achievedSendEventsPerSecond"), step.get("p50Ms"), step.get("p99Ms"), step.get("maxMs"),
                            done >= 0 ? "" : " -- NOT all folded within " + o.latencyDrainSeconds + " s (figures are lower bounds)",
                            Machine.load1());
                    table.add("| latency | " + fmt(rate) + " events/s (" + fmt(((Number) step.get("achievedSendEventsPerSecond")).doubleValue())
                            + " sent), produce to equity | p50 " + step.get("p50Ms") + " ms, p99 " + step.get("p99Ms")
                            + " ms, max " + step.get("maxMs") + " ms" + (done >= 0 ? "" : " (lower bounds: backlog)")
                            + " | load " + step.get("load1") + " |");
                    if (done < 0) break; // a backlog would distort every higher rate
                }
            }
        }
        results.put("latency", steps);
    }

    /**
     * An equity record with events = k is taken to contain the first k distinct events produced
     * (produce order; partitions progress evenly at a steady rate). Each event's latency is the
     * time of the first such record minus the time its send() was called. Events never folded get
     * {@code drainedAt - sentAt}, a lower bound.
     */
    private static Map<String, Object> latencyFigures(long[][] obs, long[] sentAt, long from, long to, long measuredFrom, long drainedAt) {
        long[] times = obs[0];
        long[] events = obs[1];
        long[] lat = new long[(int) (to - from)];
        int n = 0;
        int j = 0;
        for (long k = from; k < to; k++) {
            while (j < events.length && events[j] < k + 1) j++;
            if (sentAt[(int) k] < measuredFrom) continue;
            long seen = j < events.length ? times[j] : drainedAt;
            lat[n++] = seen - sentAt[(int) k];
        }
        long[] sorted = Arrays.copyOf(lat, n);
        Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("measuredEvents", n);
        m.put("p50Ms", n == 0 ? -1 : round(quantile(sorted, 0.50) / 1e6, 1));
        m.put("p90Ms", n == 0 ? -1 : round(quantile(sorted, 0.90) / 1e6, 1));
        m.put("p99Ms", n == 0 ? -1 : round(quantile(sorted, 0.99) / 1e6, 1));
        m.put("maxMs", n == 0 ? -1 : round(sorted[n - 1] / 1e6, 1));
        return m;
    }

    // ---------------------------------------------------------------- 2b. produce to at-risk alert

    /** Customer ids of the probes: customers of their own, so that nothing else opens their alert first. */
    private static final String PROBE_PREFIX = "probe-";

    /**
     * Produce-to-alert latency: the simulator's traffic at {@code bench.alert.rate} events/s (event
     * time = wall clock, as in the latency phase), and among it, {@code bench.alert.probes} times a
     * second, one detractor-level event (a failed delivery rated 1) of a probe customer: a customer
     * of a watched segment with a profile and no other event, so that this event, their first, fires
     * DETRACTOR_EXPERIENCE. Each probe's latency is the time of the poll that returned its FIRING
     * record on topic.customer.alerts (read_committed) minus the time its send() was called. Unlike the
     * equity latency there is no inference: every probe's own alert is seen.
     */
    private void alertLatency() throws Exception {
        PipelineConfig config = config("alertlatency");
        if (config.closedLoop().segments().isEmpty()) {
            throw new IllegalArgumentException("alertlatency needs a watched segment (closedloop.segments is empty)");
        }
        String segment = config.closedLoop().segments().iterator().next();
        Touchpoint touchpoint = config.closedLoop().touchpoints().isEmpty() ? Touchpoint.DELIVERY
                : config.closedLoop().touchpoints().iterator().next();
        TopicAdmin.ensureTopics(config);
        CustomerJourneys journeys = new CustomerJourneys(Input.simulation(o.simulator, 48, o.customers, Duration.ofMillis(1)), Instant.now());
        int rate = o.alertRate;
        long total = (long) rate * o.rateSeconds;
        int probes = (int) Math.max(1, Math.min(total, (long) o.alertProbes * o.rateSeconds));
        long every = total / probes; // one probe after every `every` events of traffic
        long[] probeSentAt = new long[probes];
        Map<String, Object> r = new LinkedHashMap<>();
        try (KafkaProducer<String, byte[]> producer = Input.producer(broker.bootstrapServers(), 5)) {
            int profiles = Input.sendProfiles(producer, journeys, config.topics().profiles(), serdes);
            Serializer<CustomerProfile> profileSer = serdes.profile().serializer();
            for (int k = 0; k < probes; k++) {
                CustomerProfile profile = CustomerProfile.newBuilder().setCustomerId(probe(k)).setSegment(segment).setTier("gold")
                        .setValueWeight(5.0).setCustomerSince(null).build();
                producer.send(new ProducerRecord<>(config.topics().profiles(), probe(k), profileSer.serialize(config.topics().profiles(), profile)));
            }
            producer.flush();
            log("alertlatency: %,d profiles and %,d probe customers (%s) written; starting the pipeline", profiles, probes, segment);
            try (AlertWatcher alerts = new AlertWatcher(broker.bootstrapServers(), config.topics().customerAlerts(), PROBE_PREFIX,
                    new ConfluentAvroSerde<>(registry, CustomerAlert.class, false).deserializer());
                 Pipeline pipeline = new Pipeline(config).start()) {
                awaitRunning(pipeline.streams(), Duration.ofSeconds(60));
                String topic = config.topics().interactions();
                Serializer<CustomerInteraction> ser = serdes.interaction().serializer();
                double loadBefore = Machine.load1();
                Pacer pacer = new Pacer(rate);
                long t0 = pacer.startNanos();
                long measuredFrom = t0 + TimeUnit.SECONDS.toNanos(o.warmupSeconds);
                int sent = 0;
                for (long i = 0; i < total; i++) {
                    pacer.awaitSend(i);
                    CustomerInteraction e = journeys.next(Instant.now());
                    producer.send(new ProducerRecord<>(topic, e.getCustomerId(), ser.serialize(topic, e)));
                    if (i % every == every / 2 && sent < probes) {
                        CustomerInteraction p = CustomerInteraction.newBuilder().setEventId(PROBE_PREFIX + "event-" + sent)
                                .setCustomerId(probe(sent)).setEventTime(Instant.now()).setTouchpoint(touchpoint)
                                .setStage(LifecycleStage.PURCHASE).setChannel("partner").setOutcome(Outcome.FAILURE).setRating(1).build();
                        byte[] value = ser.serialize(topic, p);
                        probeSentAt[sent] = System.nanoTime();
                        producer.send(new ProducerRecord<>(topic, p.getCustomerId(), value));
                        sent++;
                    }
                }
                producer.flush();
                double sendSeconds = (System.nanoTime() - t0) / 1e9;
                long done = alerts.awaitFired(sent, Duration.ofSeconds(o.latencyDrainSeconds));
                long drainedAt = done < 0 ? System.nanoTime() : done;
                long[] lat = new long[sent];
                int n = 0;
                int missing = 0;
                for (int k = 0; k < sent; k++) {
                    Long seen = alerts.firstFiring(probe(k));
                    if (seen == null) missing++;
                    if (probeSentAt[k] < measuredFrom) continue;
                    lat[n++] = (seen == null ? drainedAt : seen) - probeSentAt[k];
                }
                long[] sorted = Arrays.copyOf(lat, n);
                Arrays.sort(sorted);
                r.put("targetEventsPerSecond", rate);
                r.put("achievedSendEventsPerSecond", Math.round((total + sent) / sendSeconds));
                r.put("producerMaxBehindScheduleMs", round(pacer.maxBehindNanos() / 1e6, 1));
                r.put("probesSent", sent);
                r.put("probesMeasured", n);
                r.put("probesWithoutAlert", missing);
                r.put("p50Ms", n == 0 ? -1 : round(quantile(sorted, 0.50) / 1e6, 1));
                r.put("p90Ms", n == 0 ? -1 : round(quantile(sorted, 0.90) / 1e6, 1));
                r.put("p99Ms", n == 0 ? -1 : round(quantile(sorted, 0.99) / 1e6, 1));
                r.put("maxMs", n == 0 ? -1 : round(sorted[n - 1] / 1e6, 1));
                r.put("otherFiringAlerts", alerts.otherFiring());
                r.put("load1Before", loadBefore);
                r.put("load1", Machine.load1());
                log("alertlatency: %,d events/s target (%,d achieved), %,d probes: produce to FIRING alert p50 %s ms, p99 %s ms, max %s ms%s"
                                + "; %,d other FIRING alerts (load %.2f)",
                        rate, r.get("achievedSendEventsPerSecond"), n, r.get("p50Ms"), r.get("p99Ms"), r.get("maxMs"),
                        missing == 0 ? "" : " -- " + missing + " probes without an alert after " + o.latencyDrainSeconds + " s (figures are lower bounds)",
                        alerts.otherFiring(), Machine.load1());
                table.add("| alertlatency | " + fmt(rate) + " events/s (" + fmt(((Number) r.get("achievedSendEventsPerSecond")).doubleValue())
                        + " sent), produce to at-risk alert, " + fmt(n) + " probes | p50 " + r.get("p50Ms") + " ms, p99 " + r.get("p99Ms")
                        + " ms, max " + r.get("maxMs") + " ms" + (missing == 0 ? "" : " (lower bounds: " + missing + " probes without alert)")
                        + " | load " + r.get("load1") + " |");
            }
        }
        results.put("alertLatency", r);
    }

    private static String probe(int k) {
        return String.format("%s%06d", PROBE_PREFIX, k);
    }

    // ---------------------------------------------------------------- 3. scale

    private void scale() throws Exception {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int customers : o.scale) {
            String phase = "scale-" + customers;
            PipelineConfig config = config(phase);
            TopicAdmin.ensureTopics(config);
            long events = Math.round(customers * o.scaleEventsPerCustomer);
            log("scale: preloading %,d interactions of %,d customers...", events, customers);
            Input.Preloaded in = Input.preload(config, serdes, o.simulator, customers, events, Duration.ofMillis(o.stepMs), 44);
            log("scale: %,d records, %,d distinct events, %,d customers touched; starting the pipeline in its own JVM",
                    in.records(), in.distinct(), in.customersTouched());
            List<String> command = new ArrayList<>();
            command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(Arrays.asList(o.childJvm.trim().split("\\s+")));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleChild.class.getName(),
                    "--expected", Long.toString(in.distinct()), "--records", Long.toString(in.records()),
                    "--timeout-s", Long.toString(o.timeoutSeconds)));
            config.toProperties().forEach((k, v) -> {
                if (!k.toString().startsWith("model.")) command.addAll(List.of("--set", k + "=" + v));
            });
            Path log = work.resolve(phase + ".log");
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = child.waitFor(o.timeoutSeconds + 60, TimeUnit.SECONDS);
            if (!ended) child.destroyForcibly().waitFor();
            String result = null;
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith("RESULT ")) result = line.substring("RESULT ".length());
            }
            if (result == null) {
                List<String> lines = Files.readAllLines(log);
                throw new IllegalStateException("scale child for " + customers + " customers failed:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> point = new ObjectMapper().readValue(result, LinkedHashMap.class);
            point.put("customers", customers);
            point.put("customersTouched", in.customersTouched());
            point.put("records", in.records());
            point.put("distinctEvents", in.distinct());
            point.put("childJvm", o.childJvm);
            point.put("stateDirMiB", Machine.mib(directorySize(Paths.get(config.stateDir()))));
            points.add(point);
            @SuppressWarnings("unchecked")
            Map<String, Object> after = (Map<String, Object>) point.get("afterProcessing");
            log("scale: %,d customers: heap after GC %s MiB, RSS %s MiB, state dir %s MiB, %s events/s (load %s)",
                    customers, after.get("heapUsedAfterGcMiB"), after.get("rssMiB"), point.get("stateDirMiB"),
                    point.get("eventsPerSecond"), after.get("load1"));
            table.add("| scale | " + fmt(customers) + " customers (" + fmt(in.customersTouched()) + " active, "
                    + fmt(in.records()) + " events), pipeline JVM " + o.childJvm + " | heap after GC "
                    + after.get("heapUsedAfterGcMiB") + " MiB, RSS " + after.get("rssMiB") + " MiB, state on disk "
                    + point.get("stateDirMiB") + " MiB, " + fmt(((Number) point.get("eventsPerSecond")).doubleValue())
                    + " events/s | load " + after.get("load1") + " |");
            deleteRecursively(Paths.get(config.stateDir()));
        }
        results.put("scale", points);
    }

    // ---------------------------------------------------------------- 4. late path

    /**
     * Live traffic first (on time, ending about now), folded; then {@code bench.late.events} more sent
     * while the pipeline runs, with event times uniform over {@code bench.late.behind} behind it: every
     * one counted late, revising its closed windows. Rate: from the first late send to the equity
     * record that counts the last one. Then the closed-pane store: its bytes on disk (RocksDB, after
     * the pipeline closed and flushed it) and in its changelog, per event id it remembers.
     */
    private void late() throws Exception {
        PipelineConfig config = config("late");
        TopicAdmin.ensureTopics(config);
        Duration step = Duration.ofMillis(o.stepMs);
        log("late: preloading %,d live interactions of %,d customers...", o.lateLiveEvents, o.customers);
        Input.Preloaded live = Input.preload(config, serdes, o.simulator, o.customers, o.lateLiveEvents, step, 45);
        Map<String, Object> r = new LinkedHashMap<>();
        long rememberedIds;
        long revisedBefore;
        try (EquityWatcher watcher = new EquityWatcher(broker.bootstrapServers(), config.topics().equity(),
                serdes.brandEquity().deserializer());
             Pipeline pipeline = new Pipeline(config).start()) {
            awaitRunning(pipeline.streams(), Duration.ofSeconds(60));
            if (watcher.awaitAtLeast(live.distinct(), Duration.ofSeconds(o.timeoutSeconds)) < 0) {
                throw new IllegalStateException("the pipeline did not fold the live events; latest: " + watcher.latest());
            }
            revisedBefore = pipeline.counters().lateRevised();
            log("late: live traffic folded (%,d events); sending %,d late events %s to %s behind it...",
                    live.distinct(), o.lateEvents, o.lateNearest, o.lateFarthest);
            var threads0 = Machine.threadCpuSnapshot();
            long t0 = System.nanoTime();
            long cpu0 = Machine.processCpuNanos();
            Input.Preloaded late = Input.preloadBehind(config, serdes, o.simulator, o.customers, o.lateEvents,
                    live.lastEventTime().minus(o.lateFarthest), live.lastEventTime().minus(o.lateNearest), 46);
            long sent = System.nanoTime();
            long done = watcher.awaitAtLeast(live.distinct() + late.distinct(), Duration.ofSeconds(o.timeoutSeconds));
            if (done < 0) {
                throw new IllegalStateException("the pipeline did not fold the late events within " + o.timeoutSeconds
                        + " s; latest equity record: " + watcher.latest() + " of " + (live.distinct() + late.distinct()));
            }
            long cpu = Machine.processCpuNanos() - cpu0;
            double seconds = (done - t0) / 1e9;
            long revised = pipeline.counters().lateRevised() - revisedBefore;
            r.put("lateRecords", late.records());
            r.put("lateDistinctEvents", late.distinct());
            r.put("countedLate", revised);
            r.put("sendSeconds", round((sent - t0) / 1e9, 2));
            r.put("seconds", round(seconds, 2));
            r.put("eventsPerSecond", Math.round(late.records() / seconds));
            r.put("processCpuMicrosPerEvent", round(cpu / 1e3 / late.records(), 2));
            Map<String, Object> byGroup = new LinkedHashMap<>();
            Machine.cpuByGroupSince(threads0).forEach((group, ns) -> byGroup.put(group, round(ns / 1e3 / late.records(), 2)));
            r.put("cpuMicrosPerEventByThreadGroup", byGroup);
            log("late: CPU µs per late event by thread group: %s", byGroup);
            r.put("memory", Machine.memory());
            rememberedIds = rememberedIds(pipeline.streams());
        }
        r.put("deadLetters", countCommitted(config.topics().deadLetters()));
        long disk = directorySize(Paths.get(config.stateDir()), BrandEquityTopology.CLOSED_PANE_STORE, "");
        // Segment files only: the index files beside them are preallocated (10 MiB each, sparse).
        long changelog = directorySize(work.resolve("kafka"), config.applicationId() + "-" + BrandEquityTopology.CLOSED_PANE_STORE + "-changelog", ".log");
        r.put("rememberedIds", rememberedIds);
        r.put("closedPaneStoreBytes", disk);
        r.put("closedPaneChangelogBytes", changelog);
        r.put("diskBytesPerRememberedId", rememberedIds == 0 ? 0 : round((double) disk / rememberedIds, 1));
        r.put("changelogBytesPerRememberedId", rememberedIds == 0 ? 0 : round((double) changelog / rememberedIds, 1));
        results.put("late", r);
        log("late: %,d late events (%,d counted late) in %s s: %s events/s, %s µs CPU/event; %,d ids remembered, "
                        + "%,d bytes on disk (%s per id), changelog %,d bytes (%s per id); %,d dead letters",
                r.get("lateRecords"), r.get("countedLate"), r.get("seconds"), r.get("eventsPerSecond"), r.get("processCpuMicrosPerEvent"),
                rememberedIds, disk, r.get("diskBytesPerRememberedId"), changelog, r.get("changelogBytesPerRememberedId"), r.get("deadLetters"));
        table.add("| late | " + fmt(number(r, "lateRecords")) + " events " + o.lateNearest + "–" + o.lateFarthest
                + " behind " + fmt(live.records()) + " live ones, exactly_once_v2 | " + fmt(number(r, "eventsPerSecond"))
                + " events/s, " + r.get("processCpuMicrosPerEvent") + " µs CPU/event (whole process); " + fmt(number(r, "countedLate"))
                + " counted late, " + r.get("deadLetters") + " dead letters | |");
        table.add("| late | closed-pane store: ids remembered, bytes per id on disk (RocksDB) / in its changelog | "
                + fmt(rememberedIds) + " ids, " + r.get("diskBytesPerRememberedId") + " B / " + r.get("changelogBytesPerRememberedId")
                + " B | |");
        deleteRecursively(Paths.get(config.stateDir()));
    }

    // ---------------------------------------------------------------- 5. ingestion doors

    /**
     * The same events through a plain {@code KafkaProducer} and through the HTTP ingestion service,
     * alternately, twice each (the first pair warms the JIT); the ratio is taken from the second pair.
     */
    private void ingest() throws Exception {
        PipelineConfig plain = config("ingest-producer");
        PipelineConfig http = config("ingest-http");
        TopicAdmin.ensureTopics(plain);
        TopicAdmin.ensureTopics(http);
        log("ingest: generating %,d interactions...", o.ingestEvents);
        List<CustomerInteraction> events = IngestBench.events(o.simulator, o.customers, o.ingestEvents, Duration.ofMillis(o.stepMs), 47);
        Map<String, Object> r = new LinkedHashMap<>();
        List<Object> rounds = new ArrayList<>();
        Map<String, Object> p = null;
        Map<String, Object> h = null;
        for (int round = 1; round <= 2; round++) {
            p = IngestBench.producer(plain, registry, events);
            log("ingest: round %d: plain KafkaProducer %,d events/s", round, p.get("eventsPerSecond"));
            h = IngestBench.http(http, events, o.ingestClients, o.ingestBatch);
            log("ingest: round %d: HTTP %,d events/s (%d clients, %d events per request): p50 %s ms, p99 %s ms",
                    round, h.get("eventsPerSecond"), o.ingestClients, o.ingestBatch, h.get("p50Ms"), h.get("p99Ms"));
            rounds.add(Map.of("producer", p, "http", h));
        }
        long sent = IngestBench.endOffsets(broker.bootstrapServers(), http.topics().interactions());
        long expected = 2L * events.size();
        if (sent != expected) throw new IllegalStateException("the HTTP topic holds " + sent + " records, expected " + expected);
        double ratio = number(h, "eventsPerSecond") / number(p, "eventsPerSecond");
        r.put("rounds", rounds);
        r.put("httpToProducerRatio", round(ratio, 3));
        r.put("loadAfter", Machine.load1());
        results.put("ingest", r);
        table.add("| ingest | " + fmt(events.size()) + " interactions: plain KafkaProducer (acks=all, idempotent) vs HTTP POST "
                + o.ingestBatch + " per request (NDJSON), " + o.ingestClients + " clients; second of two rounds | producer "
                + fmt(number(p, "eventsPerSecond")) + " events/s, HTTP " + fmt(number(h, "eventsPerSecond")) + " events/s = "
                + Math.round(ratio * 100) + " % (target ≥ 50 %); request p50 " + h.get("p50Ms") + " ms, p99 " + h.get("p99Ms")
                + " ms | " + String.format("%.2f", Machine.load1()) + " |");
    }

    /** A generated survey export of {@code bench.import.rows} rows through the {@code import} command. */
    private void fileImport() throws Exception {
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

    /** The event ids the closed-pane store holds, through interactive queries. */
    private static long rememberedIds(KafkaStreams streams) {
        var store = streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(BrandEquityTopology.CLOSED_PANE_STORE,
                org.apache.kafka.streams.state.QueryableStoreTypes.<String, org.brandequity.avro.internal.ClosedPane>windowStore()));
        long ids = 0;
        try (var it = store.all()) {
            while (it.hasNext()) ids += it.next().value.getIds().size();
        }
        return ids;
    }

    private static double number(Map<String, Object> r, String key) {
        return ((Number) r.get(key)).doubleValue();
    }

    /** Bytes of the files under {@code dir} whose path contains {@code name} and ends with {@code suffix}. */
    private static long directorySize(Path dir, String name, String suffix) {
        if (!Files.exists(dir)) return 0;
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().contains(name) && f.toString().endsWith(suffix)).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static long awaitRunning(KafkaStreams streams, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("Kafka Streams not RUNNING within " + timeout);
            Machine.sleep(20);
        }
        return System.nanoTime();
    }

    private void writeResults() throws IOException {
        Path dir = o.out != null ? Paths.get(o.out) : Files.isDirectory(Paths.get("bench")) ? Paths.get("bench", "results") : Paths.get("target");
        Files.createDirectories(dir);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path json = dir.resolve("bench-" + stamp + "-" + o.label + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), results);
        StringBuilder md = new StringBuilder();
        md.append("| phase | what | result | 1-min load |\n|---|---|---|---|\n");
        table.forEach(row -> md.append(row).append('\n'));
        md.append("\nJVM flags: ").append(ManagementFactory.getRuntimeMXBean().getInputArguments())
                .append("\nOptions: ").append(o.asMap()).append('\n');
        Files.writeString(dir.resolve("bench-" + stamp + "-" + o.label + ".md"), md.toString());
        System.out.println();
        System.out.println(md);
        System.out.println("Results: " + json.toAbsolutePath());
    }

    private static long directorySize(Path dir) {
        return directorySize(dir, "", "");
    }

    private static void deleteRecursively(Path dir) {
        try {
            Utils.delete(dir.toFile()); // Kafka's, as the demo and the tests use; a missing dir is fine
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /** The end offset of every partition of {@code topic}. */
    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int i = 0; i < partitions; i++) latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    /** The {@code q} quantile of {@code sorted} (non-empty, ascending): the element at floor(q (n - 1)). */
    static long quantile(long[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    static double round(double x, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }

    private static String fmt(double x) {
        return String.format("%,.0f", x);
    }

    private static void log(String format, Object... args) {
        System.out.printf("%tT bench: %s%n", System.currentTimeMillis(), String.format(format, args));
    }

    // ---------------------------------------------------------------- options

    /** The bench.* keys, typed, and the pipeline and simulator keys the user set. */
    static final class Options {
        List<String> phases;
        long events;
        long lateLiveEvents;
        long ingestEvents;
        int ingestClients;
        int ingestBatch;
        long importRows;
        String importMapping;
        long lateEvents;
        Duration lateNearest;
        Duration lateFarthest;
        int customers;
        int partitions;
        long stepMs;
        int[] rates;
        int rateSeconds;
        int warmupSeconds;
        /** Events the untimed warm-up pipeline folds; -1: the whole input. */
        long warmupEvents;
        int latencyDrainSeconds;
        int alertRate;
        int alertProbes;
        int[] scale;
        double scaleEventsPerCustomer;
        String childJvm;
        long timeoutSeconds;
        String out;
        String label;
        /** Pipeline keys set by the user, applied to every phase on top of the bench's own settings. */
        Map<String, String> overrides = new LinkedHashMap<>();
        /** Simulator keys set by the user, below the bench's own seed, customers, rate and step. */
        Map<String, String> simulator = new LinkedHashMap<>();

        static Options of(Map<String, String> values) {
            AbstractConfig c = BenchKeys.KEYS.parse(values);
            Options o = new Options();
            o.phases = c.getList(BenchKeys.PHASES_CONFIG);
            o.events = c.getLong(BenchKeys.EVENTS_CONFIG);
            o.lateLiveEvents = c.getLong(BenchKeys.LATE_LIVE_EVENTS_CONFIG);
            o.ingestEvents = c.getLong(BenchKeys.INGEST_EVENTS_CONFIG);
            o.ingestClients = c.getInt(BenchKeys.INGEST_CLIENTS_CONFIG);
            o.ingestBatch = c.getInt(BenchKeys.INGEST_BATCH_CONFIG);
            o.importRows = c.getLong(BenchKeys.IMPORT_ROWS_CONFIG);
            o.importMapping = c.getString(BenchKeys.IMPORT_MAPPING_CONFIG);
            o.lateEvents = c.getLong(BenchKeys.LATE_EVENTS_CONFIG);
            List<String> behind = c.getList(BenchKeys.LATE_BEHIND_CONFIG);
            o.lateNearest = org.brandequity.model.Durations.parse(BenchKeys.LATE_BEHIND_CONFIG, behind.get(0));
            o.lateFarthest = org.brandequity.model.Durations.parse(BenchKeys.LATE_BEHIND_CONFIG, behind.get(1));
            o.customers = c.getInt(BenchKeys.CUSTOMERS_CONFIG);
            o.partitions = c.getInt(BenchKeys.PARTITIONS_CONFIG);
            o.stepMs = c.getLong(BenchKeys.STEP_MS_CONFIG);
            o.rates = ints(c.getList(BenchKeys.RATES_CONFIG));
            o.rateSeconds = c.getInt(BenchKeys.RATE_SECONDS_CONFIG);
            o.warmupSeconds = c.getInt(BenchKeys.WARMUP_SECONDS_CONFIG);
            o.warmupEvents = c.getLong(BenchKeys.WARMUP_EVENTS_CONFIG);
            o.latencyDrainSeconds = c.getInt(BenchKeys.DRAIN_SECONDS_CONFIG);
            o.alertRate = c.getInt(BenchKeys.ALERT_RATE_CONFIG);
            o.alertProbes = c.getInt(BenchKeys.ALERT_PROBES_CONFIG);
            o.scale = ints(c.getList(BenchKeys.SCALE_CONFIG));
            o.scaleEventsPerCustomer = c.getDouble(BenchKeys.SCALE_EVENTS_PER_CUSTOMER_CONFIG);
            o.childJvm = c.getString(BenchKeys.CHILD_JVM_CONFIG);
            o.timeoutSeconds = c.getLong(BenchKeys.TIMEOUT_SECONDS_CONFIG);
            o.out = c.getString(BenchKeys.OUT_CONFIG).isBlank() ? null : c.getString(BenchKeys.OUT_CONFIG);
            o.label = c.getString(BenchKeys.LABEL_CONFIG);
            values.forEach((k, v) -> {
                if (PipelineKeys.KEYS.known(k)) o.overrides.put(k, v);
                else if (k.startsWith("simulator.")) o.simulator.put(k, v);
            });
            PipelineConfig.defaults().with(o.overrides); // invalid pipeline values fail here, before the broker starts
            Input.simulation(o.simulator, 42, o.customers, Duration.ofMillis(o.stepMs));
            return o;
        }

        private static int[] ints(List<String> v) {
            return v.stream().mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("phases", phases);
            m.put("events", events);
            m.put("customers", customers);
            m.put("partitions", partitions);
            m.put("stepMs", stepMs);
            m.put("rates", Arrays.toString(rates));
            m.put("rateSeconds", rateSeconds);
            m.put("warmupSeconds", warmupSeconds);
            m.put("alertRate", alertRate);
            m.put("alertProbes", alertProbes);
            m.put("warmupEvents", warmupEvents);
            m.put("scale", Arrays.toString(scale));
            m.put("scaleEventsPerCustomer", scaleEventsPerCustomer);
            m.put("childJvm", childJvm);
            m.put("overrides", overrides);
            m.put("simulator", simulator);
            return m;
        }
    }
}
