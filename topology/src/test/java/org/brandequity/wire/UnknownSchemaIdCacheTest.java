package org.brandequity.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.brandequity.avro.CustomerInteraction;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: an unknown schema id costs one registry round trip, not one per record; the answer
 * expires, so a schema registered afterwards is found; and the memory of unknown ids is bounded.
 */
class UnknownSchemaIdCacheTest {
    private static final String TOPIC = "customer-interactions";
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final ConfluentAvroSerde<CustomerInteraction> serde = ConfluentAvroSerde.input(registry, CustomerInteraction.class);
    private long now;

    @Test
    void aSchemaRegisteredAfterItsIdWasFoundUnknownIsFoundOnceTheAnswerExpires() {
        serde.nanoClock(() -> now);
        byte[] record = writtenWithId(500);
        assertUnknown(record);
        assertUnknown(record);
        assertEquals(1, registry.schemaByIdCalls(500), "asked once");

        registry.startIdsAt(500);
        assertEquals(500, registry.register(WireFormat.valueSubject(TOPIC), CustomerInteraction.getClassSchema()));
        now += TimeUnit.SECONDS.toNanos(ConfluentAvroSerde.UNKNOWN_ID_RETRY_MS / 1000 - 1);
        assertUnknown(record);
        assertEquals(1, registry.schemaByIdCalls(500), "still answered from memory within the minute");

        now += TimeUnit.SECONDS.toNanos(2);
        assertEquals("c1", serde.deserializer().deserialize(TOPIC, record).getCustomerId());
        assertEquals(2, registry.schemaByIdCalls(500), "asked again after the minute, and found");
    }

    @Test
    void atMost1000UnknownIdsAreRememberedTheLeastRecentlySeenForgottenFirst() {
        for (int id = 1_000; id <= 1_000 + ConfluentAvroSerde.UNKNOWN_ID_CACHE_SIZE; id++) assertUnknown(writtenWithId(id));
        assertUnknown(writtenWithId(1_001));
        assertEquals(1, registry.schemaByIdCalls(1_001), "remembered");
        assertUnknown(writtenWithId(1_000));
        assertEquals(2, registry.schemaByIdCalls(1_000), "the first was forgotten when the 1,001st came");
    }

    private void assertUnknown(byte[] record) {
        WireFormatException e = assertThrows(WireFormatException.class, () -> serde.deserializer().deserialize(TOPIC, record));
        assertEquals(WireFormatException.Reason.UNKNOWN_SCHEMA_ID, e.reason());
    }

    /** A record as a producer with its own registry, where the schema got {@code id}, would write it. */
    private static byte[] writtenWithId(int id) {
        InMemorySchemaRegistry theirs = new InMemorySchemaRegistry();
        theirs.startIdsAt(id);
        byte[] bytes = new ConfluentAvroSerde<>(theirs, CustomerInteraction.class, false).serializer()
                .serialize(TOPIC, WireDecoderFuzzTest.sample());
        assertEquals(id, ByteBuffer.wrap(bytes).getInt(1));
        return bytes;
    }
}
