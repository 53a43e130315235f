package org.brandequity.ingest;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The rows {@code import} refused, as CSV with a header: {@code file,row,reasons,raw} — the input
 * file, the 1-based data row (CSV: the header row is not counted; NDJSON: the line number), every
 * reason joined by "; ", and the row's text as it was in the file, a cell that a spreadsheet would
 * run as a formula prefixed with {@code '} ({@link #neutralised}). Created on the first reject, so
 * a clean import leaves none.
 *
 * <p>What is at the path before the import: a reject file of an earlier run (its first line is
 * this file's header), or an empty file, is removed at start, so that a clean re-run leaves no stale rejects; any
 * other file is never removed nor overwritten ({@link #check} refuses the import before it reads a
 * row), nor is an input file.
 */
final class RejectFile implements AutoCloseable {
    static final String HEADER = "file,row,reasons,raw";
    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema SCHEMA = CsvSchema.builder()
            .addColumn("file").addColumn("row").addColumn("reasons").addColumn("raw").build().withHeader();

    private final Path path;
    private SequenceWriter writer;
    private long written;

    /** Removes a reject file of an earlier run at {@code path} ({@link #check} has refused anything else). */
    RejectFile(Path path) throws IOException {
        this.path = path;
        if (isRejectFile(path)) Files.delete(path);
    }

    /**
     * Refuses (naming {@code option}) a reject path that is one of {@code inputs}, or at which a
     * file exists that is not a reject file of an earlier run.
     *
     * @throws IllegalArgumentException one line naming the option and the path
     */
    static void check(Path rejects, Iterable<Path> inputs, String option) throws IOException {
        for (Path input : inputs) {
            if (samePath(rejects, input)) {
                throw new IllegalArgumentException(option + ": " + rejects + " is also an input file; the reject file must be another path");
            }
        }
        if (Files.exists(rejects) && !isRejectFile(rejects)) {
            throw new IllegalArgumentException(option + ": " + rejects + " exists and is not a reject file of an earlier import;"
                    + " it is left as it is: name another path or move it");
        }
    }

    private static boolean samePath(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b); // also through links
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /**
     * Whether {@code path} is a regular file whose first line is {@link #HEADER}, or an empty one
     * (nothing to lose: a path made beforehand with {@code mktemp} or {@code createTempFile}).
     */
    private static boolean isRejectFile(Path path) throws IOException {
        if (!Files.isRegularFile(path)) return false;
        if (Files.size(path) == 0) return true;
        try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            char[] first = new char[HEADER.length() + 2];
            int n = r.read(first);
            String line = n <= 0 ? "" : new String(first, 0, n);
            return line.equals(HEADER) || line.startsWith(HEADER + "\n") || line.startsWith(HEADER + "\r\n");
        } catch (java.nio.charset.MalformedInputException e) {
            return false; // not text
        }
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
                // CREATE_NEW: a file that appeared at the path since the start is not overwritten.
                writer = CSV.writer(SCHEMA).writeValues(Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            }
            writer.write(new Object[] {neutralised(file.toString()), row, neutralised(reasons), neutralised(raw)});
            written++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reject file " + path, e);
        }
    }

    /**
     * {@code cell} with a {@code '} in front when a spreadsheet would run it as a formula: it starts
     * with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return (OWASP, "CSV
     * Injection"). The quote makes the cell text; it changes the cell, so a raw row taken back from
     * the reject file loses its leading {@code '} first. Quoting of separators and quotes is the
     * CSV writer's. Hand-written: Jackson's CSV writer has no formula escaping.
     */
    static String neutralised(String cell) {
        if (cell == null || cell.isEmpty()) return cell;
        return switch (cell.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + cell;
            default -> cell;
        };
    }

    @Override
    public void close() throws IOException {
        if (writer != null) writer.close();
    }
}
