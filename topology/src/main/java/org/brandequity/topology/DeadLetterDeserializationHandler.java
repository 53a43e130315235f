package org.brandequity.topology;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.brandequity.model.DeadLetterReason;
import org.brandequity.wire.SchemaRegistryException;
import org.brandequity.wire.WireFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records that cannot be decoded go to the dead-letter topic with the reason, and the task resumes
 * (nothing has been processed, so no state has changed).
 * A schema registry that cannot be reached is different: the record is probably fine, so the task
 * fails (and is restarted by the uncaught-exception policy) instead of dead-lettering valid data.
 */
public class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private String deadLetterTopic;
    private Counters counters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterTopic = DeadLetters.topic(configs);
        counters = Counters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        WireFormatException wire = causedBy(exception, WireFormatException.class);
        if (wire == null && causedBy(exception, SchemaRegistryException.class) != null) {
            log.error("Schema registry unavailable while decoding {}-{}@{}; failing the task so the record is retried, not dead-lettered",
                    record.topic(), record.partition(), record.offset(), exception);
            return Response.fail();
        }
        DeadLetterReason reason = wire == null ? DeadLetterReason.UNDECODABLE : DeadLetterReason.valueOf(wire.reason().name());
        // Expected, and possibly thousands a second: counted, summarised by the Pipeline's dead-letter
        // log line, detailed in the dead-letter topic. No log line per record (see log4j2.xml for
        // Kafka Streams' own).
        counters.countDeadLetter(reason);
        log.debug("Dead-lettering undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
        return Response.resume(DeadLetters.records(deadLetterTopic, context, exception, reason));
    }

    static <T extends Throwable> T causedBy(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) return type.cast(c);
        }
        return null;
    }
}
