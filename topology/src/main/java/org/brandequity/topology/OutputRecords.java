package org.brandequity.topology;

import java.time.Instant;
import java.util.List;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.internal.CustomerWindowAggregate;
import org.brandequity.avro.internal.CustomerWindowRevision;
import org.brandequity.avro.internal.ScoredInteraction;
import org.brandequity.avro.internal.SegmentWindowAggregate;
import org.brandequity.avro.internal.SegmentWindowInput;
import org.brandequity.model.NetExperience;

/**
 * The output records built from the topology's state: a customer window as a
 * {@link CustomerExperienceScore}, a segment window as a {@link SegmentExperienceScore}, and what a
 * scored event or a window-closing step carries to the output topics. The topology writes them and
 * {@link PipelineStores} answers queries with the same records, so an output record and a query
 * answer of the same window are the same record.
 */
final class OutputRecords {
    private OutputRecords() {}

    /** A customer window as its output record; the query API renders open windows with it too. */
    static CustomerExperienceScore customerScore(String customerId, long start, long end, CustomerWindowAggregate w) {
        return customerScore(customerId, start, end, w, 0);
    }

    /** A customer window's {@code revision}-th re-emission (0 = its first record). */
    static CustomerExperienceScore customerScore(String customerId, long start, long end, CustomerWindowAggregate w, int revision) {
        return new CustomerExperienceScore(customerId, w.getSegment(),
                Instant.ofEpochMilli(start), Instant.ofEpochMilli(end),
                w.getEvents(), w.getPositive(), w.getNeutral(), w.getNegative(), w.getWeight(),
                w.getWeight() > 0 ? w.getWeightedSignal() / w.getWeight() : 0.0, revision);
    }

    /** The at-risk alert records a scored event caused, usually none. */
    static List<CustomerAlert> customerAlertsOf(ScoredInteraction e) {
        return e.getAlerts() == null ? List.of() : e.getAlerts();
    }

    /** The customer window (or revised window) an input of the segment windows carries, or nothing. */
    static List<CustomerExperienceScore> customerWindowOf(SegmentWindowInput input) {
        if (input.getEvent() instanceof CustomerExperienceScore window) return List.of(window);
        if (input.getEvent() instanceof CustomerWindowRevision r && r.getCurrent() != null) return List.of(r.getCurrent());
        return List.of();
    }

    /** A segment window as its output record; the query API renders it the same way. */
    static SegmentExperienceScore segmentScore(String segment, SegmentWindowAggregate s) {
        return segmentScore(segment, s, 0);
    }

    /** A segment window as its output record, having taken in {@code revision} customer-window revisions. */
    static SegmentExperienceScore segmentScore(String segment, SegmentWindowAggregate s, int revision) {
        NetExperience nx = NetExperience.of(s.getPositiveCustomers(), s.getNegativeCustomers(), s.getCustomers());
        SegmentExperienceScore score = SegmentExperienceScore.newBuilder()
                .setSegment(segment)
                .setWindowStart(Instant.ofEpochMilli(s.getWindowStart()))
                .setWindowEnd(Instant.ofEpochMilli(s.getWindowEnd()))
                .setCustomers(s.getCustomers())
                .setEvents(s.getEvents())
                .setMeanCustomerScore(s.getCustomers() > 0 ? s.getScoreSum() / s.getCustomers() : 0.0)
                .setPositiveCustomers(s.getPositiveCustomers())
                .setNegativeCustomers(s.getNegativeCustomers())
                .setNetExperience(nx.score())
                .setNetExperienceMarginOfError(nx.marginOfError())
                .setSampleSize(nx.sampleSize())
                .setRevision(revision)
                .build();
        ResponseTallies.fill(score, s.getResponses());
        return score;
    }
}
