package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SegmentWindowKeyTest {
    @Test
    void aKeyIsSixteenLowerCaseHexDigitsOfTheStartWithItsSignBitFlippedThenTheSegment() {
        // The layout of stores already on disk: what String.format("%016x", start ^ Long.MIN_VALUE) wrote.
        assertEquals("8000000000000000/high-value", new SegmentWindowKey("high-value", 0).encode());
        assertEquals("7fffffffffffffff/broad-base", new SegmentWindowKey("broad-base", -1).encode());
        assertEquals("8000018bcfe56800/x", new SegmentWindowKey("x", 1_700_000_000_000L).encode());
    }

    @Test
    void keysSortByWindowStartBeforeAndAfterTheEpoch() {
        String before = new SegmentWindowKey("b", -900_000).encode();
        String epoch = new SegmentWindowKey("a", 0).encode();
        String after = new SegmentWindowKey("a", 900_000).encode();
        assertTrue(before.compareTo(epoch) < 0 && epoch.compareTo(after) < 0);
    }

    @Test
    void decodingAnEncodedKeyGivesItBack() {
        SegmentWindowKey k = new SegmentWindowKey("seg/with/slashes", 1_764_979_200_000L);
        assertEquals(k, SegmentWindowKey.decode(k.encode()));
        assertThrows(IllegalArgumentException.class, () -> SegmentWindowKey.decode("not-a-key"));
    }
}
