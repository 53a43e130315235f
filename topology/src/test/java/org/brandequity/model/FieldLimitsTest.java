package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FieldLimitsTest {

    @Test
    void anIdOfExactlyTheLimitInUtf8BytesPasses() {
        assertNull(FieldLimits.checkBytes("customerId", "a".repeat(FieldLimits.ID_MAX_BYTES), FieldLimits.ID_MAX_BYTES));
        assertNull(FieldLimits.checkBytes("customerId", "é".repeat(FieldLimits.ID_MAX_BYTES / 2), FieldLimits.ID_MAX_BYTES));
    }

    @Test
    void anIdOneUtf8ByteOverTheLimitIsTooLong() {
        Violation v = FieldLimits.checkBytes("customerId", "é".repeat(FieldLimits.ID_MAX_BYTES / 2) + "a", FieldLimits.ID_MAX_BYTES);
        assertEquals(DeadLetterReason.TOO_LONG, v.reason());
        assertEquals("customerId", v.field());
    }

    @Test
    void aSurrogatePairCountsAsFourUtf8Bytes() {
        String emoji = "\uD83D\uDE00"; // U+1F600, 4 bytes in UTF-8
        assertNull(FieldLimits.checkBytes("eventId", emoji.repeat(64), 256));
        assertEquals(DeadLetterReason.TOO_LONG, FieldLimits.checkBytes("eventId", emoji.repeat(64) + "a", 256).reason());
    }

    @Test
    void aNameOverItsCharacterLimitIsTooLongAndTheDetailCarriesNoValue() {
        String segment = "x".repeat(600_000);
        Violation v = FieldLimits.checkBytes("segment", segment, FieldLimits.SEGMENT_MAX_BYTES);
        assertEquals(DeadLetterReason.TOO_LONG, v.reason());
        assertTrue(v.detail().length() < 100, v.detail());
    }

    @Test
    void anAbsentValueHasNoBound() {
        assertNull(FieldLimits.checkChars("tier", null, FieldLimits.TIER_MAX_CHARS));
        assertNull(FieldLimits.checkBytes("eventId", null, FieldLimits.ID_MAX_BYTES));
    }
}
