package org.brandequity.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.brandequity.cli.Main;
import org.brandequity.config.PipelineConfig;
import org.brandequity.embedded.EmbeddedKafkaBroker;
import org.brandequity.embedded.EmbeddedSchemaRegistry;
import org.brandequity.wire.HttpSchemaRegistryClient;

/** A real KRaft broker in this JVM and a real schema registry in a child JVM, for integration tests (public: other packages' tests use it). */
public final class RealCluster implements AutoCloseable {
    public final Path dir;
    public final EmbeddedKafkaBroker broker;
    public final EmbeddedSchemaRegistry registryProcess;
    public final HttpSchemaRegistryClient registry;

    public RealCluster() throws Exception {
        dir = Files.createTempDirectory("brand-equity-it");
        broker = EmbeddedKafkaBroker.builder().dataDirectory(dir.resolve("kafka")).start();
        registryProcess = EmbeddedSchemaRegistry.start(dir.resolve("logs"));
        registry = new HttpSchemaRegistryClient(registryProcess.url());
    }

    /** Pipeline config on this cluster: 3 partitions, replication 1, state under {@code name}. */
    public PipelineConfig config(String name, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>();
        all.put("application.id", name);
        all.put("bootstrap.servers", broker.bootstrapServers());
        all.put("schema.registry.url", registryProcess.url());
        all.put("state.dir", dir.resolve("state-" + name).toString());
        all.put("topic.partitions", "3");
        all.put("topic.replication.factor", "1");
        all.put("kafka.session.timeout.ms", "6000");
        // Query API on a free loopback port, so tests never collide on 8080.
        all.put("api.host", "127.0.0.1");
        all.put("api.port", "0");
        all.putAll(overrides);
        return PipelineConfig.defaults().with(all);
    }

    public KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public void send(String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> p = producer()) {
            p.send(new ProducerRecord<>(topic, key, value));
        }
    }

    /** Reads {@code topic} (read_committed) until {@code done} holds for what was read, or fails after {@code timeout}. */
    public List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime());
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (!done.test(read)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out after " + timeout + " reading " + topic + "; read " + read.size() + " records");
                }
                c.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    /** Everything committed on {@code topic} that one consumer reads within {@code duration}. */
    public List<ConsumerRecord<byte[], byte[]>> readFor(String topic, Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        return readUntil(topic, read -> System.nanoTime() > until, duration.plusSeconds(30));
    }

    /** Everything committed on {@code topic} so far: read_committed up to each partition's last stable offset. */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) throw new AssertionError("timed out reading " + topic + " to " + end);
                c.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    /**
     * The command that runs {@code Main run} in a child JVM on this cluster (test classpath, 3
     * partitions, replication 1, free metrics and API ports on loopback, 6 s session timeout), with
     * {@code settings} on top. A child JVM can be killed without a clean shutdown.
     */
    public List<String> runCommand(String applicationId, Path stateDir, Map<String, String> settings) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run"));
        Map<String, String> all = new HashMap<>();
        all.put("bootstrap.servers", broker.bootstrapServers());
        all.put("schema.registry.url", registryProcess.url());
        all.put("application.id", applicationId);
        all.put("state.dir", stateDir.toString());
        all.put("topic.partitions", "3");
        all.put("topic.replication.factor", "1");
        all.put("metrics.port", "0");
        all.put("api.host", "127.0.0.1");
        all.put("api.port", "0");
        all.put("kafka.session.timeout.ms", "6000");
        all.putAll(settings);
        all.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        return command;
    }

    /** Starts {@code command} with its output in {@code log}. */
    public static Process startProcess(List<String> command, Path log) throws java.io.IOException {
        Files.createDirectories(log.getParent());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Override
    public void close() {
        registry.close();
        registryProcess.close();
        broker.close();
        try {
            Utils.delete(dir.toFile());
        } catch (java.io.IOException ignored) {
            // best effort: a temp dir
        }
    }
}
