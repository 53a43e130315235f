package org.brandequity.topology;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.brandequity.model.DeadLetterReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rejected events ({@link RejectedInteractionException}) become dead letters with their reason.
 * Any other processing error also becomes a dead letter ({@code PROCESSING_ERROR}, logged at ERROR
 * with the stack trace) rather than stopping the pipeline: the record stays replayable from the
 * dead-letter topic, and the dead-letter alert pages someone.
 */
public class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    private String deadLetterTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterTopic = DeadLetters.topic(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        DeadLetterReason reason;
        if (exception instanceof RejectedInteractionException rejected) {
            reason = rejected.reason();
            log.debug("Dead-lettering {}-{}@{}: {}", context.topic(), context.partition(), context.offset(), exception.getMessage());
        } else {
            reason = DeadLetterReason.PROCESSING_ERROR;
            log.error("Processing failed in {} for {}-{}@{}; record dead-lettered", context.processorNodeId(),
                    context.topic(), context.partition(), context.offset(), exception);
        }
        return Response.resume(DeadLetters.records(deadLetterTopic, context, exception, reason));
    }
}
