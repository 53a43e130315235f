package org.brandequity.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.IntFunction;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.config.IngestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Memory per request: the bytes the request thread allocates (JDK's per-thread allocation counter)
 * to read the largest body {@code ingest.max.body.bytes} allows, of each hostile shape, through
 * {@link JsonBodies} and {@link ContractCodec} as {@link IngestServer} does. Each must stay within
 * a few times the body: a memory bound, asserted on bytes, never on time (the time is printed for
 * the record only). The figures are in docs/ingest.md, "Limits".
 */
class RequestMemoryTest {
    /**
     * Allocation allowed per body byte for a body read to its end: the largest legitimate body
     * (ingest.max.items valid interactions) allocates about 4.4 times its size, most of it the
     * records it keeps; a body of distinct unknown keys about 5.5 (each key's name is read).
     */
    private static final int READ_TO_THE_END = 6;
    /** For a body whose reading stops at a bound: less than its own size. */
    private static final int STOPPED_AT_A_BOUND = 1;
    private static final int MAX_BODY = defaultInt(IngestKeys.MAX_BODY_BYTES_CONFIG);
    private static final int MAX_ITEMS = defaultInt(IngestKeys.MAX_ITEMS_CONFIG);
    private static final long NOW = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final StringBuilder TABLE = new StringBuilder();

    private final JsonBodies bodies = new JsonBodies(MAX_BODY, MAX_ITEMS);
    private final ContractCodec<CustomerInteraction> codec = ContractCodec.interactions(Duration.ofHours(1));

    private static int defaultInt(String key) {
        return (Integer) IngestKeys.SECTION.definition().defaultValues().get(key);
    }

    /** {@code prefix}, then {@code unit(i)} for i = 0, 1, ... while it fits in the body limit with {@code suffix}, then {@code suffix}. */
    private static byte[] fill(String prefix, IntFunction<String> unit, String suffix) {
        StringBuilder sb = new StringBuilder(MAX_BODY).append(prefix);
        for (int i = 0; ; i++) {
            String u = unit.apply(i);
            if (sb.length() + u.length() + suffix.length() > MAX_BODY) break;
            sb.append(u);
        }
        return sb.append(suffix).toString().getBytes(UTF_8);
    }

    /** Reads {@code body} three times (the first ones warm the code up) and checks the last one's allocation. */
    private void assertBounded(String shape, byte[] body, String contentType, int factor) {
        long allocated = 0;
        long nanos = 0;
        String answer = "";
        for (int run = 0; run < 3; run++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            Problems problems = new Problems();
            try {
                JsonBodies.Read<CustomerInteraction> read = bodies.read(new ByteArrayInputStream(body), contentType, codec, NOW, problems);
                answer = problems.isEmpty() ? "202 (" + read.records().size() + " records)" : "400 (" + problems.total() + " problems)";
            } catch (BodyException e) {
                answer = e.status() + " " + e.problems().get(0).code();
            }
            nanos = System.nanoTime() - start;
            allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        }
        TABLE.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.2f | %.1f | %s |%n", shape, body.length, allocated,
                allocated / (double) body.length, nanos / 1e6, answer));
        assertTrue(allocated <= (long) factor * body.length,
                shape + ": " + allocated + " bytes allocated for a body of " + body.length + " (" + answer + ")");
    }

    @AfterAll
    static void print() {
        System.out.println("| shape | body bytes | allocated bytes | per body byte | ms | answer |\n|---|---|---|---|---|---|\n" + TABLE);
    }

    @Test
    void manyEmptyObjectsStopAtMaxItems() {
        assertBounded("many empty objects `[{},{},...]`", fill("[", i -> i == 0 ? "{}" : ",{}", "]"), "application/json", STOPPED_AT_A_BOUND);
    }

    @Test
    void manyEmptyObjectsAsNdjsonStopAtMaxItems() {
        assertBounded("many empty objects, NDJSON", fill("", i -> "{}\n", ""), "application/x-ndjson", STOPPED_AT_A_BOUND);
    }

    @Test
    void oneHugeStringIsRefusedUnread() {
        assertBounded("one huge string", fill("{\"customerId\":\"", i -> "x", "\"}"), "application/json", STOPPED_AT_A_BOUND);
    }

    @Test
    void deepNestingIsRefusedAtTheDepthBound() {
        int depth = MAX_BODY / 2 - 8;
        assertBounded("deep nesting `[[[...]]]`", ("{\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(UTF_8), "application/json", STOPPED_AT_A_BOUND);
    }

    @Test
    void oneObjectWithManyFieldsStopsReadingAtTheFieldsBound() {
        assertBounded("many fields in one object", fill("{", i -> (i == 0 ? "" : ",") + "\"f" + i + "\":0", "}"), "application/json", STOPPED_AT_A_BOUND);
    }

    @Test
    void aLongDigitStringAsEventTimeIsRefusedUnread() {
        assertBounded("long digit string `\"eventTime\":\"123...\"`", fill("{\"eventTime\":\"", i -> "1", "\"}"), "application/json", STOPPED_AT_A_BOUND);
    }

    @Test
    void aLongNumberIsRefusedUnread() {
        assertBounded("long number `\"rating\":123...`", fill("{\"rating\":", i -> "1", "}"), "application/json", STOPPED_AT_A_BOUND);
    }

    @Test
    void manyUnknownKeysAreCountedNotListed() {
        // 60 distinct unknown keys per object (under the fields bound), as many objects as fit.
        assertBounded("many unknown keys", fill("[{", i -> (i == 0 ? "" : i % 60 == 0 ? "},{" : ",") + "\"k" + i + "\":0", "}]"),
                "application/json", READ_TO_THE_END);
    }

    @Test
    void maxItemsValidInteractionsStayWithinTheBound() {
        String one = "{\"eventId\":\"e%d\",\"customerId\":\"c%d\",\"eventTime\":\"2026-12-01T11:00:00Z\",\"touchpoint\":\"DELIVERY\","
                + "\"stage\":\"USAGE\",\"rating\":4,\"sentiment\":0.5}";
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < MAX_ITEMS; i++) sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, one, i, i));
        assertBounded("valid interactions, ingest.max.items of them", sb.append("]").toString().getBytes(UTF_8), "application/json", READ_TO_THE_END);
    }
}
