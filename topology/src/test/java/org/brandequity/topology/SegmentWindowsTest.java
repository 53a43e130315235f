package org.brandequity.topology;

import static org.brandequity.topology.Events.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.internal.PartitionWatermark;
import org.brandequity.avro.internal.SegmentWindowAggregate;
import org.brandequity.avro.internal.SegmentWindowInput;
import org.brandequity.model.ScoringModel;
import org.junit.jupiter.api.Test;

/**
 * Segment windows are closed on the slowest interactions partition. The test driver has one
 * partition per topic, so these tests write what two upstream partitions' window closers would send
 * straight into the segment-window repartition topic: customer windows and watermarks, partitions 0
 * and 1 progressing unevenly. Windows are 10 minutes, tumbling; {@code segment.window.grace} is 30
 * minutes ({@link PipelineDriver#TEST_CONFIG}).
 */
class SegmentWindowsTest {
    private static final String SEGMENT = "broad-base";
    private static final long RETENTION_MINUTES = 30;

    @Test
    void aCustomerWindowFromAPartitionFarBehindTheOthersLandsInItsSegmentWindow() {
        try (Upstream u = new Upstream()) {
            u.window("a", minutes(0), 0.9);
            u.watermark(0, minutes(10));
            u.window("b", minutes(10), 0.9);
            u.watermark(0, minutes(60 * 24 * 3)); // partition 0 three days ahead
            u.window("c", minutes(0), -0.9);      // partition 1 still on the first window
            u.window("d", minutes(0), 0.1);
            u.watermark(1, minutes(10));

            SegmentExperienceScore first = u.latest(minutes(0));
            assertEquals(3, first.getCustomers(), "a (partition 0) and c, d (partition 1)");
            assertEquals(1, first.getPositiveCustomers());
            assertEquals(1, first.getNegativeCustomers());
            assertEquals((0.9 - 0.9 + 0.1) / 3, first.getMeanCustomerScore(), 1e-12);
        }
    }

    @Test
    void aSegmentWindowIsDeletedOnlyOnceTheSlowestPartitionIsPastItsEndByTheRetention() {
        try (Upstream u = new Upstream()) {
            u.window("a", minutes(0), 0.9);
            u.watermark(0, minutes(60 * 24));
            u.watermark(1, minutes(10 + RETENTION_MINUTES - 1));
            assertNotNull(u.stored(minutes(0)), "partition 1 is 1 minute short of end + retention");

            u.watermark(1, minutes(10 + RETENTION_MINUTES));
            assertNull(u.stored(minutes(0)), "both partitions are past end + retention");
        }
    }

    @Test
    void aPartitionNeverHeardFromHoldsBackTheDeletionOfEveryWindow() {
        try (Upstream u = new Upstream()) {
            u.window("a", minutes(0), 0.9);
            u.watermark(0, minutes(60 * 24 * 30));
            assertNotNull(u.stored(minutes(0)), "partition 1 has not reported: it counts as minus infinity");
        }
    }

    @Test
    void aWatermarkThatMovesBackIsIgnored() {
        try (Upstream u = new Upstream()) {
            u.window("a", minutes(30), 0.9);
            u.watermark(0, minutes(60));
            u.watermark(1, minutes(75));
            assertNotNull(u.stored(minutes(30)), "partition 0 is short of end 40 + retention 30");
            u.watermark(1, minutes(10)); // older than what partition 1 said: ignored
            u.watermark(0, minutes(60 * 24));
            assertNull(u.stored(minutes(30)), "partition 1 stays at minute 75, past end 40 + retention 30");
        }
    }

    @Test
    void theChangedSegmentWindowsAreEmittedOnceEachWhenAWatermarkArrivesInOrderOfWindowStart() {
        try (Upstream u = new Upstream()) {
            u.window("b", minutes(10), 0.9);
            u.window("a", minutes(0), 0.9);
            u.window("c", minutes(10), 0.9);
            assertTrue(u.out().isEmpty(), "nothing before the closing's watermark");
            u.watermark(0, minutes(20));
            List<TestRecord<String, SegmentExperienceScore>> out = u.out();
            assertEquals(List.of(minutes(0), minutes(10)), out.stream().map(r -> r.value().getWindowStart()).toList());
            assertEquals(List.of(1L, 2L), out.stream().map(r -> r.value().getCustomers()).toList());
            assertEquals(List.of(SEGMENT, SEGMENT), out.stream().map(TestRecord::key).toList());
            assertEquals(minutes(10), out.get(1).getRecordTime(), "stamped with the window start");
        }
    }

