package org.brandequity.ingest;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rows {@code import} refused, as CSV with a header: {@code file,row,reasons,raw} — the input
 * file, the 1-based data row (CSV: the header row is not counted; NDJSON: the line number), every
 * reason joined by "; ", and the row's text as it was in the file. Created on the first reject, so
 * a clean import leaves none; a reject file of an earlier run at the same path is removed at start.
 */
final class RejectFile implements AutoCloseable {
    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema SCHEMA = CsvSchema.builder()
            .addColumn("file").addColumn("row").addColumn("reasons").addColumn("raw").build().withHeader();

    private final Path path;
    private SequenceWriter writer;
    private long written;

    RejectFile(Path path) throws IOException {
        this.path = path;
        Files.deleteIfExists(path);
    }

    Path path() {
        return path;
    }

    long written() {
        return written;
    }

    void write(Path file, long row, String reasons, String raw) {
        try {
            if (writer == null) {
                writer = CSV.writer(SCHEMA).writeValues(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
            }
            writer.write(new Object[] {file.toString(), row, reasons, raw});
            written++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reject file " + path, e);
        }
    }

    @Override
    public void close() throws IOException {
        if (writer != null) writer.close();
    }
}
