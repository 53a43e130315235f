package org.brandequity.topology;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.brandequity.avro.CustomerInteraction;

/**
 * Event time is the interaction's {@code eventTime}, not when it reached Kafka. An event without a
 * usable time keeps the record's own timestamp so that Kafka Streams does not silently skip it
 * (it drops negative timestamps): validation then dead-letters it with its reason.
 */
public class InteractionTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof CustomerInteraction e && e.getEventTime() != null) {
            long t = e.getEventTime().toEpochMilli();
            if (t > 0) return t;
        }
        return Math.max(0, record.timestamp());
    }
}
