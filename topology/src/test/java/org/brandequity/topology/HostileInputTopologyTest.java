package org.brandequity.topology;

import static org.brandequity.topology.Events.minutes;
import static org.brandequity.topology.Events.profile;
import static org.brandequity.topology.Events.rated;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.model.DeadLetterReason;
import org.brandequity.wire.WireFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: what a hostile producer can write to the input topics becomes a dead letter with its
 * reason (or, for a profile tombstone, a deletion), and the next valid event of the same customer is
 * still counted: nothing stops the pipeline.
 */
class HostileInputTopologyTest {
    // As in DeadLetterTopologyTest: the test driver under exactly-once drops a deserialization
    // handler's dead letters; the integration tests check them under exactly-once.
    private final PipelineDriver pipeline = new PipelineDriver(Map.of("processing.guarantee", "at_least_once"));

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void aTombstoneOnTheInteractionsTopicIsDeadLetteredAsATombstone() {
        TestRecord<byte[], byte[]> dead = deadLettered(DeadLetterReason.TOMBSTONE, () -> pipeline.rawInteractions.pipeInput(key("c1"), (byte[]) null));
        assertEquals(null, dead.value());
    }

    @Test
    void aTombstoneOnTheProfilesTopicDeletesTheProfileSoLaterEventsCountAsUnassigned() {
        pipeline.profile(profile("c1", "gold"));
        pipeline.profiles.pipeInput("c1", null, Events.T0);
        pipeline.send(rated("c1", minutes(1), 5));
        pipeline.advanceStreamTime(minutes(12));
        assertEquals(BrandEquityTopology.UNASSIGNED_SEGMENT, pipeline.customerScores.readValue().getSegment());
        assertTrue(pipeline.deadLetters.isEmpty(), "a deletion, not a dead letter");
    }

    @Test
    void aProfileWithoutAKeyIsDeadLetteredAsNullKey() {
        deadLetteredProfile(DeadLetterReason.NULL_KEY, () -> pipeline.profiles.pipeInput(null, profile("c1", "silver"), Events.T0));
    }

    @Test
    void aProfileWithA600000CharacterSegmentIsDeadLetteredAsOversizedAndTheCustomerKeepsTheirSegment() {
        // 600,000 characters make a value far over the 64 KiB an input record may have: refused unread.
        TestRecord<byte[], byte[]> dead = deadLetteredProfile(DeadLetterReason.OVERSIZED,
                () -> pipeline.profile(profile("c1", "x".repeat(600_000))));
        assertTrue(size(dead) <= DeadLetters.MAX_RECORD_BYTES, "the dead letter is bounded: " + size(dead));
    }

    @Test
    void aProfileWithASegmentOverItsLimitButUnderTheSizeLimitIsDeadLetteredAsTooLongAndNotApplied() {
        TestRecord<byte[], byte[]> dead = deadLetteredProfile(DeadLetterReason.TOO_LONG,
                () -> pipeline.profile(profile("c1", "x".repeat(10_000))));
        assertTrue(PipelineDriver.header(dead, DeadLetters.DETAIL_HEADER).contains("segment"));
        // Profiles are processed at time 0; a dead letter stamped 1970 would be deleted by retention at once.
        assertTrue(dead.timestamp() > 0, "stamped with the wall clock: " + dead.timestamp());
    }

    @Test
    void aProfileWithANegativeValueWeightIsDeadLetteredAsOutOfRange() {
        deadLetteredProfile(DeadLetterReason.OUT_OF_RANGE, () -> pipeline.profile(profile("c1", "silver", -1.0)));
    }

    @Test
    void anInteractionWithAnOverLongCustomerIdIsDeadLetteredAsTooLong() {
        String id = "c".repeat(300);
        deadLettered(DeadLetterReason.TOO_LONG, () -> pipeline.send(rated(id, minutes(2), 4)));
    }

