package org.brandequity.topology;

import static org.brandequity.topology.Events.minutes;
import static org.brandequity.topology.Events.rated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.model.DeadLetterReason;
import org.brandequity.model.WindowGrid;
import org.junit.jupiter.api.Test;

class WindowingTest {

    @Test
    void anEventAtTheWindowEndBelongsToTheNextWindow() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.send(rated("c1", minutes(0), 5), rated("c1", minutes(10), 1));
            p.advanceStreamTime(minutes(30));

            List<CustomerExperienceScore> scores = p.customerScores.readValuesToList();
            assertEquals(2, scores.size());
            assertEquals(minutes(0), scores.get(0).getWindowStart());
            assertEquals(minutes(10), scores.get(0).getWindowEnd());
            assertEquals(1, scores.get(0).getEvents());
            assertEquals(1.0, scores.get(0).getScore(), 1e-12);
            assertEquals(minutes(10), scores.get(1).getWindowStart());
            assertEquals(-1.0, scores.get(1).getScore(), 1e-12);
        }
    }

    @Test
    void aWindowIsEmittedOnlyOnceStreamTimePassesItsEndPlusGrace() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.send(rated("c1", minutes(1), 5));
            p.advanceStreamTime(minutes(11)); // end 10 + grace 2 not yet reached
            assertTrue(p.customerScores.isEmpty(), "window closed before end + grace");

            p.advanceStreamTime(minutes(12)); // 10 + 2: closes [0, 10)
            CustomerExperienceScore score = p.customerScores.readValue();
            assertEquals(minutes(0), score.getWindowStart());
            assertTrue(p.customerScores.isEmpty(), "a closed window is emitted once");
        }
    }

    @Test
    void hoppingWindowsCountAnEventInEveryWindowThatCoversIt() {
        try (PipelineDriver p = new PipelineDriver(Map.of("window.advance", "5m"))) {
            p.send(rated("c1", minutes(7), 5));
            p.advanceStreamTime(minutes(30));

            List<CustomerExperienceScore> scores = p.customerScores.readValuesToList().stream()
                    .filter(s -> s.getCustomerId().equals("c1")).toList();
            assertEquals(List.of(minutes(0), minutes(5)), scores.stream().map(CustomerExperienceScore::getWindowStart).toList());
            scores.forEach(s -> assertEquals(1, s.getEvents()));
        }
    }

    @Test
    void aLateEventInsideTheGracePeriodIsCounted() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.send(rated("c1", minutes(9), 5));
            p.advanceStreamTime(minutes(10).plusSeconds(30));
            p.send(rated("c1", minutes(8).plusSeconds(45), 1)); // 1m45s behind stream time, grace is 2m
            p.advanceStreamTime(minutes(13));

            CustomerExperienceScore score = p.customerScores.readValue();
            assertEquals(2, score.getEvents());
            assertTrue(p.deadLetters.isEmpty());
        }
    }

    @Test
    void anEventLaterThanTheGracePeriodIsDeadLetteredNotDropped() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.send(rated("c1", minutes(5), 5));
            p.advanceStreamTime(minutes(20));
            p.send(rated("c1", minutes(6), 1)); // 14 minutes behind stream time, grace is 2
            p.advanceStreamTime(minutes(25));

            CustomerExperienceScore score = p.customerScores.readValue();
            assertEquals(1, score.getEvents());
            assertEquals(1.0, score.getScore(), 1e-12);
            var dead = p.deadLetters.readRecord();
            assertEquals(DeadLetterReason.TOO_LATE.name(), PipelineDriver.header(dead, DeadLetters.REASON_HEADER));
        }
    }

    @Test
    void aDuplicateEventIdCountsOnce() {
        try (PipelineDriver p = new PipelineDriver()) {
            var first = rated("c1", minutes(1), 5);
            p.send(first, first, rated("c1", minutes(2), 3), first);
            p.advanceStreamTime(minutes(12));

            CustomerExperienceScore score = p.customerScores.readValue();
            assertEquals(2, score.getEvents());
            assertEquals(0.5, score.getScore(), 1e-12);
            assertTrue(p.deadLetters.isEmpty(), "duplicates are not errors");
        }
    }

    @Test
    void eventIdsAreDeduplicatedPerCustomer() {
        try (PipelineDriver p = new PipelineDriver()) {
            var first = rated("c1", minutes(1), 5);
            p.send(first, org.brandequity.avro.CustomerInteraction.newBuilder(first).setCustomerId("c2").build());

            assertEquals(2, p.latestEquity().getEvents(), "the same id under another customer is another event");
        }
    }

    @Test
    void anIdleCustomersLedgerIsDroppedOnceItsWindowsAreEmittedAndItsIdsForgotten() {
        try (PipelineDriver p = new PipelineDriver()) {
            p.profile(Events.profile("kept", "high-value"));
            p.send(rated("kept", minutes(1), 5), rated("gone", minutes(1), 5));
            KeyValueStore<String, CustomerLedger> ledgers = p.driver.getKeyValueStore(BrandEquityTopology.CUSTOMER_LEDGER_STORE);
            assertEquals(1, ledgers.get("gone").getSeen().size());

            // Past the last window's close (10m + 2m grace) and the dedup memory (1h horizon + 2m grace).
            p.advanceStreamTime(minutes(64));
            p.advanceStreamTime(minutes(80));
            CustomerLedger fading = ledgers.get("gone");
            assertTrue(fading.getSeen().isEmpty() && fading.getPanes().isEmpty() && fading.getEquity() != null,
                    "ids and panes forgotten; customer equity (docs/model.md §8) stays until it fades");
            // Customer equity fades below its pruning epsilon after log2(1.2 / 0.001) = 10.2 half-lives (1h).
            p.advanceStreamTime(minutes(13 * 60));

            assertEquals(null, ledgers.get("gone"), "nothing left to remember about a customer without a profile");
            CustomerLedger kept = ledgers.get("kept");
            assertEquals("high-value", kept.getSegment(), "the profile stays");
            assertTrue(kept.getSeen().isEmpty() && kept.getPanes().isEmpty(), kept.toString());
            assertEquals(2, p.customerScores.readValuesToList().stream().filter(s -> !s.getCustomerId().equals("clock")).count());
        }
    }

    @Test
    void aCopyAtTheDedupHorizonArrivingAtTheGraceBoundaryIsStillADuplicate() {
        try (PipelineDriver p = new PipelineDriver()) {
            var first = rated("c1", minutes(120), 5);
            p.send(first, rated("c2", minutes(182), 3));
            // Same id, event time exactly one horizon (1h) later, exactly one grace (2m) behind stream time.
            p.send(org.brandequity.avro.CustomerInteraction.newBuilder(first).setEventTime(minutes(180)).build());

            assertEquals(2, p.latestEquity().getEvents());
            assertTrue(p.deadLetters.isEmpty());
        }
    }

    @Test
    void aJumpInStreamTimeClosesEveryWindowInBetweenExactlyOnce() {
        try (PipelineDriver p = new PipelineDriver(Map.of("window.advance", "5m"))) {
            p.send(rated("c1", minutes(7), 5), rated("c1", minutes(8), 1));
            p.advanceStreamTime(minutes(300)); // far past every retention: the panes must still be read
            p.advanceStreamTime(minutes(400));

            List<CustomerExperienceScore> scores = p.customerScores.readValuesToList().stream()
                    .filter(s -> s.getCustomerId().equals("c1")).toList();
            assertEquals(List.of(minutes(0), minutes(5)), scores.stream().map(CustomerExperienceScore::getWindowStart).toList());
            scores.forEach(s -> assertEquals(2, s.getEvents()));
        }
    }

    @Test
    void openAndRecentlyClosedWindowsAreAssembledFromTheCustomersPanesForQueries() {
        try (PipelineDriver p = new PipelineDriver(Map.of("window.advance", "5m"))) {
            p.send(rated("c1", minutes(3), 5), rated("c1", minutes(7), 1), rated("c2", minutes(8), 3));
            KeyValueStore<String, CustomerLedger> ledgers = p.driver.getKeyValueStore(BrandEquityTopology.CUSTOMER_LEDGER_STORE);

            List<CustomerExperienceScore> windows = CustomerLedgers.windowsOf(ledgers.get("c1"), "c1", minutes(8).toEpochMilli(),
                    p.config.windows().grid());

            assertEquals(List.of(minutes(5), minutes(0), minutes(-5)), windows.stream().map(CustomerExperienceScore::getWindowStart).toList());
            assertEquals(List.of(1L, 2L, 1L), windows.stream().map(CustomerExperienceScore::getEvents).toList());
            assertEquals(0.0, windows.get(1).getScore(), 1e-12); // (+1 - 1) / 2
            // Stream time 8m is past [-5m, 5m)'s end + grace: closed and emitted, and still answered.
            assertEquals(List.of(minutes(-5)), p.customerScores.readValuesToList().stream()
                    .map(CustomerExperienceScore::getWindowStart).toList());
        }
    }
}
