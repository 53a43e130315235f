package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void theBarShowsThePercentOfBytesReadTheRowsTheRateAndTheTimeLeft() {
        Progress p = new Progress(new PrintStream(OutputStream.nullOutputStream()), Progress.Mode.BAR, 1000, 0);

        // 450 of 1000 bytes in 2 s: 225 bytes/s, 550 left -> 2.4 s -> 0:02
        assertEquals("[=============>                ]  45% 123,456 rows 61,728 rows/s ETA 0:02",
                p.line(123_456, 450, 2_000_000_000L));
    }

    @Test
    void theShiftIsPrintedInDaysHoursAndMinutes() {
        assertEquals("4d 4h 9m", FileImport.approximately(Duration.ofMillis(360_582_342L)));
        assertEquals("3m 12s", FileImport.approximately(Duration.ofSeconds(192)));
    }
}
