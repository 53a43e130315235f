package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.FieldLimits;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: no input a producer may write grows a record of the pipeline's past the brokers'
 * default {@code max.message.bytes} (1 MiB), which would fail the task for good (a changelog record
 * cannot be dropped, docs/operations.md). The worst case for the equity records is every segment
 * equity keeps ({@code equity.max.segments} at its default, the configured ones and two more that
 * fold into {@code other}), each with the longest name {@link FieldLimits} allows in 3-byte UTF-8
 * characters, each with experience at every touchpoint × stage pair. Every record sent to every
 * topic (outputs, repartition topics and changelogs alike) must stay under 1 MiB with a margin.
 */
class WorstCaseRecordSizeTest {
    /** The brokers' default max.message.bytes is 1 MiB + 12; leave room for headers and batch overhead. */
    private static final int LIMIT = 1024 * 1024 - 64 * 1024;

    @Test
    void theLargestRecordOfTheWorstCaseSegmentFloodStaysUnderTheBrokersDefaultLimit() {
        Map<String, String> overrides = new HashMap<>();
        String cap = System.getProperty("worstcase.cap");
        if (cap != null) overrides.put("equity.max.segments", cap);
        try (PipelineDriver p = new PipelineDriver(overrides)) {
            int segments = p.config.equityMaxSegments() + 2;
            String configured = "high-value";
            int minute = 1;
            for (int s = -1; s < segments; s++) {
                // Distinct names of the longest length allowed, in UTF-8 bytes.
                String name = s < 0 ? configured : String.format("%05d", s) + "x".repeat(FieldLimits.SEGMENT_MAX_BYTES - 5);
                String customer = "worst-" + s;
                p.profile(Events.profile(customer, name));
                for (Touchpoint tp : Touchpoint.values()) {
                    for (LifecycleStage stage : LifecycleStage.values()) {
                        p.send(Events.interaction(customer, Events.minutes(minute)).setTouchpoint(tp).setStage(stage).setRating(3).build());
                    }
                }
                minute++;
            }
            p.flushEquity();
            int largest = 0;
            String where = "";
            for (String topic : p.driver.producedTopicNames()) {
                TestOutputTopic<byte[], byte[]> out = p.driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
                    int size = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
                    if (size > largest) {
                        largest = size;
                        where = topic;
                    }
                }
            }
            System.out.printf("worst case, %d segments kept: largest record %d bytes on %s%n", segments, largest, where);
            assertTrue(largest < LIMIT, "a record of " + largest + " bytes on " + where + " (limit " + LIMIT + ")");
        }
    }
}
