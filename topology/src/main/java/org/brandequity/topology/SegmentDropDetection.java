package org.brandequity.topology;

import java.util.Map;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.brandequity.avro.AlertScope;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.internal.DropDetectorState;
import org.brandequity.model.DropDetector;

/**
 * Runs the drop detector on each segment's net experience, one window at a time.
 *
 * <p>Each window arrives here once, from {@link SegmentWindows}, when it is complete on time: the
 * slowest interactions partition's watermark has passed its end, so every partition's on-time
 * customer windows are in it. Revisions (late events) reach {@code segment-experience-scores} only:
 * they never fire or resolve an alert. A window not newer than the last judged one is ignored.
 *
 * <p>Value: net experience NX in points, standard error = its 95% margin of error / 1.96, n = the
 * customers. Contributors: NX = 100·p - 100·d splits exactly into {@code customers:positive}
 * (+100·p) and {@code customers:negative} (-100·d), so an alert says whether the drop comes from
 * fewer positive customers or from more negative ones. Nothing finer is attributed: the segment
 * record has no touchpoint breakdown, and the brand's touchpoint sums are not split by segment.
 */
final class SegmentDropDetection extends ContextualProcessor<String, SegmentExperienceScore, String, ScoreDropAlert> {
    static final String POSITIVE = "customers:positive";
    static final String NEGATIVE = "customers:negative";

    private final String storeName;
    private final DropDetector detector;
    private KeyValueStore<String, DropDetectorState> store;

    SegmentDropDetection(String storeName, DropDetector detector) {
        this.storeName = storeName;
        this.detector = detector;
    }

    @Override
    public void init(ProcessorContext<String, ScoreDropAlert> context) {
        super.init(context);
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, SegmentExperienceScore> r) {
        SegmentExperienceScore score = r.value();
        String segment = score.getSegment();
        DropDetector.State state = ScoreDropAlerts.state(store.get(segment));
        DropDetector.Observation window = observation(score);
        if (window.windowStart() <= state.lastWindowStart()) return;
        DropDetector.Step step = detector.evaluate(state, window);
        step.alert().ifPresent(a -> context().forward(new Record<>(ScoreDropAlerts.key(AlertScope.SEGMENT, segment),
                ScoreDropAlerts.render(AlertScope.SEGMENT, segment, a, context().currentSystemTimeMs()), a.windowEnd())));
        // No window waits here any more (before, a window waited for the next one to be taken as final).
        store.put(segment, ScoreDropAlerts.stored(step.state(), null));
    }

    static DropDetector.Observation observation(SegmentExperienceScore s) {
        long n = s.getSampleSize();
        double positive = n > 0 ? 100.0 * s.getPositiveCustomers() / n : 0;
        double negative = n > 0 ? -100.0 * s.getNegativeCustomers() / n : 0;
        return new DropDetector.Observation(s.getWindowStart().toEpochMilli(), s.getWindowEnd().toEpochMilli(),
                s.getNetExperience(), s.getNetExperienceMarginOfError() / 1.96, n, Map.of(POSITIVE, positive, NEGATIVE, negative));
    }
}
