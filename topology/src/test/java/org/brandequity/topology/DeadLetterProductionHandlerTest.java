package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.processor.TaskId;
import org.brandequity.model.DeadLetterReason;
import org.brandequity.wire.SchemaRegistryException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every outcome of {@link DeadLetterProductionHandler}, one per test (docs/operations.md "Records the producer refuses"). */
class DeadLetterProductionHandlerTest {
    private static final String DLQ = "brand-equity-dead-letters";
    private final Counters counters = new Counters(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    private final DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
    private final byte[] sourceValue = new byte[900_000];

    @BeforeEach
    void configure() {
        Map<String, Object> configs = new HashMap<>();
        configs.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DLQ);
        configs.put(Counters.CONFIG, counters);
        handler.configure(configs);
    }

    @Test
    void anOutputRecordTooLargeForTheBrokerDeadLettersTheSourceRecordAndTheTaskGoesOn() {
        Response r = handler.handleError(context(), record("brand-equity"), new RecordTooLargeException("too large"));
        assertEquals(Result.RESUME, r.result());
        assertEquals(1, r.deadLetterQueueRecords().size());
        ProducerRecord<byte[], byte[]> dead = r.deadLetterQueueRecords().get(0);
        assertEquals(DLQ, dead.topic());
        assertEquals(DeadLetterReason.OUTPUT_REFUSED.name(), header(dead.headers(), DeadLetters.REASON_HEADER));
        assertTrue(header(dead.headers(), DeadLetters.DETAIL_HEADER).contains("brand-equity"), "names the refused topic");
        assertEquals(DeadLetters.MAX_VALUE_BYTES, dead.value().length, "the 900 kB source value is cut down");
        assertEquals(1, counters.deadLetters(DeadLetterReason.OUTPUT_REFUSED));
    }

    @Test
    void aRepartitionRecordTooLargeIsDeadLetteredLikeAnOutput() {
        Response r = handler.handleError(context(), record("brand-equity-equity-cell-deltas-repartition"), new RecordTooLargeException("x"));
        assertEquals(Result.RESUME, r.result());
    }

    @Test
    void aChangelogRecordTooLargeFailsTheTaskSoStateAndChangelogNeverDisagree() {
        Response r = handler.handleError(context(), record("brand-equity-customer-ledger-with-drivers-store-changelog"),
                new RecordTooLargeException("too large"));
        assertEquals(Result.FAIL, r.result());
        assertTrue(r.deadLetterQueueRecords().isEmpty());
        assertEquals(0, counters.deadLetters());
    }

    @Test
    void aRefusedDeadLetterFailsTheTaskRatherThanLooping() {
        assertEquals(Result.FAIL, handler.handleError(context(), record(DLQ), new RecordTooLargeException("x")).result());
    }

    @Test
    void aTimeoutIsRetried() {
        assertEquals(Result.RETRY, handler.handleError(context(), record("brand-equity"), new TimeoutException("slow")).result());
    }

    @Test
    void anAuthorizationErrorFailsTheTask() {
        assertEquals(Result.FAIL, handler.handleError(context(), record("brand-equity"), new TopicAuthorizationException("no")).result());
    }

    @Test
    void aRegistryOutageWhileSerializingFailsTheTask() {
        Exception outage = new org.apache.kafka.common.errors.SerializationException("x",
                new SchemaRegistryException("down", "http://registry", "s", 503, 0, null));
        assertEquals(Result.FAIL, handler.handleSerializationError(context(), record("brand-equity"), outage,
                SerializationExceptionOrigin.VALUE).result());
    }

    @Test
    void anOutputRecordOurSerializerRefusesIsDeadLettered() {
        Response r = handler.handleSerializationError(context(), record("brand-equity"),
                new org.apache.kafka.common.errors.SerializationException("cannot encode"), SerializationExceptionOrigin.VALUE);
        assertEquals(Result.RESUME, r.result());
        assertEquals(DeadLetterReason.OUTPUT_REFUSED.name(), header(r.deadLetterQueueRecords().get(0).headers(), DeadLetters.REASON_HEADER));
    }

    private static ProducerRecord<byte[], byte[]> record(String topic) {
        return new ProducerRecord<>(topic, new byte[] {1}, new byte[] {2});
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            @Override public String topic() { return "customer-interactions"; }
            @Override public int partition() { return 0; }
            @Override public long offset() { return 42; }
            @Override public Headers headers() { return new RecordHeaders(); }
            @Override public String processorNodeId() { return "write-brand-equity"; }
            @Override public TaskId taskId() { return new TaskId(0, 0); }
            @Override public long timestamp() { return 1L; }
            @Override public byte[] sourceRawKey() { return "c1".getBytes(StandardCharsets.UTF_8); }
            @Override public byte[] sourceRawValue() { return sourceValue; }
        };
    }
}
