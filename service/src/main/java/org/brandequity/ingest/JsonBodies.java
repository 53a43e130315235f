package org.brandequity.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;
import org.brandequity.model.FieldLimits;

/**
 * Reads a request body, streamed, into contract records, by content type:
 * <ul>
 *   <li>{@code application/json}: one object, or an array of objects;</li>
 *   <li>{@code application/x-ndjson} (also {@code application/jsonl}, {@code application/json-lines}):
 *       one object per line, blank lines skipped.</li>
 * </ul>
 * The body is read once, token by token, straight into records ({@link ContractCodec#decode(JsonParser, int, long, Problems)}):
 * no tree of the body or of an item is built, and reading stops at once at the
 * {@code ingest.max.items + 1}-th item or past {@code ingest.max.body.bytes}. Jackson's own
 * {@link StreamReadConstraints} bound what one token may cost before it is held: numbers
 * ({@link FieldLimits#NUMERIC_TEXT_MAX_CHARS}), strings and names ({@link FieldLimits#STRING_MAX_CHARS}),
 * nesting ({@link FieldLimits#NESTING_MAX_DEPTH}) and the body's length.
 *
 * <p>A contract field given twice in an object is malformed JSON here: which of two values a
 * client meant cannot be guessed.
 */
public final class JsonBodies {
    /** The media types this service reads, for error messages and documentation. */
    public static final List<String> MEDIA_TYPES = List.of("application/json", "application/x-ndjson");
    private static final List<String> NDJSON_TYPES = List.of("application/x-ndjson", "application/jsonl", "application/json-lines");

    /** For encoding ({@link ContractCodec#encode}) and for tests; request bodies are read by {@link #read}. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** What a body held: the records when every item was valid, and how many items it had. */
    public record Read<T>(List<T> records, int items) {}

    private final JsonFactory factory;
    private final int maxBodyBytes;
    private final int maxItems;

