package org.brandequity.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.cluster.BrokerPreflight;
import org.brandequity.cluster.DeploymentAcls;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.embedded.EmbeddedKafkaBroker;
import org.brandequity.topology.AppSerdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipeline on a locked-down broker (SASL_SSL with SCRAM-SHA-512, the standard authorizer), each
 * principal holding exactly the ACLs {@link DeploymentAcls} generates (what the {@code acls} command
 * prints): the pipeline under exactly-once, a simulator that may only write the input topics, a
 * dashboard that may only read the output topics. The same input on the open broker of
 * {@link RealCluster} gives the same equity. The schema registry is the same open one for both.
 */
class SecuredPipelineIntegrationTest {
    private static final Map<String, String> SETTINGS = Map.of("processing.guarantee", "exactly_once_v2",
            "window.size", "10s", "window.advance", "10s", "window.grace", "1s", "equity.flush.interval", "200ms");
    private static final List<String> CUSTOMERS = List.of("c0", "c1", "c2", "c3", "c4", "c5");
    private static final int PER_CUSTOMER = 5;
    private static final Map<String, String> PASSWORDS = Map.of("pipeline", "pipeline-secret", "simulator", "simulator-secret",
            "dashboard", "dashboard-secret");

    private static RealCluster cluster;
    private static EmbeddedKafkaBroker secured;

    @BeforeAll
    static void start() throws Exception {
        cluster = new RealCluster();
        secured = EmbeddedKafkaBroker.builder().saslSsl().start();
        PASSWORDS.forEach(secured::createScramUser);
        PipelineConfig config = securedConfig();
        List<org.apache.kafka.common.acl.AclBinding> acls = new ArrayList<>(DeploymentAcls.pipeline(config, "pipeline", true));
        acls.addAll(DeploymentAcls.producer(config, "simulator"));
        acls.addAll(DeploymentAcls.downstream(config, "dashboard", "dashboard"));
        secured.createAcls(acls);
    }

    @AfterAll
    static void stop() {
        if (secured != null) secured.close();
        if (cluster != null) cluster.close();
    }

    /** The pipeline on the secured broker as {@code User:pipeline}: the client settings docs/security.md shows. */
    private static PipelineConfig securedConfig() {
        Map<String, String> s = new HashMap<>(SETTINGS);
        s.put("bootstrap.servers", secured.bootstrapServers());
        s.put("kafka.security.protocol", "SASL_SSL");
        s.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        s.put("kafka.sasl.jaas.config", EmbeddedKafkaBroker.scramJaasConfig("pipeline", PASSWORDS.get("pipeline")));
        s.put("kafka.ssl.truststore.location", secured.tls().truststore().toString());
        s.put("kafka.ssl.truststore.password", secured.tls().password());
        s.put("kafka.ssl.truststore.type", secured.tls().storeType());
        return cluster.config("secured", s);
    }

    private static Map<String, Object> securedClient(String user) {
        return secured.clientProperties(user, PASSWORDS.get(user));
    }

