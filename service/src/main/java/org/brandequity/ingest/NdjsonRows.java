package org.brandequity.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.brandequity.model.FieldLimits;

/**
 * A file of one JSON object per line. Each line is parsed on its own (Jackson's tree reader), not
 * with one MappingIterator over the whole stream: after a malformed line a streaming parser
 * cannot be trusted to find the next object, and one bad line must not cost the rest of the file.
 * Blank lines are skipped; the row number is the line number.
 *
 * <p>Bounds, each a rejected row: a line longer than {@link FieldLimits#ROW_MAX_CHARS} is passed
 * over without being held; within a line, Jackson's {@link StreamReadConstraints} refuse a number
 * longer than {@link FieldLimits#NUMERIC_TEXT_MAX_CHARS}, a string or name longer than
 * {@link FieldLimits#STRING_MAX_CHARS} and nesting deeper than {@link FieldLimits#NESTING_MAX_DEPTH}.
 */
final class NdjsonRows implements RowSource {
    private static final ObjectReader JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(FieldLimits.NUMERIC_TEXT_MAX_CHARS)
                            .maxStringLength(FieldLimits.STRING_MAX_CHARS)
                            .maxNameLength(FieldLimits.STRING_MAX_CHARS)
                            .maxNestingDepth(FieldLimits.NESTING_MAX_DEPTH)
                            .build())
                    .build())
            .build().readerFor(JsonNode.class);
    private static final String NOT_KEPT = "(line not kept: longer than " + FieldLimits.ROW_MAX_CHARS + " characters)";

    private final FileChannel channel;
    private final Reader reader;
    private final String[][] paths;
    private final StringBuilder buffer = new StringBuilder();
    private final char[] chars = new char[1 << 16];
    private int pos;
    private int limit;
    private String line;
    private long lineNumber;
    private String[] values;
    private String malformed;

    NdjsonRows(Path file, List<String> slots) throws IOException {
        FileInputStream in = new FileInputStream(file.toFile());
        this.channel = in.getChannel();
        this.reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        this.paths = slots.stream().map(s -> s.split("\\.")).toArray(String[][]::new);
    }

    @Override
    public boolean next() throws IOException {
        values = null;
        malformed = null;
        do {
            line = readLine();
            if (line == null) return false;
            lineNumber++;
        } while (line.isBlank());
        if (line == NOT_KEPT) {
            malformed = "the line is longer than " + FieldLimits.ROW_MAX_CHARS + " characters";
            return true;
        }
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            malformed = "malformed JSON: " + e.getOriginalMessage() + (e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")");
            return true;
        }
        if (node == null || !node.isObject()) {
            malformed = "the line is not a JSON object";
            return true;
        }
        values = new String[paths.length];
        for (int s = 0; s < paths.length; s++) {
            JsonNode v = node;
            for (String part : paths[s]) v = v.path(part);
            if (v.isMissingNode() || v.isNull()) continue;
            values[s] = v.isValueNode() ? v.asText() : v.toString();
        }
        return true;
    }

    /**
     * The next line without its end ({@code \n}, {@code \r\n} or {@code \r}, as
     * {@link java.io.BufferedReader#readLine}), null at the end, or {@link #NOT_KEPT} for a line longer than
     * {@link FieldLimits#ROW_MAX_CHARS}, read to its end but not held. Hand-written:
     * {@code readLine} has no bound and holds any line whole.
     */
    private String readLine() throws IOException {
        buffer.setLength(0);
        boolean tooLong = false;
        int c = read();
        if (c < 0) return null;
        for (; c >= 0 && c != '\n'; c = read()) {
            if (c == '\r') {
                if (peek() == '\n') pos++;
                break;
            }
            if (tooLong) continue;
            if (buffer.length() == FieldLimits.ROW_MAX_CHARS) {
                tooLong = true;
                buffer.setLength(0);
                buffer.trimToSize();
                continue;
            }
            buffer.append((char) c);
        }
        return tooLong ? NOT_KEPT : buffer.toString();
    }

    private int read() throws IOException {
        return pos < limit || fill() ? chars[pos++] : -1;
    }

    private int peek() throws IOException {
        return pos < limit || fill() ? chars[pos] : -1;
    }

    private boolean fill() throws IOException {
        limit = Math.max(0, reader.read(chars, 0, chars.length));
        pos = 0;
        return limit > 0;
    }

    @Override
    public long row() {
        return lineNumber;
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
        return line;
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
        reader.close();
    }
}
