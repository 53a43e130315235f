package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a CSV export row by row: the mapping's columns by header name, malformed rows reported and skipped. */
class CsvRowsTest {
    @Test
    void aMalformedRowIsReportedWithItsTextAndReadingGoesOnWithTheNextRow(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("export.csv");
        Files.writeString(file, "\uFEFFid,name,score\n1,ann,5\n2,\"bo\"b,4\n3,\"cy, the \"\"third\"\"\",3\n4,dee\n");

        try (CsvRows rows = new CsvRows(file, List.of("score", "id"), ',')) {
            assertTrue(rows.next());
            assertArrayEquals(new String[] {"5", "1"}, rows.values());
            assertEquals(1, rows.row());

            assertTrue(rows.next());
            assertNull(rows.values());
            assertTrue(rows.malformed().startsWith("malformed CSV: "), rows.malformed());
            assertEquals("2,\"bo\"b,4", rows.raw());
            assertEquals(2, rows.row());

            assertTrue(rows.next());
            assertArrayEquals(new String[] {"3", "3"}, rows.values());
            assertEquals("3,\"cy, the \"\"third\"\"\",3", rows.raw());

            assertTrue(rows.next());
            assertEquals("the row has 2 fields, the header 3", rows.malformed());
            assertEquals("4,dee", rows.raw());
            assertEquals(4, rows.row());

            assertFalse(rows.next());
        }
    }
}
