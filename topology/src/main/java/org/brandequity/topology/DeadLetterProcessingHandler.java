package org.brandequity.topology;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rejected events ({@link RejectedInteractionException}) become dead letters with their reason and
 * the task carries on: the processors throw it before they change any state, so nothing of the
 * event is kept.
 *
 * <p>Any other exception fails the task. It may come after a processor wrote a store (the customer
 * ledger, say) and before the next one ran (the equity pre-aggregation): resuming would commit that
 * half-applied event. Failing instead makes exactly-once abort the transaction, so the stores,
 * outputs and input offsets go back to the last commit; the stream thread dies, the
 * {@code Pipeline}'s uncaught-exception policy shuts the instance down, and its supervisor restarts
 * it to process the event again from the start. A fault that persists keeps the instance down,
 * which the liveness and lag alerts report.
 */
public class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    private String deadLetterTopic;
    private Counters counters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterTopic = DeadLetters.topic(configs);
        counters = Counters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof RejectedInteractionException rejected) {
            // Expected, and possibly thousands a second: counted, summarised by the Pipeline's
            // dead-letter log line, detailed in the dead-letter topic. No log line per record.
            counters.countDeadLetter(rejected.reason());
            log.debug("Dead-lettering {}-{}@{}: {}", context.topic(), context.partition(), context.offset(), exception.getMessage());
            return Response.resume(DeadLetters.records(deadLetterTopic, context, exception, rejected.reason()));
        }
        // The stack trace is logged once, with the failed stream thread.
        log.error("Processing failed in {} for {}-{}@{}: failing the task so that exactly-once rolls the record back ({})",
                context.processorNodeId(), context.topic(), context.partition(), context.offset(), exception.toString());
        return Response.fail();
    }
}