    /**
     * @param maxBodyBytes {@code ingest.max.body.bytes}: reading stops past it (413)
     * @param maxItems     {@code ingest.max.items}: reading stops at the item after it (413)
     */
    public JsonBodies(int maxBodyBytes, int maxItems) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxItems = maxItems;
        this.factory = JsonFactory.builder()
                // No STRICT_DUPLICATE_DETECTION here: ContractCodec finds a contract field given twice
                // without a HashSet per object (an unknown name given twice is refused as unknown).
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                // Interning would put every distinct name a client sends into the JVM's string table.
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNumberLength(FieldLimits.NUMERIC_TEXT_MAX_CHARS)
                        .maxStringLength(FieldLimits.STRING_MAX_CHARS)
                        .maxNameLength(FieldLimits.STRING_MAX_CHARS)
                        .maxNestingDepth(FieldLimits.NESTING_MAX_DEPTH)
                        // Javalin bounds bodyAsBytes() only; this bounds the streamed body (chunked too).
                        .maxDocumentLength(maxBodyBytes)
                        .build())
                .build();
    }

    /**
     * Reads {@code body} into records with {@code codec}.
     *
     * @param body        the request body, read to its end or to the first limit
     * @param contentType the request's {@code Content-Type}, parameters (charset) ignored; JSON is UTF-8
     * @param problems    every problem of every item (bounded listing); records are returned only when it stays empty
     * @return the records (empty when any item had a problem) and the number of items
     * @throws BodyException 415 for another content type; 413 past {@code ingest.max.items} or
     *                       {@code ingest.max.body.bytes}; 400 for an empty body, malformed JSON
     *                       (with line and column), or a value the parser refuses unread (naming the field)
     */
    public <T extends SpecificRecord> Read<T> read(InputStream body, String contentType, ContractCodec<T> codec, long nowMs,
                                                   Problems problems) throws BodyException {
        String mediaType = mediaType(contentType);
        boolean ndjson = NDJSON_TYPES.contains(mediaType);
        if (!ndjson && !mediaType.equals("application/json")) {
            throw new BodyException(415, new Problem(-1, null, Problem.Code.MALFORMED_JSON,
                    "Content-Type " + (contentType == null ? "(none)" : "'" + contentType + "'") + " is not read here; send one of " + MEDIA_TYPES));
        }
        List<T> records = new ArrayList<>();
        int items = 0;
        // A parser over root values: the NDJSON lines, or the one JSON document. (Not a
        // MappingIterator: it unwraps a root-level array, which NDJSON must refuse.)
        try (JsonParser p = factory.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) throw malformed(-1, "the body holds no items");
            if (ndjson) {
                for (; t != null; t = p.nextToken()) items = item(p, t, items, codec, nowMs, problems, records);
            } else if (t == JsonToken.START_ARRAY) {
                for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) items = item(p, t, items, codec, nowMs, problems, records);
                if (items == 0) throw malformed(-1, "the body holds no items");
            } else {
                items = item(p, t, items, codec, nowMs, problems, records);
            }
            if (!ndjson && p.nextToken() != null) throw malformed(-1, "more than one JSON value; send an array, or NDJSON as application/x-ndjson");
        } catch (ContractCodec.ReadingStopped e) {
            throw new BodyException(400, e.problem());
        } catch (StreamConstraintsException e) {
            if (e.getOriginalMessage().startsWith("Document length")) throw tooLarge(maxBodyBytes);
            throw new BodyException(400, new Problem(ndjson ? items : -1, null, Problem.Code.MALFORMED_JSON,
                    "refused unread: " + where(e) + refusal(e)));
        } catch (JsonProcessingException e) {
            throw new BodyException(400, new Problem(ndjson ? items : -1, null, Problem.Code.MALFORMED_JSON,
                    "malformed JSON: " + where(e) + e.getOriginalMessage()));
        } catch (IOException e) {
            // The connection's text (a timeout, an early end of stream) is for the log, not the client.
            throw malformed(-1, "the body could not be read to its end");
        }
        return new Read<>(problems.isEmpty() ? records : List.of(), items);
    }

    /**
     * What a {@code StreamReadConstraints} refusal means, in the client's terms: Jackson's own text
     * names its configuration API, which an answer must not carry. Jackson gives the kind of
     * constraint only in its message, hence the prefixes.
     */
    static String refusal(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        // Jackson counts a very long number against the string bound first: "value", not "string".
        if (m.startsWith("String value length")) return "a value longer than " + FieldLimits.STRING_MAX_CHARS + " characters";
        if (m.startsWith("Number value length")) return "a number longer than " + FieldLimits.NUMERIC_TEXT_MAX_CHARS + " characters";
        if (m.startsWith("Name length")) return "a field name longer than " + FieldLimits.STRING_MAX_CHARS + " characters";
        if (m.startsWith("Document nesting depth")) return "nesting deeper than " + FieldLimits.NESTING_MAX_DEPTH + " levels";
        return "a value beyond the limits in docs/ingest.md";
    }

    /** One item at {@code t}; returns the items read so far. */
    private <T extends SpecificRecord> int item(JsonParser p, JsonToken t, int index, ContractCodec<T> codec, long nowMs,
                                                Problems problems, List<T> records) throws IOException, BodyException {
        if (index == maxItems) {
            throw new BodyException(413, new Problem(-1, null, Problem.Code.MALFORMED_JSON,
                    "more than " + maxItems + " items in one request; at most " + maxItems + " (ingest.max.items): split it"));
        }
        if (t != JsonToken.START_OBJECT) {
            if (problems.full()) problems.count(index);
            else problems.add(new Problem(index, null, Problem.Code.NOT_AN_OBJECT,
                    "item " + index + " is a JSON " + ContractCodec.kind(t) + ", not an object"));
            p.skipChildren();
            return index + 1;
        }
        T record = codec.decode(p, index, nowMs, problems);
        // All or nothing: once an item is invalid, the records of the others are not kept.
        if (record != null && problems.isEmpty()) records.add(record);
        return index + 1;
    }

    /** The 413 of a body over {@code ingest.max.body.bytes}, as the server words it. */
    static BodyException tooLarge(int maxBodyBytes) {
        return new BodyException(413, new Problem(-1, null, Problem.Code.MALFORMED_JSON,
                "the body is larger than " + maxBodyBytes + " bytes (ingest.max.body.bytes): split it"));
    }

    private static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
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
