package org.brandequity.topology;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.brandequity.model.DeadLetterReason;
import org.brandequity.wire.SchemaRegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a record the topology wrote cannot be sent (issue 21). Every outcome:
 *
 * <ul>
 *   <li><b>Retriable</b> ({@link RetriableException}: a timeout, a leader moving, a broker away): retry,
 *       as Kafka Streams' default handler does; an outage that outlasts the retries fails the task.
 *   <li><b>A changelog record refused for good</b> (too large, invalid, not serializable): fail the task.
 *       Dropping it would leave the local store holding a value its changelog never got, and under
 *       exactly-once the transaction would commit that disagreement: a restore, a standby or another
 *       instance taking the task over would silently compute from different state. Failing aborts the
 *       transaction (store, outputs and input offsets go back to the last commit). The inputs that
 *       could grow a changelog record without bound are refused before they reach state (profiles are
 *       validated, strings bounded by FieldLimits, equity's segments capped by {@code equity.max.segments}),
 *       so reaching this is a bug to fix, and the lag and liveness alerts report it.
 *   <li><b>Any other record refused for good</b> (an output topic's record or a repartition record
 *       larger than the topic's {@code max.message.bytes}, one the broker calls invalid, or one our
 *       serializer refuses as a record): resume, and dead-letter the <em>source</em> record as
 *       {@link DeadLetterReason#OUTPUT_REFUSED} with the refusal in the detail. The input was processed
 *       and its state committed; only that one output record is lost (a score, an alert, an equity
 *       update, or a segment-window contribution for a repartition record), which the dead letter and
 *       {@code brandequity_dead_letters_total{reason="OUTPUT_REFUSED"}} report.
 *   <li><b>A schema registry that cannot be reached</b> while serializing: fail the task, as for
 *       decoding: the record is fine and will be sent when the registry is back.
 *   <li><b>Anything else</b> (authorization, a fenced producer, an unknown error): fail the task, as
 *       Kafka Streams' default does.
 * </ul>
 */
public class DeadLetterProductionHandler implements ProductionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
    static final String CHANGELOG_SUFFIX = "-changelog";
    private String deadLetterTopic;
    private Counters counters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterTopic = DeadLetters.topic(configs);
        counters = Counters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) return Response.retry();
        boolean recordRefused = exception instanceof RecordTooLargeException || exception instanceof RecordBatchTooLargeException
                || exception instanceof InvalidRecordException;
        return refused(context, record.topic(), exception, recordRefused);
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        if (DeadLetterDeserializationHandler.causedBy(exception, SchemaRegistryException.class) != null) {
            log.error("Schema registry unavailable while serializing a record for {}: failing the task so it is sent later",
                    record.topic(), exception);
            return Response.fail();
        }
        return refused(context, record.topic(), exception, true);
    }

    private Response refused(ErrorHandlerContext context, String topic, Exception exception, boolean recordRefused) {
        if (!recordRefused || topic.endsWith(CHANGELOG_SUFFIX) || topic.equals(deadLetterTopic)) {
            // A dead letter that is itself refused is not re-dead-lettered: that could loop.
            log.error("Cannot write a record to {} (from {}-{}@{}): failing the task so exactly-once rolls the input back ({})",
                    topic, context.topic(), context.partition(), context.offset(), exception.toString());
            return Response.fail();
        }
        counters.countDeadLetter(DeadLetterReason.OUTPUT_REFUSED);
        log.debug("Output to {} refused for {}-{}@{}: dead-lettering the source record", topic, context.topic(),
                context.partition(), context.offset());
        Exception described = new Exception("Output record to topic " + topic + " refused: " + exception, exception);
        return Response.resume(DeadLetters.records(deadLetterTopic, context, described, DeadLetterReason.OUTPUT_REFUSED));
    }
}
