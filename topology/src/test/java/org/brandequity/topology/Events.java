package org.brandequity.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.Touchpoint;

/** Test data builders with readable defaults. */
final class Events {
    static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    private static final AtomicLong IDS = new AtomicLong();

    private Events() {}

    static Instant at(Duration sinceT0) {
        return T0.plus(sinceT0);
    }

    static Instant minutes(long m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    /** A survey response with no signal yet, from {@code customer} at {@code time}. */
    static CustomerInteraction.Builder interaction(String customer, Instant time) {
        return CustomerInteraction.newBuilder()
                .setEventId("e-" + IDS.incrementAndGet())
                .setCustomerId(customer)
                .setEventTime(time)
                .setTouchpoint(Touchpoint.SURVEY_RESPONSE)
                .setStage(LifecycleStage.USAGE)
                .setChannel("web");
    }

    static CustomerInteraction rated(String customer, Instant time, int rating) {
        return interaction(customer, time).setRating(rating).build();
    }

    static CustomerInteraction outcome(String customer, Instant time, Touchpoint tp, LifecycleStage stage, Outcome o) {
        return interaction(customer, time).setTouchpoint(tp).setStage(stage).setOutcome(o).build();
    }

    static CustomerProfile profile(String customer, String segment) {
        return profile(customer, segment, 1.0);
    }

    static CustomerProfile profile(String customer, String segment, double valueWeight) {
        return CustomerProfile.newBuilder().setCustomerId(customer).setSegment(segment).setTier(null)
                .setValueWeight(valueWeight).setCustomerSince(null).build();
    }
}
