package org.brandequity.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.TouchpointContribution;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.AppSerdes;
import org.brandequity.wire.WireFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A producer upgrades to an evolved {@code CustomerInteraction}: one more optional field, one more
 * {@code Touchpoint} symbol. The running pipeline, which knows neither, reads old and new events
 * mixed on the same topic and counts them all: the new field is ignored, the new symbol is read as
 * {@code OTHER} (the enum's default), nothing is dead-lettered.
 */
class SchemaEvolutionIntegrationTest {
    private static final Path AVRO = Path.of(System.getProperty("user.dir")).resolve("../schemas/src/main/avro").normalize();
    private static final String NEW_TOUCHPOINT = "SMART_SPEAKER";
    private static RealCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new RealCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void oldAndEvolvedEventsMixedAreAllCountedAndTheNewTouchpointIsReadAsOther() throws Exception {
        long testStart = System.nanoTime();
        Map<String, String> topics = new HashMap<>();
        for (String t : List.of("interactions", "profiles", "customer.scores", "segment.scores", "equity", "alerts", "dead.letters")) {
            topics.put("topic." + t, "evo-" + t.replace('.', '-'));
        }
        PipelineConfig config = cluster.config("evolution", topics);
        PipelineConfig.Topics t = config.topics();
        TopicAdmin.ensureTopics(config);
        AppSerdes serdes = new AppSerdes(cluster.registry);

        Schema evolved = evolvedInteractionSchema();
        String subject = WireFormat.valueSubject(t.interactions());
        int currentId = cluster.registry.register(subject, CustomerInteraction.getClassSchema());
        int evolvedId = cluster.registry.register(subject, evolved);
        assertNotEquals(currentId, evolvedId, "the evolved schema is a new version under " + subject);

        Instant t0 = Instant.now().minus(Duration.ofMinutes(30));
        try (Pipeline pipeline = new Pipeline(config).start()) {
            // The pipeline runs on old events first ...
            try (KafkaProducer<String, byte[]> producer = cluster.producer()) {
                for (int i = 0; i < 20; i++) {
                    producer.send(old(serdes, t.interactions(), "old-" + i, t0.plusSeconds(i)));
                }
            }
            awaitEquityEvents(serdes, t.equity(), 20);

            // ... then old and evolved events arrive interleaved on the same topic.
            try (KafkaProducer<String, byte[]> producer = cluster.producer()) {
                for (int i = 0; i < 60; i++) {
                    Instant at = t0.plusSeconds(20 + i);
                    producer.send(switch (i % 3) {
                        case 0 -> old(serdes, t.interactions(), "mixed-old-" + i, at);
                        case 1 -> evolved(evolved, evolvedId, t.interactions(), "new-symbol-" + i, at, NEW_TOUCHPOINT, 5);
                        default -> evolved(evolved, evolvedId, t.interactions(), "new-field-" + i, at, "DELIVERY", 2);
                    });
                }
            }
            BrandEquity equity = awaitEquityEvents(serdes, t.equity(), 80);

            Map<Touchpoint, TouchpointContribution> byTouchpoint = new HashMap<>();
            equity.getTouchpoints().forEach(c -> byTouchpoint.put(c.getTouchpoint(), c));
            assertEquals(java.util.Set.of(Touchpoint.DELIVERY, Touchpoint.OTHER), byTouchpoint.keySet());
            // Only the 20 new-symbol events (rating 5, x = 1) land on OTHER; every DELIVERY event, old
            // schema or new, is rated 2 (x = -0.5), so each perceived value is exact.
            assertEquals(1.0, byTouchpoint.get(Touchpoint.OTHER).getPerceived(), 1e-12, "new symbol read as OTHER");
            assertEquals(-0.5, byTouchpoint.get(Touchpoint.DELIVERY).getPerceived(), 1e-12, "DELIVERY, old and new schema");
            assertEquals(0, cluster.readCommitted(t.deadLetters()).size(), "nothing dead-lettered");
        }
        System.out.printf("Schema evolution test: 80 events (40 with the evolved schema id %d) counted in %d ms%n",
                evolvedId, (System.nanoTime() - testStart) / 1_000_000);
    }

    /** A modified copy of the released contract: {@code deviceId} (optional, default null) and one more touchpoint. */
    private static Schema evolvedInteractionSchema() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode touchpoint = (ObjectNode) json.readTree(Files.readString(AVRO.resolve("Touchpoint.avsc")));
        ArrayNode symbols = (ArrayNode) touchpoint.get("symbols");
        // First: every other symbol's index shifts, so a reader resolving by index instead of by name would fail.
        symbols.insert(0, NEW_TOUCHPOINT);
        ObjectNode interaction = (ObjectNode) json.readTree(Files.readString(AVRO.resolve("CustomerInteraction.avsc")));
        ObjectNode deviceId = json.createObjectNode().put("name", "deviceId");
        deviceId.putArray("type").add("null").add("string");
        deviceId.putNull("default");
        ((ArrayNode) interaction.get("fields")).add(deviceId);

        Schema.Parser parser = new Schema.Parser();
        parser.parse(Files.readString(AVRO.resolve("LifecycleStage.avsc")));
        parser.parse(Files.readString(AVRO.resolve("Outcome.avsc")));
        parser.parse(touchpoint.toString());
        return parser.parse(interaction.toString());
    }

    private static ProducerRecord<String, byte[]> old(AppSerdes serdes, String topic, String id, Instant at) {
        String customer = "customer-" + (id.hashCode() & 7);
        CustomerInteraction e = CustomerInteraction.newBuilder().setEventId(id).setCustomerId(customer).setEventTime(at)
                .setTouchpoint(Touchpoint.DELIVERY).setStage(LifecycleStage.PURCHASE).setRating(2).build();
        return new ProducerRecord<>(topic, customer, serdes.interaction().serializer().serialize(topic, e));
    }

    /** An event written as a producer on the evolved schema would: generic record, Avro binary, wire-format header. */
    private static ProducerRecord<String, byte[]> evolved(Schema schema, int schemaId, String topic, String id, Instant at,
                                                          String touchpoint, int rating) throws IOException {
        String customer = "customer-" + (id.hashCode() & 7);
        GenericRecord e = new GenericData.Record(schema);
        e.put("eventId", id);
        e.put("customerId", customer);
        e.put("eventTime", at.toEpochMilli());
        e.put("touchpoint", new GenericData.EnumSymbol(schema.getField("touchpoint").schema(), touchpoint));
        e.put("stage", new GenericData.EnumSymbol(schema.getField("stage").schema(), "PURCHASE"));
        e.put("rating", rating);
        e.put("deviceId", "device-" + id);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(WireFormat.header(schemaId));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(e, encoder);
        encoder.flush();
        return new ProducerRecord<>(topic, customer, out.toByteArray());
    }

    private static BrandEquity awaitEquityEvents(AppSerdes serdes, String topic, long events) {
        List<ConsumerRecord<byte[], byte[]>> read = cluster.readUntil(topic, r -> !r.isEmpty() && last(serdes, topic, r).getEvents() >= events,
                Duration.ofSeconds(90));
        BrandEquity equity = last(serdes, topic, read);
        assertEquals(events, equity.getEvents());
        return equity;
    }

    private static BrandEquity last(AppSerdes serdes, String topic, List<ConsumerRecord<byte[], byte[]>> read) {
        return serdes.brandEquity().deserializer().deserialize(topic, read.get(read.size() - 1).value());
    }
}
