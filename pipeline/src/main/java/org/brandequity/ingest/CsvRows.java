package org.brandequity.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV file with a header row, parsed by Jackson's CSV dataformat (RFC 4180 quoting, fields over
 * several lines). A row the parser cannot read, or one with a different number of fields than the
 * header, is reported as malformed and reading goes on with the next line.
 */
final class CsvRows implements RowSource {
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private final Path file;
    private final FileChannel channel;
    private final RecordingReader reader;
    private final MappingIterator<String[]> rows;
    private final int columns;
    private final int[] indexOfSlot;
    private String[] values;
    private String malformed;
    private long row;
    /** Offset of the line end that closed the previous row: the current row starts after it. */
    private long previousEnd;
    private long start;
    private long end;

    CsvRows(Path file, List<String> slots, char separator) throws IOException {
        this.file = file;
        FileInputStream in = new FileInputStream(file.toFile());
        this.channel = in.getChannel();
        this.reader = new RecordingReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(separator);
        this.rows = CSV.readerFor(String[].class).with(schema).readValues(reader);
        String[] header;
        try {
            header = rows.hasNextValue() ? rows.nextValue() : null;
        } catch (JsonProcessingException e) {
            close();
            throw new IllegalArgumentException(file + ": unreadable header row: " + e.getOriginalMessage());
        }
        if (header == null) {
            close();
            throw new IllegalArgumentException(file + ": empty file, expected a header row");
        }
        if (header.length > 0 && !header[0].isEmpty() && header[0].charAt(0) == '\uFEFF') header[0] = header[0].substring(1); // UTF-8 BOM
        for (int i = 0; i < header.length; i++) header[i] = header[i].trim();
        this.columns = header.length;
        List<String> names = Arrays.asList(header);
        this.indexOfSlot = new int[slots.size()];
        for (int s = 0; s < slots.size(); s++) {
            int i = names.indexOf(slots.get(s));
            if (i < 0) {
                close();
                throw new IllegalArgumentException(file + ": no column '" + slots.get(s) + "' in the header " + names);
            }
            indexOfSlot[s] = i;
        }
        this.previousEnd = rows.getCurrentLocation().getCharOffset();
    }

    @Override
    public boolean next() throws IOException {
        values = null;
        malformed = null;
        start = previousEnd + 1;
        String[] fields;
        try {
            if (!rows.hasNextValue()) return false;
            fields = rows.nextValue();
        } catch (JsonProcessingException e) {
            // The parser skips to the next line; the row ends at the line end after the error.
            row++;
            end = reader.lineEnd(e.getLocation() == null ? start : e.getLocation().getCharOffset());
            previousEnd = end;
            malformed = "malformed CSV: " + e.getOriginalMessage().split("\n")[0]
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")");
            return true;
        }
        row++;
        end = rows.getCurrentLocation().getCharOffset();
        previousEnd = end;
        if (fields.length != columns) {
            malformed = "the row has " + fields.length + " fields, the header " + columns;
            return true;
        }
        values = new String[indexOfSlot.length];
        for (int s = 0; s < indexOfSlot.length; s++) values[s] = fields[indexOfSlot[s]];
        return true;
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
