package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CustomerStockTest {
    private static final long DAY = 86_400_000L;
    private static final Decay DECAY = new Decay(Duration.ofDays(30));

    @Test
    void anEventHalfALifeOlderCountsHalf() {
        CustomerStock s = CustomerStock.EMPTY.plus(0, -1, 1.2, DECAY).plus(30 * DAY, 1, 1.0, DECAY);
        assertEquals(30 * DAY, s.asOf());
        assertEquals(-0.6 + 1.0, s.signal(), 1e-12);
        assertEquals(0.6 + 1.0, s.volume(), 1e-12);
        assertEquals(2, s.events());
    }

    @Test
    void aLateEventIsDecayedToTheStocksAsOfSoOrderDoesNotMatter() {
        CustomerStock inOrder = CustomerStock.EMPTY.plus(0, -1, 1.2, DECAY).plus(30 * DAY, 1, 1.0, DECAY);
        CustomerStock late = CustomerStock.EMPTY.plus(30 * DAY, 1, 1.0, DECAY).plus(0, -1, 1.2, DECAY);
        assertEquals(inOrder.asOf(), late.asOf());
        assertEquals(inOrder.signal(), late.signal(), 1e-12);
        assertEquals(inOrder.volume(), late.volume(), 1e-12);
    }

    @Test
    void theIndexIsDampedByTheCustomerPrior() {
        // One failed delivery: 100 * -1.2 / (1.2 + 2) = -37.5
        assertEquals(-37.5, CustomerStock.EMPTY.plus(0, -1, 1.2, DECAY).index(2.0), 1e-12);
    }

    @Test
    void anEmptyStockHasIndexZero() {
        assertEquals(0.0, CustomerStock.EMPTY.index(0.0));
    }

    @Test
    void aStockIsNegligibleOnceItsDecayedVolumeIsBelowEpsilon() {
        CustomerStock s = CustomerStock.EMPTY.plus(0, -1, 1.0, DECAY);
        // 2^-10 = 0.00098 < 0.001 after ten half-lives; 2^-9 = 0.00195 is not.
        assertFalse(s.negligibleAt(270 * DAY, DECAY));
        assertTrue(s.negligibleAt(300 * DAY, DECAY));
    }
}
