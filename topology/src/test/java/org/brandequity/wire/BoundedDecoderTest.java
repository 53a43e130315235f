package org.brandequity.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.brandequity.avro.CustomerInteraction;
import org.junit.jupiter.api.Test;

/** Issue 21: a length prefix is checked against the bytes left before anything is allocated. */
class BoundedDecoderTest {
    private static final String TOPIC = "customer-interactions";
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final ConfluentAvroSerde<CustomerInteraction> serde = ConfluentAvroSerde.input(registry, CustomerInteraction.class);
    private final int id = registry.register(WireFormat.valueSubject(TOPIC), CustomerInteraction.getClassSchema());

    @Test
    void aStringLengthPrefixOf15MebibytesInA12ByteRecordIsRejectedWithoutAllocatingIt() {
        // Under Avro's own 16 MiB limit (AvroLimits), so only the check against the bytes left stops it.
        byte[] record = ByteBuffer.allocate(12).put((byte) 0).putInt(id)
                .put(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x0F, 'a', 'b', 'c'}).array();
        serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, WireDecoderFuzzTest.sample())); // warm up
        // And the error path, with another record: Avro keeps a grown scratch buffer per thread, so
        // warming up with this very record would hide an allocation the prefix caused.
        byte[] truncated = ByteBuffer.allocate(8).put((byte) 0).putInt(id).put(new byte[] {0x10, 'a', 'b'}).array();
        assertThrows(WireFormatException.class, () -> serde.deserializer().deserialize(TOPIC, truncated));

        long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
        WireFormatException e = assertThrows(WireFormatException.class, () -> serde.deserializer().deserialize(TOPIC, record));
        long allocated = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;

        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes for a 12-byte record");
        assertEquals(WireFormatException.Reason.UNDECODABLE, e.reason());
        assertTrue(e.getMessage().contains("exceeds the 3 bytes left"), e.getMessage());
    }

    @Test
    void anArrayOrMapItemCountLargerThanTheBytesLeftIsRejected() {
        // A valid record with its answers map's count replaced is awkward to build by hand; the decoder is checked directly.
        byte[] bytes = {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 1, 2}; // zig-zag 2^31 - 1 items, 2 bytes left
        BoundedDecoder d = AvroCodec.local().boundedDecoder(bytes, 0, bytes.length);
        assertThrows(java.io.EOFException.class, d::readArrayStart);
        assertThrows(java.io.EOFException.class, () -> AvroCodec.local().boundedDecoder(bytes, 0, bytes.length).readMapStart());
    }

    @Test
    void avroLimitsAreSetWhenTheCodecLoads() {
        AvroCodec.local();
        assertEquals(Integer.toString(AvroLimits.STRING_AND_BYTES_MAX), System.getProperty(AvroLimits.STRING_MAX));
        assertEquals(Integer.toString(AvroLimits.COLLECTION_ITEMS), System.getProperty(AvroLimits.COLLECTION_ITEMS_MAX));
    }
}
