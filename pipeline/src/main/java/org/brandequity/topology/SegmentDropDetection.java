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
 * <p>A segment window is updated each time one more customer window lands, so a window is judged
 * only once a later window of the same segment appears: its last update before then is taken as
 * final. Updates of a window that has already been judged (stragglers from a slower partition) are
 * still written to {@code segment-experience-scores} but do not reopen the judgement.
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
        DropDetectorState stored = store.get(segment);
        DropDetector.State state = ScoreDropAlerts.state(stored);
        DropDetector.Observation pending = stored == null ? null : ScoreDropAlerts.observation(stored.getPending());
        DropDetector.Observation update = observation(score);

        if (pending != null && update.windowStart() > pending.windowStart()) {
            DropDetector.Step step = detector.evaluate(state, pending);
            state = step.state();
            step.alert().ifPresent(a -> context().forward(new Record<>(ScoreDropAlerts.key(AlertScope.SEGMENT, segment),
                    ScoreDropAlerts.render(AlertScope.SEGMENT, segment, a, context().currentSystemTimeMs()), a.windowEnd())));
            pending = update;
        } else if (pending == null ? update.windowStart() > state.lastWindowStart() : update.windowStart() == pending.windowStart()) {
            // The open window grew by one customer (or a first window appeared): keep its newest figures.
            pending = update;
        }
        store.put(segment, ScoreDropAlerts.stored(state, pending));
    }

    static DropDetector.Observation observation(SegmentExperienceScore s) {
        long n = s.getSampleSize();
        double positive = n > 0 ? 100.0 * s.getPositiveCustomers() / n : 0;
        double negative = n > 0 ? -100.0 * s.getNegativeCustomers() / n : 0;
        return new DropDetector.Observation(s.getWindowStart().toEpochMilli(), s.getWindowEnd().toEpochMilli(),
                s.getNetExperience(), s.getNetExperienceMarginOfError() / 1.96, n, Map.of(POSITIVE, positive, NEGATIVE, negative));
    }
}
