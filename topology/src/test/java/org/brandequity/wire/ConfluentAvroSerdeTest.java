package org.brandequity.wire;

import static org.brandequity.wire.InMemorySchemaRegistry.fastClient;
import static org.brandequity.wire.Interactions.field;
import static org.brandequity.wire.Interactions.fields;
import static org.brandequity.wire.Interactions.interaction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.Touchpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {

    private static final String TOPIC = "customer-interactions";

    private InMemorySchemaRegistry registry;
    private HttpSchemaRegistryClient client;
    private ConfluentAvroSerde<CustomerInteraction> serde;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = InMemorySchemaRegistry.serving();
        client = fastClient(registry.url());
        serde = new ConfluentAvroSerde<>(client, CustomerInteraction.class, false);
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void aRecordSurvivesTheRoundTripUnchanged() {
        CustomerInteraction original = interaction("e-1");

        CustomerInteraction read = roundTrip(original);

        assertEquals(original, read);
        assertEquals(Interactions.EVENT_TIME, read.getEventTime());
    }

    @Test
    void theBytesAreMagicByteThenBigEndianSchemaIdThenAvroBinary() throws IOException {
        registry.startIdsAt(0x01020304);

        byte[] bytes = serde.serializer().serialize(TOPIC, interaction("e-1"));

        assertArrayEquals(new byte[] {0, 1, 2, 3, 4}, Arrays.copyOf(bytes, 5));
        BinaryDecoder avro = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
        assertEquals("e-1", avro.readString());
        assertEquals("customer-42", avro.readString());
        assertEquals(Interactions.EVENT_TIME.toEpochMilli(), avro.readLong());
        assertEquals(Touchpoint.SUPPORT_CONTACT.ordinal(), avro.readEnum());
        assertEquals(LifecycleStage.SERVICE.ordinal(), avro.readEnum());
        assertEquals(1, avro.readIndex());
        assertEquals("phone", avro.readString());
        assertEquals(1, avro.readIndex());
        assertEquals(4, avro.readInt());
        assertEquals(1, avro.readIndex());
        assertEquals(9, avro.readInt());
        assertEquals(1, avro.readIndex());
        assertEquals(0.62, avro.readDouble());
        assertEquals(1, avro.readIndex());
        assertEquals(6, avro.readInt());
        assertEquals(1, avro.readIndex());
        assertEquals(Outcome.SUCCESS.ordinal(), avro.readEnum());
        assertEquals(1, avro.readIndex());
        assertEquals(19.9, avro.readDouble());
        assertEquals("EUR", avro.readString());
        assertTrue(avro.isEnd());
    }

    @Test
    void valuesAreRegisteredUnderTheTopicValueSubject() {
        serde.serializer().serialize(TOPIC, interaction("e-1"));

        assertEquals(1, registry.registrationsUnder("customer-interactions-value"));
        assertEquals(0, registry.registrationsUnder("customer-interactions-key"));
    }

    @Test
    void keysAreRegisteredUnderTheTopicKeySubject() {
        ConfluentAvroSerde<CustomerInteraction> keySerde =
                new ConfluentAvroSerde<>(client, CustomerInteraction.class, true);

        keySerde.serializer().serialize(TOPIC, interaction("e-1"));

        assertEquals(1, registry.registrationsUnder("customer-interactions-key"));
        assertEquals(0, registry.registrationsUnder("customer-interactions-value"));
    }

    @Test
    void theSchemaIsRegisteredOncePerSubjectHoweverManyRecordsAreWritten() {
        for (int i = 0; i < 50; i++) {
            serde.serializer().serialize(TOPIC, interaction("e-" + i));
            serde.serializer().serialize("other-topic", interaction("e-" + i));
        }

        assertEquals(1, registry.registrationsUnder("customer-interactions-value"));
        assertEquals(1, registry.registrationsUnder("other-topic-value"));
    }

    @Test
    void theWriterSchemaIsFetchedOnceHoweverManyRecordsAreRead() {
        byte[] bytes = serde.serializer().serialize(TOPIC, interaction("e-1"));
        ConfluentAvroSerde<CustomerInteraction> consumerSide =
                new ConfluentAvroSerde<>(fastClient(registry.url()), CustomerInteraction.class, false);

        for (int i = 0; i < 50; i++) {
            consumerSide.deserializer().deserialize(TOPIC, bytes);
        }

        assertEquals(1, registry.lookupsOf(WireFormat.schemaId(bytes)));
    }

    @Test
    void nullIsWrittenAsNullAndReadAsNull() {
        assertNull(serde.serializer().serialize(TOPIC, null));
        assertNull(serde.deserializer().deserialize(TOPIC, (byte[]) null));
        assertEquals(0, registry.requests().size());
    }

    @Test
    void aRecordIsReadInPlaceFromAByteBufferViewOfALargerArray() {
        byte[] bytes = serde.serializer().serialize(TOPIC, interaction("e-1"));
        byte[] fetchBuffer = new byte[bytes.length + 20];
        System.arraycopy(bytes, 0, fetchBuffer, 7, bytes.length);
        ByteBuffer view = ByteBuffer.wrap(fetchBuffer, 7, bytes.length).slice();

        CustomerInteraction read = serde.deserializer().deserialize(TOPIC, null, view);

        assertEquals(interaction("e-1"), read);
        assertEquals(0, view.position());
    }

    @Test
    void aSerdeBuiltFromTheReaderSchemaDecodesIntoTheGeneratedClass() {
        ConfluentAvroSerde<CustomerInteraction> bySchema =
                new ConfluentAvroSerde<>(client, CustomerInteraction.getClassSchema(), false);

        byte[] bytes = bySchema.serializer().serialize(TOPIC, interaction("e-1"));

        assertEquals(interaction("e-1"), bySchema.deserializer().deserialize(TOPIC, bytes));
    }

    @Test
    void aReaderSchemaWithoutAGeneratedClassIsRefusedUpFront() {
        Schema unknown = Schema.createRecord("Unknown", null, "org.brandequity.nowhere", false, List.of());

        assertThrows(IllegalArgumentException.class, () -> new ConfluentAvroSerde<>(client, unknown, false));
    }

    @Test
    void aWrongMagicByteIsRejectedAsBadMagicByte() {
        byte[] bytes = serde.serializer().serialize(TOPIC, interaction("e-1"));
        bytes[0] = 1;

        assertEquals(WireFormatException.Reason.BAD_MAGIC_BYTE, readFailure(bytes).reason());
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsRejectedAsUnknownSchemaId() {
        byte[] bytes = serde.serializer().serialize(TOPIC, interaction("e-1"));
        WireFormat.writeHeader(9_999, bytes, 0);

        assertEquals(WireFormatException.Reason.UNKNOWN_SCHEMA_ID, readFailure(bytes).reason());
    }

    @Test
    void truncatedAvroIsRejectedAsUndecodable() {
        byte[] bytes = serde.serializer().serialize(TOPIC, interaction("e-1"));

        WireFormatException failure = readFailure(Arrays.copyOf(bytes, bytes.length - 3));

        assertEquals(WireFormatException.Reason.UNDECODABLE, failure.reason());
    }

    @Test
    void aPayloadShorterThanTheHeaderIsRejectedAsUndecodable() {
        assertEquals(WireFormatException.Reason.UNDECODABLE, readFailure(new byte[] {0, 0, 1}).reason());
        assertEquals(WireFormatException.Reason.UNDECODABLE, readFailure(new byte[0]).reason());
    }

    @Test
    void bytesLeftOverAfterTheRecordAreRejectedAsUndecodable() {
        byte[] bytes = serde.serializer().serialize(TOPIC, interaction("e-1"));

        WireFormatException failure = readFailure(Arrays.copyOf(bytes, bytes.length + 2));

        assertEquals(WireFormatException.Reason.UNDECODABLE, failure.reason());
    }

    @Test
    void aWriterSchemaLackingARequiredFieldIsRejectedAsMissingField() throws IOException {
        Schema withoutCustomerId = Interactions.editedSchema(root -> {
            var fields = fields(root);
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).get("name").asText().equals("customerId")) {
                    fields.remove(i);
                }
            }
        });
        GenericRecord written = new GenericRecordBuilder(withoutCustomerId)
                .set("eventId", "e-1")
                .set("eventTime", Interactions.EVENT_TIME.toEpochMilli())
                .set("touchpoint", new GenericData.EnumSymbol(withoutCustomerId.getField("touchpoint").schema(), "AD"))
                .set("stage", new GenericData.EnumSymbol(withoutCustomerId.getField("stage").schema(), "AWARENESS"))
                .build();
        int id = registry.put("customer-interactions-value", withoutCustomerId);

        WireFormatException failure = readFailure(wire(id, written));

        assertEquals(WireFormatException.Reason.MISSING_FIELD, failure.reason());
        assertTrue(failure.getMessage().contains("customerId"), failure.getMessage());
    }

    @Test
    void anEvolvedWriterSchemaIsReadWithItsUnknownTouchpointAsOther() throws IOException {
        Schema evolved = Interactions.editedSchema(root -> {
            ((com.fasterxml.jackson.databind.node.ArrayNode) field(root, "touchpoint").get("type").get("symbols"))
                    .add("KIOSK");
            fields(root).addObject()
                    .put("name", "campaign")
                    .putNull("default")
                    .putArray("type").add("null").add("string");
        });
        GenericRecord written = new GenericRecordBuilder(evolved)
                .set("eventId", "e-7")
                .set("customerId", "customer-42")
                .set("eventTime", Interactions.EVENT_TIME.toEpochMilli())
                .set("touchpoint", new GenericData.EnumSymbol(evolved.getField("touchpoint").schema(), "KIOSK"))
                .set("stage", new GenericData.EnumSymbol(evolved.getField("stage").schema(), "PURCHASE"))
                .set("rating", 5)
                .set("campaign", "spring-sale")
                .build();
        int id = registry.put("customer-interactions-value", evolved);

        CustomerInteraction read = serde.deserializer().deserialize(TOPIC, wire(id, written));

        assertEquals(Touchpoint.OTHER, read.getTouchpoint());
        assertEquals("e-7", read.getEventId());
        assertEquals(LifecycleStage.PURCHASE, read.getStage());
        assertEquals(5, read.getRating());
        assertEquals(Interactions.EVENT_TIME, read.getEventTime());
    }

    @Test
    void anUnreachableRegistryIsASchemaRegistryExceptionAndNotAWireFormatException() {
        byte[] bytes = serde.serializer().serialize(TOPIC, interaction("e-1"));
        registry.close();
        ConfluentAvroSerde<CustomerInteraction> cutOff =
                new ConfluentAvroSerde<>(fastClient(registry.url()), CustomerInteraction.class, false);

        RuntimeException onRead =
                assertThrows(RuntimeException.class, () -> cutOff.deserializer().deserialize(TOPIC, bytes));
        RuntimeException onWrite =
                assertThrows(RuntimeException.class, () -> cutOff.serializer().serialize(TOPIC, interaction("e-2")));

        for (RuntimeException failure : List.of(onRead, onWrite)) {
            assertInstanceOf(SchemaRegistryException.class, failure);
            assertFalse(failure instanceof WireFormatException);
        }
    }

    @Test
    void threadsSharingOneSerdeEachGetTheirOwnRecordsBack() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        CustomerInteraction original = interaction("t" + thread + "-" + i);
                        assertEquals(original, roundTrip(original));
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private CustomerInteraction roundTrip(CustomerInteraction record) {
        return serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, record));
    }

    private WireFormatException readFailure(byte[] bytes) {
        return assertThrows(WireFormatException.class, () -> serde.deserializer().deserialize(TOPIC, bytes));
    }

    private static byte[] wire(int id, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(WireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
