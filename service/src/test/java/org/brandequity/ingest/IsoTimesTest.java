package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoTimesTest {
    @Test
    void theFastPathAgreesWithTheFormatterOnRandomTimesOffsetsAndFractions() {
        Random random = new Random(7);
        List<String> fractions = List.of("", ".5", ".123", ".123456", ".123456789");
        for (int i = 0; i < 20_000; i++) {
            OffsetDateTime t = OffsetDateTime.of(1990 + random.nextInt(60), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), 0,
                    java.time.ZoneOffset.ofTotalSeconds((random.nextInt(57) - 28) * 1800));
            String text = t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")) + fractions.get(random.nextInt(fractions.size()))
                    + (t.getOffset().getTotalSeconds() == 0 && random.nextBoolean() ? "Z" : t.getOffset().getId().replace("Z", "+00:00"));
            assertEquals(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(), IsoTimes.parseCommon(text), text);
        }
    }

    @Test
    void anythingOutsideTheCommonLayoutIsLeftToTheFormatter() {
        for (String text : List.of("2026-11-28T14:03:12", "2026-11-28 14:03:12Z", "2026-02-30T10:00:00Z", "2026-11-28T14:03:12+0100",
                "2026-11-28T14:03:12.Z", "2026-11-28T14:03:12.1234567891Z", "2026-11-28T24:00:00Z", "2026-11-28T14:03Z", "yesterday")) {
            assertNull(IsoTimes.parseCommon(text), text);
        }
    }
}
