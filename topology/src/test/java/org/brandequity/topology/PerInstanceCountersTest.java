package org.brandequity.topology;

import static org.brandequity.topology.Events.minutes;
import static org.brandequity.topology.Events.rated;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.DeadLetterReason;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The pipeline's counters belong to one instance, so a metrics test with exact counts passes
 * whatever ran before it in the same JVM: two topologies side by side each see only their own
 * events, and (in this fixed order) an instance started after other topologies counted events
 * reads exactly its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerInstanceCountersTest {
    @Test
    @Order(1)
    void twoPipelinesInOneJvmEachCountOnlyTheirOwnEvents() {
        try (PipelineDriver a = new PipelineDriver(); PipelineDriver b = new PipelineDriver()) {
            CustomerInteraction first = rated("c1", minutes(1), 5);
            a.send(first);
            a.send(first); // a re-send: a duplicate
            a.rawInteractions.pipeInput("c1".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
            b.send(rated("c2", minutes(1), 2));

            assertEquals(1, a.counters.scored());
            assertEquals(1, a.counters.duplicates());
            assertEquals(1, a.counters.deadLetters(DeadLetterReason.BAD_MAGIC_BYTE));
            assertEquals(1, b.counters.scored());
            assertEquals(0, b.counters.duplicates(), "b saw no duplicate");
            assertEquals(0, b.counters.deadLetters(), "b saw no bad record");
        }
    }

    @Test
    @Order(2)
    void anInstanceStartedAfterOtherTopologiesRanReadsExactlyItsOwnCounts() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.send(rated("c1", minutes(1), 5), rated("c1", minutes(2), 1), rated("c3", minutes(3), 4));

            assertEquals(3, p.counters.scored());
            assertEquals(3, p.counters.scored(Touchpoint.SURVEY_RESPONSE, LifecycleStage.USAGE));
            assertEquals(3.0, p.counters.registry().get("brandequity_events_scored")
                    .tag("touchpoint", "SURVEY_RESPONSE").tag("stage", "USAGE").counter().count());
            assertEquals(0, p.counters.duplicates());
            assertEquals(0, p.counters.lateRejected());
            assertEquals(0, p.counters.deadLetters());
        }
    }
}
