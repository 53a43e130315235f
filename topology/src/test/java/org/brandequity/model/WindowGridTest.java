package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowGridTest {
    private static final long MIN = 60_000;
    /** 15-minute windows every 5 minutes, 2 minutes of grace. */
    private final WindowGrid grid = WindowGrid.of(Duration.ofMinutes(15), Duration.ofMinutes(5), Duration.ofMinutes(2));

    @Test
    void aPaneStartsAtTheLatestMultipleOfTheAdvanceAtOrBeforeTheInstant() {
        assertEquals(5 * MIN, grid.paneStart(5 * MIN));
        assertEquals(5 * MIN, grid.paneStart(10 * MIN - 1));
        assertEquals(10 * MIN, grid.paneStart(10 * MIN));
    }

    @Test
    void instantsBeforeTheEpochAlignDownwardsNotTowardsZero() {
        assertEquals(-5 * MIN, grid.paneStart(-1));
        assertEquals(-5 * MIN, grid.paneStart(-5 * MIN));
        assertEquals(-10 * MIN, grid.paneStart(-5 * MIN - 1));
    }

    @Test
    void aWindowContainsItsStartButNotItsEnd() {
        assertTrue(grid.contains(0, 0));
        assertTrue(grid.contains(0, 15 * MIN - 1));
        assertFalse(grid.contains(0, 15 * MIN));
        assertEquals(15 * MIN, grid.windowEnd(0));
        assertEquals(0, grid.startOfWindowEndingAt(15 * MIN));
    }

    @Test
    void everyInstantLiesInSizeOverAdvanceWindowsTheNewestStartingAtItsPane() {
        long t = 37 * MIN + 123;
        List<Long> containing = new ArrayList<>();
        for (long start = -60 * MIN; start <= 60 * MIN; start += grid.advanceMs()) {
            if (grid.contains(start, t)) containing.add(start);
        }
        assertEquals(List.of(25 * MIN, 30 * MIN, 35 * MIN), containing);
        assertEquals(grid.paneStart(t), containing.get(containing.size() - 1));
    }

    @Test
    void aWindowIsClosableOnceStreamTimeIsPastItsEndByTheGrace() {
        // [0, 15m) ends at 15m: closable from stream time 17m on, not at 17m - 1 ms.
        assertEquals(10 * MIN, grid.closableWindowEnd(17 * MIN - 1));
        assertEquals(15 * MIN, grid.closableWindowEnd(17 * MIN));
        assertEquals(15 * MIN, grid.closableWindowEnd(22 * MIN - 1));
    }

    @Test
    void theOldestLivePaneIsTheFirstPaneOfTheWindowEndingOneAdvanceAfterTheClosedOne() {
        // Emitted up to [0, 15m): the next window is [5m, 20m), so panes before 5m are no longer needed.
        assertEquals(5 * MIN, grid.oldestLivePaneStart(15 * MIN));
    }

    @Test
    void tumblingWindowsAreOneAdvanceLongWithoutGrace() {
        WindowGrid tumbling = WindowGrid.tumbling(Duration.ofMinutes(15));
        assertEquals(new WindowGrid(15 * MIN, 15 * MIN, 0), tumbling);
        assertEquals(15 * MIN, tumbling.paneStart(29 * MIN));
        assertEquals(30 * MIN, tumbling.closableWindowEnd(30 * MIN));
    }

    @Test
    void aSizeThatIsNotAWholeMultipleOfTheAdvanceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WindowGrid(15 * MIN, 4 * MIN, 0));
        assertTrue(e.getMessage().contains("whole multiple"), e.getMessage());
    }

    @Test
    void anAdvanceThatIsNotPositiveOrLongerThanTheSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WindowGrid(15 * MIN, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new WindowGrid(15 * MIN, 30 * MIN, 0));
    }

    @Test
    void aNegativeGraceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WindowGrid(15 * MIN, 5 * MIN, -1));
    }
}
