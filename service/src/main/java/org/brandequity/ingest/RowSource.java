package org.brandequity.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The rows of one file, streamed: a row's values for the mapping's columns, or why the row could
 * not be read at all (a malformed CSV row, a line that is not JSON). Never holds the file in memory.
 */
public interface RowSource extends Closeable {
    /** The file formats {@code import} reads. */
    enum Format {
        CSV, NDJSON;

        /** By extension: .csv; .ndjson or .jsonl. */
        static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv")) return CSV;
            if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) return NDJSON;
            throw new IllegalArgumentException(file + ": cannot tell the format from the extension (.csv, .ndjson, .jsonl); pass --format");
        }
    }

    /**
     * Advances to the next row.
     *
     * @return false at the end of the file
     */
    boolean next() throws IOException;

    /** The current row's number: the 1-based data row (CSV: the header is not counted; NDJSON: the line). */
    long row();

    /** The current row's values, in the order of the mapping's columns; null when the row was unreadable. */
    String[] values();

    /** Why the current row could not be read, or null. */
    String malformed();

    /** The current row's text as it was in the file (without the line end), for the reject file. */
    String raw();

    /** Bytes of the file read so far (ahead of the current row by at most a read buffer). */
    long bytesRead();

    static RowSource open(Path file, Format format, RowMapper mapper, char separator) throws IOException {
        return format == Format.CSV ? new CsvRows(file, mapper.columns(), separator) : new NdjsonRows(file, mapper.columns());
    }
}
