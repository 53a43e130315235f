package org.brandequity.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.config.PipelineConfig;
import org.brandequity.embedded.EmbeddedKafkaBroker;
import org.brandequity.embedded.EmbeddedSchemaRegistry;
import org.brandequity.topology.AppSerdes;
import org.brandequity.wire.HttpSchemaRegistryClient;

/**
 * One phase of the benchmark ({@code bench.phases}): it measures on the run's cluster, puts its
 * figures into the results under its own key and adds its rows to the table. The helpers every phase
 * shares are here, once.
 */
abstract class Phase {
    protected final BenchRun run;
    protected final Options o;
    protected final Path work;
    protected final EmbeddedKafkaBroker broker;
    protected final EmbeddedSchemaRegistry registryProcess;
    protected final HttpSchemaRegistryClient registry;
    protected final AppSerdes serdes;
    protected final Map<String, Object> results;
    protected final List<String> table;

    Phase(BenchRun run) {
        this.run = run;
        this.o = run.options;
        this.work = run.work;
        this.broker = run.broker;
        this.registryProcess = run.registryProcess;
        this.registry = run.registry;
        this.serdes = run.serdes;
        this.results = run.results;
        this.table = run.table;
    }

    abstract void run() throws Exception;

    /** The pipeline's config for {@code phase}: its own application id, state directory and topics. */
    protected PipelineConfig config(String phase) {
        return run.config(phase);
    }

    /** Records of {@code topic} visible to a read_committed consumer. */
    protected long countCommitted(String topic) {
        return run.countCommitted(topic);
    }

    static long awaitRunning(KafkaStreams streams, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("Kafka Streams not RUNNING within " + timeout);
            Machine.sleep(20);
        }
        return System.nanoTime();
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

    /** Bytes of the files under {@code dir} whose path contains {@code name} and ends with {@code suffix}. */
    static long directorySize(Path dir, String name, String suffix) {
        if (!Files.exists(dir)) return 0;
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().contains(name) && f.toString().endsWith(suffix)).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long directorySize(Path dir) {
        return directorySize(dir, "", "");
    }

    static void deleteRecursively(Path dir) {
        try {
            Utils.delete(dir.toFile()); // Kafka's, as the demo and the tests use; a missing dir is fine
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /** The {@code q} quantile of {@code sorted} (non-empty, ascending): the element at floor(q (n - 1)). */
    static long quantile(long[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    static double round(double x, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }

    static double number(Map<String, Object> r, String key) {
        return ((Number) r.get(key)).doubleValue();
    }

    static String fmt(double x) {
        return String.format("%,.0f", x);
    }

    static void log(String format, Object... args) {
        System.out.printf("%tT bench: %s%n", System.currentTimeMillis(), String.format(format, args));
    }
}
