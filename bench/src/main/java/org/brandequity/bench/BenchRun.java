package org.brandequity.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.brandequity.config.PipelineConfig;
import org.brandequity.embedded.EmbeddedKafkaBroker;
import org.brandequity.embedded.EmbeddedSchemaRegistry;
import org.brandequity.topology.AppSerdes;
import org.brandequity.wire.HttpSchemaRegistryClient;

/**
 * One run of the benchmark: the cluster every phase shares (one real KRaft broker in this JVM, the
 * real schema registry in a child JVM), the results they fill in and the table rows they add, and
 * the writing of both once the phases are done.
 */
final class BenchRun implements AutoCloseable {
    final Options options;
    final Path work;
    final EmbeddedKafkaBroker broker;
    final EmbeddedSchemaRegistry registryProcess;
    final HttpSchemaRegistryClient registry;
    final AppSerdes serdes;
    final Map<String, Object> results = new LinkedHashMap<>();
    final List<String> table = new ArrayList<>();

    /** Records the run's context into the results and starts the cluster. */
    BenchRun(Options o, Path work) throws Exception {
        this.options = o;
        this.work = work;
        results.put("label", o.label);
        results.put("startedAt", Instant.now().toString());
        results.put("command", ProcessHandle.current().info().commandLine().orElse("?"));
        results.put("jvmFlags", ManagementFactory.getRuntimeMXBean().getInputArguments());
        results.put("javaVersion", System.getProperty("java.version"));
        results.put("cpus", Runtime.getRuntime().availableProcessors());
        results.put("options", o.asMap());
        results.put("loadAtStart", Machine.load1());
        Phase.log("load average (1 min) at start: %.2f", Machine.load1());

        broker = EmbeddedKafkaBroker.builder().dataDirectory(work.resolve("kafka")).defaultPartitions(o.partitions).start();
        registryProcess = EmbeddedSchemaRegistry.start(work.resolve("logs"));
        registry = new HttpSchemaRegistryClient(registryProcess.url());
        serdes = new AppSerdes(registry);
        results.put("brokerOnly", Machine.memory());
    }

    /** The pipeline's config for {@code phase}: its own application id, state directory and topics. */
    PipelineConfig config(String phase) {
        Map<String, String> m = new HashMap<>();
        m.put("application.id", "bench-" + phase);
        m.put("bootstrap.servers", broker.bootstrapServers());
        m.put("schema.registry.url", registryProcess.url());
        m.put("state.dir", work.resolve("state-" + phase).toString());
        m.put("topic.partitions", Integer.toString(options.partitions));
        m.put("topic.replication.factor", "1");
        m.put("metrics.port", "0");
        for (String t : List.of("interactions", "profiles", "customer.scores", "segment.scores", "equity", "alerts", "dead.letters",
                "customer.alerts")) {
            m.put("topic." + t, phase + "-" + t.replace('.', '-'));
        }
        m.putAll(options.overrides);
        return PipelineConfig.defaults().with(m);
    }

    /** Records of {@code topic} visible to a read_committed consumer. */
    long countCommitted(String topic) {
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = CommittedWatcher.committedReader(broker.bootstrapServers())) {
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

    /**
     * Writes {@code bench-<time>-<label>.json} (every figure) and {@code .md} (the table, also printed)
     * to {@code bench.out}, else bench/results when run from the project root, else target.
     */
    Path writeResults() throws IOException {
        results.put("finishedAt", Instant.now().toString());
        Path dir = options.out != null ? Paths.get(options.out) : Files.isDirectory(Paths.get("bench")) ? Paths.get("bench", "results") : Paths.get("target");
        Files.createDirectories(dir);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path json = dir.resolve("bench-" + stamp + "-" + options.label + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), results);
        StringBuilder md = new StringBuilder();
        md.append("| phase | what | result | 1-min load |\n|---|---|---|---|\n");
        table.forEach(row -> md.append(row).append('\n'));
        md.append("\nJVM flags: ").append(ManagementFactory.getRuntimeMXBean().getInputArguments())
                .append("\nOptions: ").append(options.asMap()).append('\n');
        Files.writeString(dir.resolve("bench-" + stamp + "-" + options.label + ".md"), md.toString());
        System.out.println();
        System.out.println(md);
        System.out.println("Results: " + json.toAbsolutePath());
        return json;
    }

    @Override
    public void close() throws Exception {
        registry.close();
        registryProcess.close();
        broker.close();
    }
}
