package org.brandequity.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void valueSubjectsAreTheTopicNameWithAValueSuffix() {
        assertEquals("customer-interactions-value", WireFormat.valueSubject("customer-interactions"));
        assertEquals("customer-interactions-value", WireFormat.subject("customer-interactions", false));
    }

    @Test
    void keySubjectsAreTheTopicNameWithAKeySuffix() {
        assertEquals("customer-interactions-key", WireFormat.keySubject("customer-interactions"));
        assertEquals("customer-interactions-key", WireFormat.subject("customer-interactions", true));
    }

    @Test
    void theHeaderIsMagicByteZeroThenTheIdBigEndian() {
        assertArrayEquals(new byte[] {0, 0x7F, (byte) 0xFE, 0x01, (byte) 0x80}, WireFormat.header(0x7FFE0180));
    }

    @Test
    void theIdIsReadBackFromAHeaderInsideALargerBuffer() {
        byte[] buffer = new byte[12];
        WireFormat.writeHeader(0x00A1B2C3, buffer, 3);

        assertEquals(0x00A1B2C3, WireFormat.schemaId(buffer, 3, 9));
    }

    @Test
    void aNonZeroFirstByteIsABadMagicByteEvenInAShortPayload() {
        WireFormatException failure =
                assertThrows(WireFormatException.class, () -> WireFormat.schemaId(new byte[] {'{', '}'}));

        assertEquals(WireFormatException.Reason.BAD_MAGIC_BYTE, failure.reason());
    }
}
