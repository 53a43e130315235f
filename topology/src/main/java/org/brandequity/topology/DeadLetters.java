package org.brandequity.topology;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.brandequity.model.DeadLetterReason;

/**
 * Builds dead-letter records: the source record's raw key and value, Kafka Streams' standard error
 * headers ({@code __streams.errors.topic/partition/offset/exception/message/stacktrace}) and ours:
 * {@value #REASON_HEADER} (a {@link DeadLetterReason} name) and {@value #DETAIL_HEADER}.
 *
 * <p>A dead letter is always small (issue 21): one that copied a near-1 MiB value and its headers
 * went past the producer's {@code max.request.size} and failed the task it was meant to save. A key
 * over {@value #MAX_KEY_BYTES} bytes or a value over {@value #MAX_VALUE_BYTES} bytes keeps only its
 * prefix, and {@value #ORIGINAL_KEY_BYTES_HEADER}/{@value #ORIGINAL_KEY_SHA256_HEADER} (or the value's
 * pair) give its original size and the SHA-256 of the whole (lowercase hex), so it can be matched to
 * the source record. Each header value keeps at most {@value #MAX_HEADER_BYTES} bytes, and the source
 * record's own headers are copied only while they fit in {@value #MAX_HEADERS_BYTES} bytes in all
 * ({@value #DROPPED_HEADERS_HEADER} counts the rest). So a dead letter stays under
 * {@value #MAX_RECORD_BYTES} bytes, well below the producer's default 1 MiB.
 */
public final class DeadLetters {
    public static final String REASON_HEADER = "brandequity.dlq.reason";
    public static final String DETAIL_HEADER = "brandequity.dlq.detail";
    public static final String ORIGINAL_KEY_BYTES_HEADER = "brandequity.dlq.original.key.bytes";
    public static final String ORIGINAL_KEY_SHA256_HEADER = "brandequity.dlq.original.key.sha256";
    public static final String ORIGINAL_VALUE_BYTES_HEADER = "brandequity.dlq.original.value.bytes";
    public static final String ORIGINAL_VALUE_SHA256_HEADER = "brandequity.dlq.original.value.sha256";
    public static final String DROPPED_HEADERS_HEADER = "brandequity.dlq.headers.dropped";

    /** A key longer than any legitimate one (ids are at most 256 UTF-8 bytes) keeps this prefix. */
    public static final int MAX_KEY_BYTES = 1024;
    /** Every legitimate input record is far smaller (WireFormat.MAX_INPUT_VALUE_BYTES is 64 KiB). */
    public static final int MAX_VALUE_BYTES = 64 * 1024;
    /** Per header value: room for a stack trace's first frames, a message, a detail. */
    public static final int MAX_HEADER_BYTES = 4 * 1024;
    /** All header keys and values together. */
    public static final int MAX_HEADERS_BYTES = 32 * 1024;
    /** Key + value + headers: the most a dead letter carries, a tenth of the producer's default limit. */
    public static final int MAX_RECORD_BYTES = MAX_KEY_BYTES + MAX_VALUE_BYTES + MAX_HEADERS_BYTES;

    private DeadLetters() {}

    /** The dead-letter topic Kafka Streams is configured with ({@code errors.dead.letter.queue.topic.name}), or null. */
    static String topic(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        return topic == null ? null : topic.toString();
    }

    static List<ProducerRecord<byte[], byte[]>> records(String topic, ErrorHandlerContext context,
                                                        Exception exception, DeadLetterReason reason) {
        if (topic == null) return List.of();
        // The same record layout as Kafka Streams' own handlers, so standard DLQ tooling reads ours.
        ProducerRecord<byte[], byte[]> full = ExceptionHandlerUtils.buildDeadLetterQueueRecord(
                topic, context.sourceRawKey(), context.sourceRawValue(), context, exception);
        full.headers().remove(REASON_HEADER).remove(DETAIL_HEADER);
        String detail = exception.getMessage() == null ? exception.getClass().getName() : exception.getMessage();
        return List.of(bounded(full, reason, detail));
    }

    /**
     * {@code full} cut down to at most {@link #MAX_RECORD_BYTES}: ours and Kafka Streams' headers first
     * (they say why), then the source's headers while they fit.
     */
    static ProducerRecord<byte[], byte[]> bounded(ProducerRecord<byte[], byte[]> full, DeadLetterReason reason, String detail) {
        Headers headers = new RecordHeaders();
        Budget budget = new Budget();
        budget.add(headers, REASON_HEADER, reason.name().getBytes(StandardCharsets.UTF_8));
        budget.add(headers, DETAIL_HEADER, detail.getBytes(StandardCharsets.UTF_8));
        byte[] key = cut(full.key(), MAX_KEY_BYTES, ORIGINAL_KEY_BYTES_HEADER, ORIGINAL_KEY_SHA256_HEADER, headers, budget);
        byte[] value = cut(full.value(), MAX_VALUE_BYTES, ORIGINAL_VALUE_BYTES_HEADER, ORIGINAL_VALUE_SHA256_HEADER, headers, budget);
        int dropped = 0;
        // Kafka Streams' __streams.errors.* headers were added after the source's: take them first.
        for (Header h : full.headers()) {
            if (h.key().startsWith("__streams.errors.") && !budget.add(headers, h.key(), h.value())) dropped++;
        }
        for (Header h : full.headers()) {
            if (!h.key().startsWith("__streams.errors.") && !budget.add(headers, h.key(), h.value())) dropped++;
        }
        if (dropped > 0) headers.add(DROPPED_HEADERS_HEADER, Integer.toString(dropped).getBytes(StandardCharsets.UTF_8));
        // Profiles are read with timestamp 0 (BrandEquityTopology): a dead letter stamped 1970 would be
        // deleted by the topic's retention at once, so it takes the wall clock instead.
        Long timestamp = full.timestamp() == null || full.timestamp() <= 0 ? Long.valueOf(System.currentTimeMillis()) : full.timestamp();
        return new ProducerRecord<>(full.topic(), full.partition(), timestamp, key, value, headers);
    }

    private static byte[] cut(byte[] bytes, int max, String sizeHeader, String digestHeader, Headers headers, Budget budget) {
        if (bytes == null || bytes.length <= max) return bytes;
        budget.add(headers, sizeHeader, Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
        budget.add(headers, digestHeader, HexFormat.of().formatHex(sha256(bytes)).getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(bytes, max);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /** The header bytes spent so far; each value cut to {@link #MAX_HEADER_BYTES}, the sum kept under {@link #MAX_HEADERS_BYTES}. */
    private static final class Budget {
        private int used;

        boolean add(Headers headers, String key, byte[] value) {
            byte[] v = value == null || value.length <= MAX_HEADER_BYTES ? value : Arrays.copyOf(value, MAX_HEADER_BYTES);
            int size = key.length() * 3 + (v == null ? 0 : v.length);
            if (used + size > MAX_HEADERS_BYTES) return false;
            used += size;
            headers.add(key, v);
            return true;
        }
    }
}
