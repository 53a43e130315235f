package org.brandequity.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.brandequity.model.DeadLetterReason;

/**
 * Builds dead-letter records: the source record's raw key and value, Kafka Streams' standard error
 * headers ({@code __streams.errors.topic/partition/offset/exception/message/stacktrace}) and ours:
 * {@value #REASON_HEADER} (a {@link DeadLetterReason} name) and {@value #DETAIL_HEADER}.
 */
public final class DeadLetters {
    public static final String REASON_HEADER = "brandequity.dlq.reason";
    public static final String DETAIL_HEADER = "brandequity.dlq.detail";

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
        ProducerRecord<byte[], byte[]> record = ExceptionHandlerUtils.buildDeadLetterQueueRecord(
                topic, context.sourceRawKey(), context.sourceRawValue(), context, exception);
        record.headers().remove(REASON_HEADER).remove(DETAIL_HEADER);
        record.headers().add(REASON_HEADER, reason.name().getBytes(StandardCharsets.UTF_8));
        String detail = exception.getMessage() == null ? exception.getClass().getName() : exception.getMessage();
        record.headers().add(DETAIL_HEADER, detail.getBytes(StandardCharsets.UTF_8));
        return List.of(record);
    }
}
