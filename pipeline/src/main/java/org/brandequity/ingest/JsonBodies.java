package org.brandequity.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a request body into its items by content type:
 * <ul>
 *   <li>{@code application/json}: one object, or an array of objects;</li>
 *   <li>{@code application/x-ndjson} (also {@code application/jsonl}, {@code application/json-lines}):
 *       one object per line, blank lines skipped.</li>
 * </ul>
 * Duplicate field names in an object are malformed JSON here (Jackson's strict duplicate detection):
 * which of two values a client meant cannot be guessed.
 */
public final class JsonBodies {
    /** The media types this service reads, for error messages and documentation. */
    public static final List<String> MEDIA_TYPES = List.of("application/json", "application/x-ndjson");
    private static final List<String> NDJSON_TYPES = List.of("application/x-ndjson", "application/jsonl", "application/json-lines");

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private JsonBodies() {}

    /**
     * The items of {@code body}.
     *
     * @param body        the request body
     * @param contentType the request's {@code Content-Type}, parameters (charset) ignored; JSON is UTF-8
     * @return the items, each a JSON object, in order
     * @throws BodyException 415 for another content type; 400 for an empty body, malformed JSON
     *                       (with line and column) or an item that is not an object
     */
    public static List<JsonNode> items(byte[] body, String contentType) throws BodyException {
        String mediaType = mediaType(contentType);
        boolean ndjson = NDJSON_TYPES.contains(mediaType);
        if (!ndjson && !mediaType.equals("application/json")) {
            throw new BodyException(415, new Problem(-1, null, Problem.Code.MALFORMED_JSON,
                    "Content-Type " + (contentType == null ? "(none)" : "'" + contentType + "'") + " is not read here; send one of " + MEDIA_TYPES));
        }
        List<JsonNode> items = new ArrayList<>();
        // A parser over root values: the NDJSON lines, or the one JSON document. (Not a
        // MappingIterator: it unwraps a root-level array, which NDJSON must refuse.)
        try (JsonParser parser = MAPPER.createParser(body)) {
            for (int read = 0; parser.nextToken() != null; read++) {
                if (!ndjson && read > 0) throw malformed(-1, "more than one JSON value; send an array, or NDJSON as application/x-ndjson");
                JsonNode value = MAPPER.readTree(parser);
                if (!ndjson && value.isArray()) {
                    for (JsonNode element : value) items.add(element);
                } else {
                    items.add(value);
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw malformed(ndjson ? items.size() : -1, where + e.getOriginalMessage());
        } catch (IOException e) {
            throw malformed(-1, e.getMessage());
        }
        if (items.isEmpty()) throw malformed(-1, "the body holds no items");
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isObject()) {
                throw new BodyException(400, new Problem(i, null, Problem.Code.NOT_AN_OBJECT,
                        "item " + i + " is a JSON " + items.get(i).getNodeType().name().toLowerCase(Locale.ROOT) + ", not an object"));
            }
        }
        return items;
    }

    private static String mediaType(String contentType) {
        if (contentType == null) return "";
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static BodyException malformed(int item, String reason) {
        return new BodyException(400, new Problem(item, null, Problem.Code.MALFORMED_JSON, "malformed JSON: " + reason));
    }
}