    @Test
    void aWatermarkFromAPartitionBeyondTopicPartitionsFailsInsteadOfDeletingTooEarly() {
        try (Upstream u = new Upstream()) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> u.watermark(2, minutes(10)));
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalStateException)) cause = cause.getCause();
            assertTrue(String.valueOf(cause.getMessage()).contains("topic.partitions is 2"), String.valueOf(cause));
        }
    }

    @Test
    void aRestartedProcessorDecidesOnTheWatermarksStoredBeforeTheRestart() {
        // The test driver wipes its state directory on close, so the processor is restarted on its own:
        // a new instance over the same stores, as after a crash or a rebalance.
        PipelineDriver p = new PipelineDriver(Map.of("topic.partitions", "2"));
        try {
            MockProcessorContext<String, SegmentExperienceScore> context = new MockProcessorContext<>();
            KeyValueStore<String, SegmentWindowAggregate> windowStore = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(BrandEquityTopology.SEGMENT_WINDOW_STORE), p.serdes.string(), p.serdes.segmentWindow())
                    .withLoggingDisabled().build();
            KeyValueStore<String, Long> watermarkStore = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(BrandEquityTopology.SEGMENT_WATERMARK_STORE), p.serdes.string(),
                    org.apache.kafka.common.serialization.Serdes.Long()).withLoggingDisabled().build();
            KeyValueStore<String, Long> revisionStore = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(BrandEquityTopology.SEGMENT_REVISION_STORE), p.serdes.string(),
                    org.apache.kafka.common.serialization.Serdes.Long()).withLoggingDisabled().build();
            for (KeyValueStore<String, ?> store : List.of(windowStore, watermarkStore, revisionStore)) {
                store.init(context.getStateStoreContext(), store);
                context.addStateStore(store);
            }
            Processor<String, SegmentWindowInput, String, SegmentExperienceScore> before = segmentWindows(p, context);
            before.process(new Record<>(SEGMENT, new SegmentWindowInput(Upstream.customerWindow("a", minutes(0), 0.9), null, null, java.util.List.of(), java.util.List.of()), 0L));
            before.process(new Record<>("1", new SegmentWindowInput(new PartitionWatermark(1, minutes(40).toEpochMilli()), null, null, java.util.List.of(), java.util.List.of()), 0L));

            Processor<String, SegmentWindowInput, String, SegmentExperienceScore> after = segmentWindows(p, context);
            after.process(new Record<>("0", new SegmentWindowInput(new PartitionWatermark(0, minutes(40).toEpochMilli()), null, null, java.util.List.of(), java.util.List.of()), 0L));

            KeyValueStore<String, SegmentWindowAggregate> windows = context.getStateStore(BrandEquityTopology.SEGMENT_WINDOW_STORE);
            assertNull(windows.get(new SegmentWindowKey(SEGMENT, minutes(0).toEpochMilli()).encode()),
                    "partition 1's watermark, stored before the restart, counts: both are past end 10 + retention 30");
        } finally {
            p.close();
        }
    }

    private static Processor<String, SegmentWindowInput, String, SegmentExperienceScore> segmentWindows(
            PipelineDriver p, MockProcessorContext<String, SegmentExperienceScore> context) {
        Processor<String, SegmentWindowInput, String, SegmentExperienceScore> processor = SegmentWindows.supplier(
                new SegmentWindows.Names(BrandEquityTopology.SEGMENT_WINDOW_STORE, BrandEquityTopology.SEGMENT_WATERMARK_STORE,
                        BrandEquityTopology.SEGMENT_REVISION_STORE, "write-segment-scores", "detect-segment-score-drops"), p.serdes,
                new ScoringModel(p.config.model()), p.config.windows(), 2).get();
        processor.init(context);
        return processor;
    }

    /** The topology with {@code topic.partitions=2}, fed through the segment-window repartition topic. */
    private static final class Upstream implements AutoCloseable {
        final PipelineDriver p = new PipelineDriver(Map.of("topic.partitions", "2"));
        final TestInputTopic<String, SegmentWindowInput> inputs = p.driver.createInputTopic(
                p.config.applicationId() + "-" + BrandEquityTopology.SEGMENT_WINDOW_INPUTS + "-repartition",
                p.serdes.string().serializer(), p.serdes.segmentWindowInput().serializer());

        /** A closed 10-minute customer window of one event, in {@link #SEGMENT}. */
        void window(String customer, Instant start, double score) {
            inputs.pipeInput(SEGMENT, new SegmentWindowInput(customerWindow(customer, start, score), null, null, java.util.List.of(), java.util.List.of()), start);
        }

        static CustomerExperienceScore customerWindow(String customer, Instant start, double score) {
            return new CustomerExperienceScore(customer, SEGMENT, start, start.plusSeconds(600),
                    1L, score > 0.5 ? 1L : 0L, Math.abs(score) <= 0.5 ? 1L : 0L, score < -0.5 ? 1L : 0L, 1.0, score, 0);
        }

        void watermark(int partition, Instant closedUntil) {
            inputs.pipeInput(Integer.toString(partition), new SegmentWindowInput(new PartitionWatermark(partition, closedUntil.toEpochMilli()), null, null, java.util.List.of(), java.util.List.of()), closedUntil);
        }

        List<TestRecord<String, SegmentExperienceScore>> out() {
            return p.segmentScores.readRecordsToList();
        }

        /** The latest record of the segment window starting at {@code start}. */
        SegmentExperienceScore latest(Instant start) {
            List<SegmentExperienceScore> of = out().stream().map(TestRecord::value)
                    .filter(s -> s.getWindowStart().equals(start)).toList();
            assertTrue(!of.isEmpty(), "no record of the window at " + start);
            return of.get(of.size() - 1);
        }

        SegmentWindowAggregate stored(Instant start) {
            KeyValueStore<String, SegmentWindowAggregate> store = p.driver.getKeyValueStore(BrandEquityTopology.SEGMENT_WINDOW_STORE);
            return store.get(new SegmentWindowKey(SEGMENT, start.toEpochMilli()).encode());
        }

        @Override
        public void close() {
            p.close();
        }
    }
}
