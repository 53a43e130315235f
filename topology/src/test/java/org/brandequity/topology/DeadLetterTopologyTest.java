package org.brandequity.topology;

import static org.brandequity.topology.Events.interaction;
import static org.brandequity.topology.Events.minutes;
import static org.brandequity.topology.Events.rated;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.Money;
import org.brandequity.model.DeadLetterReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each kind of bad input lands in the dead-letter topic with its reason, between two valid events
 * of the same customer that are both still counted.
 */
class DeadLetterTopologyTest {
    // TopologyTestDriver under exactly-once drops the dead letters that a deserialization handler
    // returns (they are sent outside its simulated transaction); the integration tests check them
    // under exactly-once against a real broker.
    private final PipelineDriver pipeline = new PipelineDriver(Map.of("processing.guarantee", "at_least_once"));

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void undecodableBytesAreDeadLettered() {
        assertDeadLettered(DeadLetterReason.UNDECODABLE,
                () -> pipeline.rawInteractions.pipeInput(key("c1"), wire(registeredId(), new byte[] {(byte) 0xff, 0x01, 0x02})));
    }

    @Test
    void aBadMagicByteIsDeadLettered() {
        byte[] bytes = pipeline.serdes.interaction().serializer().serialize("t", rated("c1", minutes(2), 4));
        bytes[0] = 7;
        assertDeadLettered(DeadLetterReason.BAD_MAGIC_BYTE, () -> pipeline.rawInteractions.pipeInput(key("c1"), bytes));
    }

    @Test
    void anUnknownSchemaIdIsDeadLettered() {
        byte[] body = pipeline.serdes.interaction().serializer().serialize("t", rated("c1", minutes(2), 4));
        ByteBuffer.wrap(body).putInt(1, 4242);
        assertDeadLettered(DeadLetterReason.UNKNOWN_SCHEMA_ID, () -> pipeline.rawInteractions.pipeInput(key("c1"), body));
    }

    @Test
    void aWriterSchemaMissingARequiredFieldIsDeadLettered() throws IOException {
        Schema withoutEventId = SchemaBuilder.record("CustomerInteraction").namespace("org.brandequity.avro").fields()
                .requiredString("customerId").endRecord();
        int id = pipeline.registry.register("legacy-value", withoutEventId);
        GenericRecord legacy = new GenericData.Record(withoutEventId);
        legacy.put("customerId", "c1");
        byte[] bytes = wire(id, avro(withoutEventId, legacy));
        assertDeadLettered(DeadLetterReason.MISSING_FIELD, () -> pipeline.rawInteractions.pipeInput(key("c1"), bytes));
    }

    @Test
    void anEmptyEventIdIsDeadLetteredAsMissing() {
        assertDeadLettered(DeadLetterReason.MISSING_FIELD, () -> pipeline.send(interaction("c1", minutes(2)).setEventId("").setRating(4).build()));
    }

    @Test
    void anOutOfRangeRatingIsDeadLettered() {
        assertDeadLettered(DeadLetterReason.OUT_OF_RANGE, () -> pipeline.send(interaction("c1", minutes(2)).setRating(6).build()));
    }

    @Test
    void aNegativeSpendIsDeadLettered() {
        assertDeadLettered(DeadLetterReason.OUT_OF_RANGE,
                () -> pipeline.send(interaction("c1", minutes(2)).setSpend(new Money(-5.0, "EUR")).build()));
    }

    @Test
    void aNullKeyIsDeadLettered() {
        assertDeadLettered(DeadLetterReason.NULL_KEY, () -> pipeline.interactions.pipeInput(null, rated("c1", minutes(2), 4)));
    }

    @Test
    void aKeyThatIsNotTheCustomerIdIsDeadLettered() {
        assertDeadLettered(DeadLetterReason.KEY_MISMATCH, () -> pipeline.interactions.pipeInput("c2", rated("c1", minutes(2), 4)));
    }

    @Test
    void aCustomerIdWithANulCharacterIsDeadLettered() {
        assertDeadLettered(DeadLetterReason.INVALID_ID, () -> pipeline.send(rated("c1\u0000x", minutes(2), 4)));
    }

    @Test
    void aFarFutureEventTimeIsDeadLettered() {
        // Wall clock is T0 + 1 day; allowed skew 1h.
        CustomerInteraction future = rated("c1", Events.T0.plus(Duration.ofDays(3)), 4);
        assertDeadLettered(DeadLetterReason.FUTURE_EVENT_TIME, () -> pipeline.send(future));
    }

    private void assertDeadLettered(DeadLetterReason reason, Runnable badInput) {
        TestRecord<byte[], byte[]> dead = pipeline.deadLetterBetweenTwoValidEvents(reason, badInput);
        assertEquals(pipeline.config.topics().interactions(), PipelineDriver.header(dead, "__streams.errors.topic"));
        assertEquals("1", PipelineDriver.header(dead, "__streams.errors.offset"), "the bad record was the second on the topic");
        assertTrue(pipeline.deadLetters.isEmpty(), "one bad record, one dead letter");
        assertEquals(1, pipeline.counters.deadLetters(reason), "counted by reason in this instance's brandequity_dead_letters");
        assertEquals(1, pipeline.counters.deadLetters());

        CustomerExperienceScore score = pipeline.customerScores.readValue();
        assertEquals(2, score.getEvents(), "the valid events around the bad one are both counted");
        assertEquals(0.0, score.getScore(), 1e-12);
    }

    private byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private int registeredId() {
        return pipeline.registry.register(pipeline.config.topics().interactions() + "-value", CustomerInteraction.getClassSchema());
    }

    private static byte[] wire(int schemaId, byte[] avro) {
        return ByteBuffer.allocate(5 + avro.length).put((byte) 0).putInt(schemaId).put(avro).array();
    }

    private static byte[] avro(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, enc);
        enc.flush();
        return out.toByteArray();
    }

    @Test
    void anUnexpectedExceptionAfterTheLedgerWriteFailsTheTaskInsteadOfDeadLetteringAHalfAppliedEvent() {
        try (PipelineDriver faulty = new PipelineDriver(Map.of("processing.guarantee", "at_least_once",
                "kafka.processor.wrapper.class", "org.brandequity.topology.FailBeforeEquityPreAggregation"))) {
            CustomerInteraction e = interaction("c1", minutes(1)).setEventId(org.brandequity.topology.FailBeforeEquityPreAggregation.EVENT_ID)
                    .setRating(5).build();
            StreamsException failure = assertThrows(StreamsException.class, () -> faulty.send(e));
            assertTrue(failure.getCause() instanceof IllegalStateException, failure.toString());
            assertTrue(faulty.deadLetters.isEmpty(), "not a dead letter");
            assertEquals(0, faulty.counters.deadLetters());
        }
    }

    @Test
    void aDeadLetterKeepsTheOriginalBytes() {
        byte[] bytes = {0, 0, 0, 0, 1, 9, 9};
        pipeline.rawInteractions.pipeInput(key("c1"), bytes);
        TestRecord<byte[], byte[]> dead = pipeline.deadLetters.readRecord();
        assertArrayEquals(bytes, dead.value());
        assertArrayEquals(key("c1"), dead.key());
    }
}
