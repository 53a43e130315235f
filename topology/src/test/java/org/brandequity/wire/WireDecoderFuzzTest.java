package org.brandequity.wire;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;

/**
 * Fuzzes the wire decoder of the input topics (issue 21): any bytes become a record or a
 * {@link WireFormatException} with a reason (a dead letter), never any other throwable, and decoding
 * never allocates much more than the input's own size (a hostile length prefix must not become an
 * allocation).
 *
 * <p>{@code mvn verify} replays the committed inputs (the seeds and every crash found) from
 * {@code src/test/resources/org/brandequity/wire/WireDecoderFuzzTestInputs/<method>/}. To fuzz:
 * {@code JAZZER_FUZZ=1 mvn -B -pl topology -am test -Dtest=WireDecoderFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}; each target runs for its {@code maxDuration}, and a
 * crashing input is written to that directory, to be committed.
 */
class WireDecoderFuzzTest {
    private static final String INTERACTIONS = "customer-interactions";
    private static final String PROFILES = "customer-profiles";
    private static final InMemorySchemaRegistry REGISTRY = new InMemorySchemaRegistry();
    private static final ConfluentAvroSerde<CustomerInteraction> INTERACTION = ConfluentAvroSerde.input(REGISTRY, CustomerInteraction.class);
    private static final ConfluentAvroSerde<CustomerProfile> PROFILE = ConfluentAvroSerde.input(REGISTRY, CustomerProfile.class);
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * What one decode may allocate besides a few times the input: exception objects and their stack
     * traces and messages, a registry miss, Avro's per-call objects. A 2^31 length prefix honoured
     * would be 2 GiB; one of a few MiB is caught by this bound too.
     */
    private static final long FIXED_ALLOWANCE = 1 << 20;
    private static final long PER_INPUT_BYTE = 16;
    /**
     * What a first decode down a new path may allocate once, then never again for the same input:
     * class loading (about 1.6 MB seen). Above this, even a one-off is a finding: Avro keeps a scratch
     * buffer per thread, grown once by a honoured length prefix (up to AvroLimits' 16 MiB), which a
     * retry alone would hide. The one-time explanation of why a writer schema cannot be read (about
     * 50 MB, then kept per writer schema) is paid in the warm-up below, for every schema the registry has.
     */
    private static final long ONE_TIME_MAX = 8 << 20;

    static {
        // Ids 1 (interactions) and 2 (profiles), the ids the seed inputs carry; resolving readers are
        // built on first use, so warm both here rather than count them against one input.
        REGISTRY.register(WireFormat.valueSubject(INTERACTIONS), CustomerInteraction.getClassSchema());
        REGISTRY.register(WireFormat.valueSubject(PROFILES), CustomerProfile.getClassSchema());
        byte[] interaction = INTERACTION.serializer().serialize(INTERACTIONS, sample());
        byte[] profile = PROFILE.serializer().serialize(PROFILES, profile());
        INTERACTION.deserializer().deserialize(INTERACTIONS, interaction);
        PROFILE.deserializer().deserialize(PROFILES, profile);
        // Each serde naming the other's schema: the explanation is worked out once per writer schema.
        rejected(() -> INTERACTION.deserializer().deserialize(INTERACTIONS, profile));
        rejected(() -> PROFILE.deserializer().deserialize(PROFILES, interaction));
    }

    private static void rejected(Runnable decode) {
        try {
            decode.run();
        } catch (WireFormatException expected) {
            return;
        }
        throw new AssertionError("the warm-up decode should have been rejected");
    }

    @FuzzTest(maxDuration = "3m")
    void interactionBytesDecodeOrAreRejectedWithAReason(byte[] data) {
        decodeOrReject(INTERACTION, INTERACTIONS, data);
    }

    @FuzzTest(maxDuration = "2m")
    void profileBytesDecodeOrAreRejectedWithAReason(byte[] data) {
        decodeOrReject(PROFILE, PROFILES, data);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> void decodeOrReject(ConfluentAvroSerde<T> serde, String topic, byte[] data) {
        long bound = FIXED_ALLOWANCE + PER_INPUT_BYTE * data.length;
        long allocated = allocationOfOneDecode(serde, topic, data);
        // The first decode down a path may load classes, compile code or fill a cache (a registry miss):
        // one-time costs. Only what the same input allocates again is held against it.
        if (allocated > bound && allocated <= ONE_TIME_MAX) allocated = allocationOfOneDecode(serde, topic, data);
        assertTrue(allocated <= bound, "decoding " + data.length + " bytes allocated " + allocated + " bytes");
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> long allocationOfOneDecode(ConfluentAvroSerde<T> serde, String topic,
                                                                                              byte[] data) {
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        try {
            assertNotNull(serde.deserializer().deserialize(topic, data), "non-null bytes decode to a record");
        } catch (WireFormatException e) {
            assertNotNull(e.reason(), "a rejection names its dead-letter reason");
        }
        // Any other exception or error escapes: that is a finding.
        return THREADS.getThreadAllocatedBytes(thread) - before;
    }

    static CustomerInteraction sample() {
        return CustomerInteraction.newBuilder().setEventId("e-1").setCustomerId("c1")
                .setEventTime(java.time.Instant.parse("2026-01-05T00:00:00Z"))
                .setTouchpoint(org.brandequity.avro.Touchpoint.values()[0]).setStage(org.brandequity.avro.LifecycleStage.values()[0])
                .setChannel("web").setRating(4).setSpend(new org.brandequity.avro.Money(12.5, "EUR")).build();
    }

    static CustomerProfile profile() {
        return CustomerProfile.newBuilder().setCustomerId("c1").setSegment("gold").setTier("t1").setValueWeight(1.5)
                .setCustomerSince(null).build();
    }
}
