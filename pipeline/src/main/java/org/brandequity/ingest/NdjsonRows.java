package org.brandequity.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A file of one JSON object per line. Each line is parsed on its own (Jackson's tree reader), not
 * with one MappingIterator over the whole stream: after a malformed line a streaming parser
 * cannot be trusted to find the next object, and one bad line must not cost the rest of the file.
 * Blank lines are skipped; the row number is the line number.
 */
final class NdjsonRows implements RowSource {
    private static final ObjectReader JSON = new ObjectMapper().readerFor(JsonNode.class);

    private final FileChannel channel;
    private final BufferedReader reader;
    private final String[][] paths;
    private String line;
    private long lineNumber;
    private String[] values;
    private String malformed;

    NdjsonRows(Path file, List<String> slots) throws IOException {
        FileInputStream in = new FileInputStream(file.toFile());
        this.channel = in.getChannel();
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        this.paths = slots.stream().map(s -> s.split("\\.")).toArray(String[][]::new);
    }

    @Override
    public boolean next() throws IOException {
        values = null;
        malformed = null;
        do {
            line = reader.readLine();
            if (line == null) return false;
            lineNumber++;
        } while (line.isBlank());
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            malformed = "malformed JSON: " + e.getOriginalMessage() + " (column " + e.getLocation().getColumnNr() + ")";
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