    @Test
    void withExactlyTheGeneratedAclsThePipelineComputesTheSameEquityAsOnTheOpenBroker() throws Exception {
        AppSerdes serdes = new AppSerdes(cluster.registry);
        Instant t0 = Instant.ofEpochMilli(Instant.now().minus(Duration.ofHours(1)).toEpochMilli() / 10_000 * 10_000);

        PipelineConfig open = cluster.config("open", SETTINGS);
        TopicAdmin.ensureTopics(open);
        BrokerPreflight.check(open); // an open broker (no authorizer) grants everything, and the check says so
        Map<String, Object> openProducer = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.broker.bootstrapServers()));
        long expected = produceInput(openProducer, serdes, open, t0);
        BrandEquity openEquity;
        try (Pipeline pipeline = new Pipeline(open).start()) {
            openEquity = awaitEquity(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.broker.bootstrapServers()), serdes, open, expected);
        }

        PipelineConfig config = securedConfig();
        // What `run` checks first passes with the generated ACLs, and the pipeline creates its topics itself (Create).
        BrokerPreflight.check(config);
        TopicAdmin.ensureTopics(config);
        assertEquals(expected, produceInput(securedClient("simulator"), serdes, config, t0));
        BrandEquity securedEquity;
        try (Pipeline pipeline = new Pipeline(config).start()) {
            // Read by the downstream principal: it may read the output topics.
            securedEquity = awaitEquity(securedClient("dashboard"), serdes, config, expected);
            assertEquals(null, pipeline.failure());
        }
        // The preflight checks Create on the internal topics by name: the names Kafka Streams used.
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(securedClient("pipeline"))) {
            java.util.Set<String> internal = new java.util.TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
            internal.removeIf(t -> !t.startsWith(config.applicationId() + "-"));
            assertEquals(BrokerPreflight.internalTopics(org.brandequity.topology.BrandEquityTopology.build(config, serdes).describe(),
                    config.applicationId()), internal);
        }
        System.out.printf("equity open:    events=%d stock=%.12f volume=%.12f asOf=%s%n", openEquity.getEvents(), openEquity.getStock(),
                openEquity.getVolume(), openEquity.getAsOf());
        System.out.printf("equity secured: events=%d stock=%.12f volume=%.12f asOf=%s%n", securedEquity.getEvents(), securedEquity.getStock(),
                securedEquity.getVolume(), securedEquity.getAsOf());

        assertEquals(expected, securedEquity.getEvents(), "every event counted once");
        assertEquals(openEquity.getEvents(), securedEquity.getEvents());
        assertEquals(openEquity.getAsOf(), securedEquity.getAsOf());
        assertEquals(openEquity.getStock(), securedEquity.getStock(), 1e-9 * Math.abs(openEquity.getStock()), "stock");
        assertEquals(openEquity.getVolume(), securedEquity.getVolume(), 1e-9 * openEquity.getVolume(), "volume");
    }

    @Test
    void theDownstreamPrincipalIsRefusedTheInputTopic() {
        Map<String, Object> p = securedClient("dashboard");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dashboard-sneak");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(securedConfig().topics().interactions()));
            TopicAuthorizationException e = assertThrows(TopicAuthorizationException.class, () -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline) consumer.poll(Duration.ofMillis(500));
            });
            assertEquals(java.util.Set.of(securedConfig().topics().interactions()), e.unauthorizedTopics());
        }
    }

    @Test
    void theSimulatorPrincipalIsRefusedAnOutputTopic() {
        Map<String, Object> p = securedClient("simulator");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            ExecutionException e = assertThrows(ExecutionException.class, () ->
                    producer.send(new ProducerRecord<>(securedConfig().topics().equity(), "acme", new byte[] {0})).get(30, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, e.getCause());
        }
    }

    /**
     * Each customer's events inside one 10 s window, then one later event per customer
     * that closes it; the same records for both brokers. Returns the number of events.
     */
    private static long produceInput(Map<String, Object> client, AppSerdes serdes, PipelineConfig config, Instant t0) {
        Map<String, Object> p = new HashMap<>(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        String interactions = config.topics().interactions();
        long count = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < PER_CUSTOMER; i++) {
                for (String c : CUSTOMERS) {
                    // Ratings 2..5: more good experience than bad, so that equity ends well away from zero.
                    send(producer, serdes, interactions, event(c + "-" + i, c, t0.plusMillis(i * 1000L + c.hashCode() % 100), 2 + (i + c.hashCode()) % 4));
                    count++;
                }
            }
            producer.flush();
            for (String c : CUSTOMERS) {
                send(producer, serdes, interactions, event(c + "-later", c, t0.plusSeconds(60), 3));
                count++;
            }
        }
        return count;
    }

    /** The latest equity once it counts {@code expected} events, read_committed by {@code client}. */
    private static BrandEquity awaitEquity(Map<String, Object> client, AppSerdes serdes, PipelineConfig config, long expected) {
        String topic = config.topics().equity();
        List<ConsumerRecord<byte[], byte[]>> read = readUntil(client, topic,
                r -> !r.isEmpty() && decode(serdes, topic, r.get(r.size() - 1)).getEvents() >= expected, Duration.ofSeconds(120));
        return decode(serdes, topic, read.get(read.size() - 1));
    }

    private static List<ConsumerRecord<byte[], byte[]>> readUntil(Map<String, Object> client, String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        Map<String, Object> p = new HashMap<>(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dashboard-" + System.nanoTime());
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (!done.test(read)) {
                if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " reading " + topic + "; read " + read.size());
                c.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    private static BrandEquity decode(AppSerdes serdes, String topic, ConsumerRecord<byte[], byte[]> r) {
        return serdes.brandEquity().deserializer().deserialize(topic, r.value());
    }

    private static void send(KafkaProducer<String, byte[]> producer, AppSerdes serdes, String topic, CustomerInteraction e) {
        producer.send(new ProducerRecord<>(topic, e.getCustomerId(), serdes.interaction().serializer().serialize(topic, e)));
    }

    private static CustomerInteraction event(String id, String customer, Instant time, int rating) {
        return CustomerInteraction.newBuilder().setEventId(id).setCustomerId(customer).setEventTime(time)
                .setTouchpoint(Touchpoint.DELIVERY).setStage(LifecycleStage.PURCHASE).setRating(rating).build();
    }
}
