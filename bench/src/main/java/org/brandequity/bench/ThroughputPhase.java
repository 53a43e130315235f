package org.brandequity.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.brandequity.runtime.Pipeline;
import org.brandequity.cluster.SchemaRegistries;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.ScoringModel;
import org.brandequity.topology.AppSerdes;
import org.brandequity.topology.StreamsSettings;
import org.brandequity.wire.HttpSchemaRegistryClient;

/** Phase 1: the pipeline's throughput against a raw-consumer baseline and two Kafka Streams floors. */
final class ThroughputPhase extends Phase {
    ThroughputPhase(BenchRun run) {
        super(run);
    }

    @Override
    void run() throws Exception {
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
            try (Pipeline pipeline = new Pipeline(config).start();
                 AutoCloseable console = ConsoleClient.open(o.consoleClients, pipeline.apiUrl(), p)) {
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

    /**
     * The Kafka Streams floor ({@link StreamsFloor}) on the preloaded input. It gets the pipeline's
     * own Kafka Streams settings (processing guarantee, commit interval, stream threads, every kafka.*
     * override), and a fresh application id, state directory and dead-letter topic so that it
     * shares no offsets, state or topics with the pipeline but its input. Timed from construction until
     * the processor has counted every record the baseline counts; CPU is read at that moment, as for
     * the pipeline.
     */
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
}
