package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowPolicyTest {
    /** The shipped defaults: 1 h windows every 15 min, 10 min grace, 7 d segment grace and late horizon, 2 h dedup. */
    private static WindowPolicy policy(Duration segmentGrace, Duration lateHorizon) {
        return new WindowPolicy(Duration.ofHours(1), Duration.ofMinutes(15), Duration.ofMinutes(10), segmentGrace,
                lateHorizon, Duration.ofHours(2));
    }

    @Test
    void segmentWindowsAreKeptForTheSegmentGraceWhenItIsTheLonger() {
        assertEquals(Duration.ofDays(8), policy(Duration.ofDays(8), Duration.ofDays(7)).segmentRetention());
    }

    @Test
    void segmentWindowsAreKeptForTheLateHorizonWhenItIsTheLonger() {
        assertEquals(Duration.ofDays(7), policy(Duration.ofHours(1), Duration.ofDays(7)).segmentRetention());
    }

    @Test
    void theLedgerRemembersEventIdsForTheDedupHorizonPlusGrace() {
        assertEquals(Duration.ofMinutes(130).toMillis(), policy(Duration.ofDays(7), Duration.ofDays(7)).ledgerMemoryMs());
    }

    @Test
    void aClosedPaneIsKeptForTheLateHorizonPlusDedupHorizonPlusOneWindowAndOnePane() {
        assertEquals(Duration.ofDays(7).plusHours(2).plusHours(1).plusMinutes(15),
                policy(Duration.ofDays(7), Duration.ofDays(7)).closedPaneRetention());
    }

    @Test
    void theGridHasTheWindowsSizeAdvanceAndGrace() {
        assertEquals(new WindowGrid(3_600_000, 900_000, 600_000), policy(Duration.ofDays(7), Duration.ofDays(7)).grid());
    }

    @Test
    void anAdvanceLongerThanTheWindowIsRefusedNamingTheKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WindowPolicy(Duration.ofMinutes(10),
                Duration.ofMinutes(20), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        assertEquals("Invalid config: window.advance must be <= window.size", e.getMessage());
    }

    @Test
    void aWindowThatIsNotAWholeNumberOfAdvancesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WindowPolicy(Duration.ofMinutes(25),
                Duration.ofMinutes(10), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        assertTrue(e.getMessage().contains("whole multiple of window.advance"), e.getMessage());
    }

    @Test
    void aLateHorizonShorterThanTheGraceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WindowPolicy(Duration.ofMinutes(10),
                Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ZERO, Duration.ofMinutes(1), Duration.ZERO));
        assertTrue(e.getMessage().startsWith("Invalid config: late.horizon must be >= window.grace"), e.getMessage());
    }
}