    @Test
    void truncatedAvroIsDeadLetteredAsUndecodable() {
        byte[] whole = pipeline.serdes.interaction().serializer().serialize("t", rated("c1", minutes(2), 4));
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
        deadLettered(DeadLetterReason.UNDECODABLE, () -> pipeline.rawInteractions.pipeInput(key("c1"), truncated));
    }

    @Test
    void aStringLengthPrefixOf2To31IsDeadLetteredAsUndecodable() {
        // eventId, the first field, claims 2^31 - 16 bytes (just under Java's array limit); 3 bytes follow.
        byte[] bytes = wire(registeredId(), concat(zigZagVarint((1L << 31) - 16), new byte[] {'a', 'b', 'c'}));
        TestRecord<byte[], byte[]> dead = deadLettered(DeadLetterReason.UNDECODABLE, () -> pipeline.rawInteractions.pipeInput(key("c1"), bytes));
        assertTrue(PipelineDriver.header(dead, DeadLetters.DETAIL_HEADER).contains("exceeds the"), PipelineDriver.header(dead, DeadLetters.DETAIL_HEADER));
    }

    @Test
    void aValueNearOneMebibyteIsDeadLetteredAsOversizedWithAPrefixItsSizeAndItsDigest() throws Exception {
        byte[] huge = new byte[1024 * 1024 - 200];
        Arrays.fill(huge, (byte) 'z');
        System.arraycopy(wire(registeredId(), new byte[0]), 0, huge, 0, WireFormat.HEADER_SIZE);
        huge[huge.length - 1] = 1; // the digest covers the end, which the dead letter no longer holds
        TestRecord<byte[], byte[]> dead = deadLettered(DeadLetterReason.OVERSIZED, () -> pipeline.rawInteractions.pipeInput(key("c1"), huge));
        assertArrayEquals(Arrays.copyOf(huge, DeadLetters.MAX_VALUE_BYTES), dead.value(), "a prefix of the value");
        assertEquals(Integer.toString(huge.length), PipelineDriver.header(dead, DeadLetters.ORIGINAL_VALUE_BYTES_HEADER));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(huge)),
                PipelineDriver.header(dead, DeadLetters.ORIGINAL_VALUE_SHA256_HEADER));
        assertTrue(size(dead) <= DeadLetters.MAX_RECORD_BYTES, "under the producer's limit: " + size(dead));
    }

    @Test
    void aValueJustOverTheInputLimitIsDeadLetteredAsOversized() {
        byte[] over = Arrays.copyOf(wire(registeredId(), new byte[0]), WireFormat.MAX_INPUT_VALUE_BYTES + 1);
        deadLettered(DeadLetterReason.OVERSIZED, () -> pipeline.rawInteractions.pipeInput(key("c1"), over));
    }

    @Test
    void hugeSourceHeadersAreNotCopiedWhole() {
        TestRecord<byte[], byte[]> dead = deadLettered(DeadLetterReason.TOMBSTONE, () -> {
            TestRecord<byte[], byte[]> r = new TestRecord<>(key("c1"), null);
            for (int i = 0; i < 20; i++) r.headers().add("h" + i, new byte[50_000]);
            pipeline.rawInteractions.pipeInput(r);
        });
        assertTrue(size(dead) <= DeadLetters.MAX_RECORD_BYTES, "headers bounded: " + size(dead));
        assertTrue(Integer.parseInt(PipelineDriver.header(dead, DeadLetters.DROPPED_HEADERS_HEADER)) > 0);
    }

    @Test
    void anUnknownSchemaIdIsLookedUpInTheRegistryOnceForManyRecords() {
        byte[] body = pipeline.serdes.interaction().serializer().serialize("t", rated("c1", minutes(2), 4));
        ByteBuffer.wrap(body).putInt(1, 4242);
        deadLettered(DeadLetterReason.UNKNOWN_SCHEMA_ID, () -> pipeline.rawInteractions.pipeInput(key("c1"), body));
        for (int i = 0; i < 99; i++) pipeline.rawInteractions.pipeInput(key("c1"), body);
        assertEquals(1, pipeline.registry.schemaByIdCalls(4242), "one registry round trip for 100 records");
        assertEquals(100, pipeline.counters.deadLetters(DeadLetterReason.UNKNOWN_SCHEMA_ID));
    }

    @Test
    void aFloodOfDistinctEventIdsForOneCustomerIsCappedAndTheNextCustomersEventIsCounted() {
        for (int i = 0; i < CustomerLedgers.MAX_REMEMBERED_EVENTS; i++) pipeline.send(rated("flood", minutes(1), 4));
        assertTrue(pipeline.deadLetters.isEmpty(), "up to the cap, every event counts");
        pipeline.send(rated("flood", minutes(1), 4));
        TestRecord<byte[], byte[]> dead = pipeline.deadLetters.readRecord();
        assertEquals(DeadLetterReason.TOO_MANY_EVENTS.name(), PipelineDriver.header(dead, DeadLetters.REASON_HEADER));

        pipeline.send(rated("c1", minutes(2), 5));
        pipeline.advanceStreamTime(minutes(12));
        java.util.List<CustomerExperienceScore> scores = pipeline.customerScores.readValuesToList();
        assertEquals(CustomerLedgers.MAX_REMEMBERED_EVENTS, scores.stream().filter(w -> w.getCustomerId().equals("flood"))
                .mapToLong(CustomerExperienceScore::getEvents).sum());
        assertEquals(1, scores.stream().filter(w -> w.getCustomerId().equals("c1")).mapToLong(CustomerExperienceScore::getEvents).sum());
    }

    /** A valid event, the bad input, a valid event: one dead letter, both valid events counted. */
    private TestRecord<byte[], byte[]> deadLettered(DeadLetterReason reason, Runnable badInput) {
        TestRecord<byte[], byte[]> dead = pipeline.deadLetterBetweenTwoValidEvents(reason, badInput);
        assertEquals(1, pipeline.counters.deadLetters(reason));
        CustomerExperienceScore score = pipeline.customerScores.readValue();
        assertEquals(2, score.getEvents(), "the valid events around the bad one are both counted");
        return dead;
    }

    /** A valid profile, the bad one, then an event: the event counts in the valid profile's segment. */
    private TestRecord<byte[], byte[]> deadLetteredProfile(DeadLetterReason reason, Runnable badProfile) {
        pipeline.profile(profile("c1", "gold"));
        badProfile.run();
        pipeline.send(rated("c1", minutes(1), 5));
        pipeline.advanceStreamTime(minutes(12));

        TestRecord<byte[], byte[]> dead = pipeline.deadLetters.readRecord();
        assertEquals(reason.name(), PipelineDriver.header(dead, DeadLetters.REASON_HEADER));
        assertEquals(pipeline.config.topics().profiles(), PipelineDriver.header(dead, "__streams.errors.topic"));
        assertTrue(pipeline.deadLetters.isEmpty());
        CustomerExperienceScore score = pipeline.customerScores.readValue();
        assertEquals(1, score.getEvents(), "the next valid event is counted");
        assertEquals("gold", score.getSegment(), "the bad profile was not applied");
        return dead;
    }

    private static int size(TestRecord<byte[], byte[]> r) {
        int n = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
        for (Header h : r.headers()) n += h.key().length() + (h.value() == null ? 0 : h.value().length);
        return n;
    }

    private int registeredId() {
        return pipeline.registry.register(pipeline.config.topics().interactions() + "-value", CustomerInteraction.getClassSchema());
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] wire(int schemaId, byte[] avro) {
        return ByteBuffer.allocate(5 + avro.length).put((byte) 0).putInt(schemaId).put(avro).array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Avro's long encoding: zig-zag, then 7 bits a byte, low first. */
    static byte[] zigZagVarint(long n) {
        long v = (n << 1) ^ (n >> 63);
        ByteBuffer out = ByteBuffer.allocate(10);
        while ((v & ~0x7FL) != 0) {
            out.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
        return Arrays.copyOf(out.array(), out.position());
    }
}
