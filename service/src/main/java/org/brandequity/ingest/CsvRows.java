package org.brandequity.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.brandequity.model.FieldLimits;

/**
 * A CSV file with a header row, parsed by Jackson's CSV dataformat (RFC 4180 quoting, fields over
 * several lines). A row the parser cannot read, or one with a different number of fields than the
 * header, is reported as malformed and reading goes on with the next line.
 *
 * <p>Read token by token rather than as a {@code String[]} per row: only the mapping's cells become
 * strings, and a row with more cells than the header is counted, not held (a line of commas would
 * otherwise be an array as long as the line). A cell is bounded by Jackson's
 * {@link StreamReadConstraints} at {@link FieldLimits#ROW_MAX_CHARS}, a mapped cell at
 * {@link FieldLimits#STRING_MAX_CHARS}, a row at {@link FieldLimits#ROW_MAX_CHARS}, the header at
 * {@link FieldLimits#CSV_COLUMNS_MAX} columns; a breach is a rejected row.
 */
final class CsvRows implements RowSource {
    private static final CsvMapper CSV = CsvMapper.builder(new com.fasterxml.jackson.dataformat.csv.CsvFactoryBuilder(
                    new com.fasterxml.jackson.dataformat.csv.CsvFactory())
                    // A cell cannot be longer than a row; past this the parser stops holding it.
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(FieldLimits.ROW_MAX_CHARS).build())
                    .build())
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private final Path file;
    private final FileChannel channel;
    private final RecordingReader reader;
    private final JsonParser rows;
    private final int columns;
    /** For each column, the mapping's slot it fills, or -1. */
    private final int[] slotOfColumn;
    private final List<String> header;
    private final int slots;
    private String[] values;
    private String malformed;
    private long row;
    /** Offset of the line end that closed the previous row: the current row starts after it. */
    private long previousEnd;
    private long start;
    private long end;

    CsvRows(Path file, List<String> slotNames, char separator) throws IOException {
        this.file = file;
        FileInputStream in = new FileInputStream(file.toFile());
        this.channel = in.getChannel();
        this.reader = new RecordingReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(separator);
        this.rows = CSV.reader(schema).createParser(reader);
        List<String> names = new ArrayList<>();
        try {
            if (rows.nextToken() == JsonToken.START_ARRAY) {
                for (JsonToken t = rows.nextToken(); t == JsonToken.VALUE_STRING; t = rows.nextToken()) {
                    if (names.size() == FieldLimits.CSV_COLUMNS_MAX) {
                        close();
                        throw new IllegalArgumentException(file + ": the header row has more than " + FieldLimits.CSV_COLUMNS_MAX + " columns");
                    }
                    names.add(rows.getText().trim());
                }
            }
        } catch (JsonProcessingException e) {
            close();
            throw new IllegalArgumentException(file + ": unreadable header row: " + e.getOriginalMessage());
        }
        if (names.isEmpty()) {
            close();
            throw new IllegalArgumentException(file + ": empty file, expected a header row");
        }
        if (names.get(0).startsWith("\uFEFF")) names.set(0, names.get(0).substring(1).trim()); // UTF-8 BOM
        this.columns = names.size();
        this.header = names;
        this.slotOfColumn = new int[columns];
        Arrays.fill(slotOfColumn, -1);
        for (int s = 0; s < slotNames.size(); s++) {
            int i = names.indexOf(slotNames.get(s));
            if (i < 0) {
                close();
                throw new IllegalArgumentException(file + ": no column '" + slotNames.get(s) + "' in the header " + names);
            }
            slotOfColumn[i] = s;
        }
        this.slots = slotNames.size();
        this.previousEnd = rows.currentLocation().getCharOffset();
    }

    @Override
    public boolean next() throws IOException {
        values = null;
        malformed = null;
        start = previousEnd + 1;
        String[] mapped = new String[slots];
        int cells = 0;
        String tooLong = null;
        try {
            if (rows.nextToken() == null) return false;
            for (JsonToken t = rows.nextToken(); t != JsonToken.END_ARRAY && t != null; t = rows.nextToken()) {
                int slot = cells < columns ? slotOfColumn[cells] : -1;
                if (slot >= 0) {
                    String text = rows.getText();
                    if (text.length() > FieldLimits.STRING_MAX_CHARS && tooLong == null) {
                        tooLong = "column '" + header.get(cells) + "' holds more than " + FieldLimits.STRING_MAX_CHARS + " characters";
                    }
                    mapped[slot] = text;
                }
                cells++; // cells past the header are counted, not held
            }
        } catch (JsonProcessingException e) {
            // The row ends at the line end after the error; the rest of the row's tokens are passed over.
            row++;
            end = reader.lineEnd(e.getLocation() == null ? start : e.getLocation().getCharOffset());
            previousEnd = end;
            malformed = "malformed CSV: " + e.getOriginalMessage().split("\n")[0]
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")");
            resync();
            return true;
        }
        row++;
        end = rows.currentLocation().getCharOffset();
        previousEnd = end;
        if (cells != columns) {
            malformed = "the row has " + cells + " fields, the header " + columns;
        } else if (end - start > FieldLimits.ROW_MAX_CHARS) {
            malformed = "the row is longer than " + FieldLimits.ROW_MAX_CHARS + " characters";
        } else if (tooLong != null) {
            malformed = tooLong;
        } else {
            values = mapped;
        }
        return true;
    }

    /**
     * After an error, to the end of the row: what Jackson's MappingIterator does after a failed
     * value. Stops when the parser no longer moves (a second error at the same place).
     */
    private void resync() throws IOException {
        long at = -1;
        while (true) {
            try {
                JsonToken t = rows.nextToken();
                if (t == null || (t == JsonToken.END_ARRAY)) return;
            } catch (JsonProcessingException again) {
                long now = rows.currentLocation().getCharOffset();
                if (now == at) return;
                at = now;
            }
        }
    }

    @Override
    public long row() {
        return row;
    }

    @Override
    public String[] values() {
        return values;
    }

    @Override
    public String malformed() {
        return malformed;
    }

    @Override
    public String raw() {
        String text = reader.text(start, end);
        if (text == null) return "(row not kept: longer than " + RecordingReader.CAPACITY + " characters)";
        int from = 0;
        int to = text.length();
        while (from < to && (text.charAt(from) == '\n' || text.charAt(from) == '\r')) from++;
        while (to > from && (text.charAt(to - 1) == '\n' || text.charAt(to - 1) == '\r')) to--;
        return text.substring(from, to);
    }

    @Override
    public long bytesRead() {
        try {
            return channel.position();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() throws IOException {
        rows.close();
        reader.close();
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
