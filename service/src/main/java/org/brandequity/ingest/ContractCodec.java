package org.brandequity.ingest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.model.FieldLimits;
import org.brandequity.model.InteractionValidator;
import org.brandequity.model.ProfileValidator;
import org.brandequity.model.Violation;

/**
 * Reads one contract record from its JSON form and validates it with the pipeline's own rules, so
 * that what the ingestion doors accept is exactly what the topology counts.
 *
 * <p>The JSON form (docs/ingest.md, with the JSON Schema {@link JsonSchemas} derives): an object
 * whose field names are the Avro contract's; optional fields may be absent or {@code null}; enums
 * are their symbols as strings; timestamps are ISO-8601 with an offset or {@code Z}, or epoch
 * milliseconds; numbers are JSON numbers or strings holding one (many survey tools send every
 * answer as a string); a field the contract does not have is an error, so that a misspelt signal is
 * reported rather than dropped.
 *
 * <p>Walks the Avro schema rather than mapping each field by hand: a field added to the contract is
 * read here without a change. Avro's own JSON decoder is not used because its encoding wraps union
 * values ({@code {"int": 5}}) and knows timestamps only as numbers.
 *
 * <p>Reads from Jackson's token stream straight into the record (the HTTP body, streamed); the
 * file import's rows, built as trees by its mapping, are read through the same tokens
 * ({@link JsonNode#traverse()}). Every text is bounded before it is parsed
 * ({@link FieldLimits}): numbers as strings, times, and, through the parser's constraints, any string.
 *
 * @param <T> the contract's generated class
 */
public final class ContractCodec<T extends SpecificRecord> {
    private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(3);
    private static final Pattern NUMBER_TEXT = Pattern.compile(JsonSchemas.NUMBER_TEXT);

    private final Schema schema;
    private final Function<T, String> key;
    private final Validation<T> validation;
    /** Every field's dotted path ({@code spend.amount}), computed once: not concatenated per item. */
    private final Map<Schema.Field, String> paths = new IdentityHashMap<>();
    /** Each enum's constants by symbol: Avro's createEnum allocates per call. */
    private final Map<Schema, Map<String, Object>> symbols = new IdentityHashMap<>();
    /** Each record's no-argument constructor: SpecificData.newRecord allocates per call beyond the record. */
    private final Map<Schema, java.lang.reflect.Constructor<?>> constructors = new IdentityHashMap<>();

    /** The pipeline's validation of a decoded record: every violation. */
    @FunctionalInterface
    private interface Validation<T> {
        List<Violation> violations(T record, String key, long nowMs);
    }

    private ContractCodec(Schema schema, Function<T, String> key, Validation<T> validation) {
        this.schema = schema;
        this.key = key;
        this.validation = validation;
        collectPaths(schema, "");
    }

    private void collectPaths(Schema record, String prefix) {
        // readRecord marks the fields it saw in one long.
        if (record.getFields().size() >= Long.SIZE) throw new IllegalArgumentException(record.getName() + " has 64 fields or more");
        try {
            constructors.put(record, SpecificData.get().getClass(record).getDeclaredConstructor());
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(record.getName() + " has no no-argument constructor", e);
        }
        for (Schema.Field f : record.getFields()) {
            paths.put(f, prefix + f.name());
            Schema t = Fields.nonNull(f.schema());
            if (t.getType() == Schema.Type.RECORD) collectPaths(t, prefix + f.name() + ".");
            if (t.getType() == Schema.Type.ENUM) {
                Map<String, Object> constants = new java.util.HashMap<>();
                for (String symbol : t.getEnumSymbols()) constants.put(symbol, SpecificData.get().createEnum(symbol, t));
                symbols.put(t, constants);
            }
        }
    }

    /**
     * Interactions, validated as the topology validates them.
     *
     * @param maxFutureSkew how far ahead of the clock an event time may be ({@code event.max.future.skew})
     */
    public static ContractCodec<CustomerInteraction> interactions(Duration maxFutureSkew) {
        InteractionValidator validator = new InteractionValidator(maxFutureSkew);
        return new ContractCodec<>(CustomerInteraction.getClassSchema(), CustomerInteraction::getCustomerId,
                (e, key, now) -> validator.validateAll(key, e, now));
    }

    /** Profiles, validated by {@link ProfileValidator}. */
    public static ContractCodec<CustomerProfile> profiles() {
        return new ContractCodec<>(CustomerProfile.getClassSchema(), CustomerProfile::getCustomerId,
                (p, key, now) -> ProfileValidator.validateAll(p));
    }

    /** The contract's Avro schema. */
    public Schema schema() {
        return schema;
    }

    /** The record's Kafka key: its customer id. */
    public String key(T record) {
        return key.apply(record);
    }

    /**
     * Reads {@code node} as the contract and validates it: the file import's rows, which the
     * mapping builds as trees. Walks the tree with the same token reader as {@link #decode(JsonParser, int, long, Problems)}.
     *
     * @param node     one JSON object
     * @param item     the item's index, put into every problem
     * @param nowMs    the clock, for the future-time check
     * @param problems where every problem is appended
     * @return the record, or {@code null} when any problem was found
     */
    public T decode(JsonNode node, int item, long nowMs, List<Problem> problems) {
        Problems found = new Problems();
        T record;
        try (JsonParser p = node.traverse()) {
            p.nextToken();
            record = decode(p, item, nowMs, found);
        } catch (IOException e) {
            // A tree has no text to be malformed or too long: its parser fails on nothing.
            throw new UncheckedIOException("reading a JSON tree", e);
        }
        problems.addAll(found.listed());
        return record;
    }

    /**
     * Reads one item from {@code p}, positioned at the item's first token, into the contract and
     * validates it; leaves {@code p} at the item's last token. Reads the tokens once, straight
     * into the record: no tree of the item is built.
     *
     * @return the record, or {@code null} when any problem was found (added to {@code problems})
     * @throws ReadingStopped when the parser refuses a field's value unread (longer than
     *                      {@link FieldLimits#STRING_MAX_CHARS}), or an object has too many fields
     * @throws IOException  malformed JSON, or a parser limit outside any field's value
     */
    @SuppressWarnings("unchecked")
    public T decode(JsonParser p, int item, long nowMs, Problems problems) throws IOException {
        long before = problems.total();
        Object value = read(schema, p, p.currentToken(), "", item, problems);
        if (problems.total() > before) return null;
        T record = (T) value;
        for (Violation v : validation.violations(record, key.apply(record), nowMs)) problems.add(Problem.of(item, v));
        return problems.total() > before ? null : record;
    }

    /**
     * A problem after which reading stops: a field's value the parser refused to read (Jackson's
     * {@link StreamConstraintsException}: a string or number past its limit; the parser cannot go
     * on after it), or an object with more than {@link FieldLimits#FIELDS_PER_OBJECT_MAX} fields.
     * The request is answered with this one problem.
     */
    public static final class ReadingStopped extends IOException {
        private final transient Problem problem;

        ReadingStopped(Problem problem, Throwable cause) {
            super(problem.reason(), cause);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /**
     * The JSON form of {@code record}, as {@link #decode} reads it: absent optional fields left out,
     * times as ISO-8601 in UTC, enums as their symbols. For clients built on the contracts (the
     * benchmark, tests) and for examples.
     */
    public ObjectNode encode(T record) {
        return (ObjectNode) write(schema, record);
    }

    private static JsonNode write(Schema s, Object value) {
        switch (s.getType()) {
            case RECORD: {
                ObjectNode o = JsonBodies.MAPPER.createObjectNode();
                SpecificRecord r = (SpecificRecord) value;
                for (Schema.Field f : s.getFields()) {
                    Object v = r.get(f.pos());
                    if (v != null) o.set(f.name(), write(f.schema(), v));
                }
                return o;
            }
            case UNION:
                return write(nonNull(s), value);
            case LONG:
                return value instanceof Instant t ? TextNode.valueOf(t.toString()) : LongNode.valueOf((Long) value);
            case INT:
                return IntNode.valueOf((Integer) value);
            case DOUBLE:
                return DoubleNode.valueOf((Double) value);
            case STRING:
            case ENUM:
                return TextNode.valueOf(value.toString());
            default:
                throw new IllegalArgumentException("the JSON form does not cover Avro type " + s.getType());
        }
    }

    private Object read(Schema s, JsonParser p, JsonToken t, String path, int item, Problems problems) throws IOException {
        switch (s.getType()) {
            case RECORD:
                if (t != JsonToken.START_OBJECT) return wrongType(path, p, t, "an object", item, problems);
                return readRecord(s, p, path, item, problems);
            case UNION:
                if (t == JsonToken.VALUE_NULL) return null;
                return read(nonNull(s), p, t, path, item, problems);
            case STRING:
                if (t == JsonToken.VALUE_STRING) return p.getText();
                return wrongType(path, p, t, "a string", item, problems);
            case ENUM:
                return readEnum(s, p, t, path, item, problems);
            case INT:
                return readInt(p, t, path, item, problems);
            case LONG:
                return readLong(s, p, t, path, item, problems);
            case DOUBLE:
                return readDouble(p, t, path, item, problems);
            default:
                throw new IllegalArgumentException("the JSON form does not cover Avro type " + s.getType() + " (" + path + ")");
        }
    }

    /** {@code p} at the object's START_OBJECT; leaves it at its END_OBJECT. */
    private Object readRecord(Schema s, JsonParser p, String path, int item, Problems problems) throws IOException {
        SpecificRecord record = newRecord(s);
        List<Schema.Field> fields = s.getFields();
        long seen = 0; // a bit per field position (the constructor checks there are fewer than 64)
        int count = 0;
        String current = null; // the field whose value is being read, null while reading a name
        String last = null;
        try {
            while (true) {
                last = current != null ? current : last;
                current = null;
                String name = p.nextFieldName();
                if (name == null) break;
                current = name;
                JsonToken t = p.nextToken();
                if (++count > FieldLimits.FIELDS_PER_OBJECT_MAX) {
                    // Reading stops here: the rest of a hostile object is not even tokenised.
                    throw new ReadingStopped(new Problem(item, path.isEmpty() ? null : path, Problem.Code.TOO_MANY_FIELDS,
                            (path.isEmpty() ? "item " + item : path) + " has more than " + FieldLimits.FIELDS_PER_OBJECT_MAX
                                    + " fields (" + s.getName() + " has " + fields.size() + ")"), null);
                }
                Schema.Field f = s.getField(name);
                if (f == null) {
                    p.skipChildren();
                    if (problems.full()) {
                        problems.count(item);
                        continue;
                    }
                    String shown = abbreviate(name);
                    String fieldPath = path.isEmpty() ? shown : path + "." + shown;
                    // One short problem per unknown key; the contract's field list is in docs/ingest.md
                    // and the JSON Schema, not repeated in each problem.
                    problems.add(new Problem(item, fieldPath, Problem.Code.UNKNOWN_FIELD,
                            "'" + fieldPath + "' is not a field of " + s.getName() + suggestion(name, s)));
                    continue;
                }
                long bit = 1L << f.pos();
                // Duplicates are found here rather than by Jackson's STRICT_DUPLICATE_DETECTION, which
                // keeps a HashSet per object: which of two values a client meant cannot be guessed.
                if ((seen & bit) != 0) throw new JsonParseException(p, "Duplicate field '" + f.name() + "'");
                seen |= bit;
                if (t == JsonToken.VALUE_NULL) {
                    if (f.hasDefaultValue()) {
                        record.put(f.pos(), SpecificData.get().getDefaultValue(f));
                    } else if (f.schema().getType() == Schema.Type.UNION) {
                        record.put(f.pos(), null);
                    } else {
                        missing(path(path, f), item, problems);
                    }
                    continue;
                }
                Object value = read(f.schema(), p, t, path(path, f), item, problems);
                // Null here is a value with a problem (the record is dropped): a primitive field of
                // a generated record (spend.amount) throws on null.
                if (value != null) record.put(f.pos(), value);
            }
        } catch (StreamConstraintsException e) {
            // Jackson reads a number ahead when it returns the field's name: then the context has
            // the new name already. Still the previous name (or none): it was the name itself that
            // was refused, which is the body's answer, not a field's.
            String name = current != null ? current : p.getParsingContext().getCurrentName();
            if (current == null && (name == null || name.equals(last))) throw e;
            Schema.Field f = s.getField(name);
            if (f == null) throw e; // not a field's value: the body's answer
            throw refused(path(path, f), Fields.nonNull(f.schema()), item, e);
        }
        for (int i = 0; i < fields.size(); i++) { // indexed: no iterator per item
            Schema.Field f = fields.get(i);
            if ((seen & (1L << f.pos())) != 0) continue;
            if (f.hasDefaultValue()) record.put(f.pos(), SpecificData.get().getDefaultValue(f));
            else missing(path(path, f), item, problems);
        }
        return record;
    }

    private static void missing(String fieldPath, int item, Problems problems) {
        if (problems.full()) problems.count(item);
        else problems.add(new Problem(item, fieldPath, Problem.Code.MISSING_FIELD, fieldPath + " is required"));
    }

    private static ReadingStopped refused(String fieldPath, Schema type, int item, StreamConstraintsException e) {
        Problem.Code code = switch (type.getType()) {
            case STRING, ENUM -> Problem.Code.TOO_LONG;
            case LONG -> Fields.isTimestamp(type) ? Problem.Code.BAD_TIME : Problem.Code.WRONG_TYPE;
            default -> Problem.Code.WRONG_TYPE;
        };
        return new ReadingStopped(new Problem(item, fieldPath, code, fieldPath + " is refused unread: " + JsonBodies.refusal(e)), e);
    }

    private String path(String parent, Schema.Field f) {
        return paths.get(f);
    }

    private Object readEnum(Schema s, JsonParser p, JsonToken t, String path, int item, Problems problems) throws IOException {
        if (t != JsonToken.VALUE_STRING) return wrongType(path, p, t, "one of " + s.getEnumSymbols(), item, problems);
        String text = p.getText();
        Object symbol = symbols.get(s).get(text);
        if (symbol != null) return symbol;
        if (problems.full()) problems.count(item);
        else problems.add(new Problem(item, path, Problem.Code.UNKNOWN_SYMBOL,
                path + " '" + abbreviate(text) + "' is not one of " + s.getEnumSymbols()));
        return null;
    }

    private Object readInt(JsonParser p, JsonToken t, String path, int item, Problems problems) throws IOException {
        Long v = integral(p, t, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (v != null) return v.intValue();
        return wrongType(path, p, t, "an integer", item, problems);
    }

    private Object readDouble(JsonParser p, JsonToken t, String path, int item, Problems problems) throws IOException {
        double d = Double.NaN;
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            d = p.getDoubleValue();
        } else if (t == JsonToken.VALUE_STRING) {
            String text = p.getText();
            if (text.length() <= FieldLimits.NUMERIC_TEXT_MAX_CHARS && NUMBER_TEXT.matcher(text).matches()) d = Double.parseDouble(text.trim());
        }
        // Infinity (1e999) is not a number of any scale the validators check.
        if (Double.isFinite(d)) return d;
        return wrongType(path, p, t, "a number", item, problems);
    }

    private Object readLong(Schema s, JsonParser p, JsonToken t, String path, int item, Problems problems) throws IOException {
        LogicalType logical = s.getLogicalType();
        if (logical instanceof LogicalTypes.TimestampMillis) return readTime(p, t, path, item, problems);
        Long v = integral(p, t, Long.MIN_VALUE, Long.MAX_VALUE);
        if (v != null) return v;
        return wrongType(path, p, t, "an integer", item, problems);
    }

    /**
     * The whole number the value holds within [min, max] — a JSON integer, a JSON number with no
     * fraction ({@code 4.0}), or a string of at most {@link FieldLimits#NUMERIC_TEXT_MAX_CHARS}
     * characters matching {@link JsonSchemas#INTEGER_TEXT} — else null. The
     * string's length is checked before it is parsed: parsing costs time in its length.
     */
    private static Long integral(JsonParser p, JsonToken t, long min, long max) throws IOException {
        switch (t) {
            case VALUE_NUMBER_INT: {
                JsonParser.NumberType type = p.getNumberType();
                if (type == JsonParser.NumberType.BIG_INTEGER) return null;
                long v = p.getLongValue();
                return v >= min && v <= max ? v : null;
            }
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                return d == Math.rint(d) && d >= min && d <= max ? (long) d : null;
            }
            case VALUE_STRING: {
                String text = p.getText();
                if (text.length() > FieldLimits.NUMERIC_TEXT_MAX_CHARS || !isIntegerText(text)) return null;
                try {
                    long v = Long.parseLong(text.trim());
                    return v >= min && v <= max ? v : null;
                } catch (NumberFormatException e) {
                    return null; // beyond a long
                }
            }
            default:
                return null;
        }
    }

    /**
     * A timestamp: epoch milliseconds (a number, or a string of digits), or ISO-8601 with an offset
     * ({@code 2026-11-28T14:03:12Z}, {@code 2026-11-28T15:03:12+01:00}). A local time without an
     * offset is refused: which zone it meant cannot be guessed. Text longer than
     * {@link FieldLimits#TIME_TEXT_MAX_CHARS} is refused before it is parsed.
     */
    private Object readTime(JsonParser p, JsonToken t, String path, int item, Problems problems) throws IOException {
        Long ms = integral(p, t, Long.MIN_VALUE, Long.MAX_VALUE);
        if (ms != null) return Instant.ofEpochMilli(ms);
        String tooLong = "";
        if (t == JsonToken.VALUE_STRING) {
            String text = p.getText();
            if (text.length() <= FieldLimits.TIME_TEXT_MAX_CHARS) {
                text = text.trim();
                Instant common = IsoTimes.parseCommon(text);
                if (common != null) return common;
                try {
                    return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                } catch (DateTimeException e) {
                    // fall through to the problem
                }
            } else {
                tooLong = ", and is longer than " + FieldLimits.TIME_TEXT_MAX_CHARS + " characters";
            }
        }
        if (problems.full()) problems.count(item);
        else problems.add(new Problem(item, path, Problem.Code.BAD_TIME, path + " " + shown(p, t)
                + " is neither ISO-8601 with an offset (2026-11-28T14:03:12Z, 2026-11-28T15:03:12+01:00) nor epoch milliseconds" + tooLong));
        p.skipChildren();
        return null;
    }

    private static Object wrongType(String path, JsonParser p, JsonToken t, String expected, int item, Problems problems) throws IOException {
        if (problems.full()) problems.count(item);
        else problems.add(new Problem(item, path, Problem.Code.WRONG_TYPE,
                path + " is a JSON " + kind(t) + " (" + shown(p, t) + "), expected " + expected));
        p.skipChildren(); // an object or array is passed over, not read
        return null;
    }

    /** The JSON type of a value's first token, as the problems name it. */
    static String kind(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    /** A value as a problem shows it: at most 40 characters; an object or array is not shown. */
    private static String shown(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> "{...}";
            case START_ARRAY -> "[...]";
            case VALUE_STRING -> "\"" + abbreviate(p.getText()) + "\"";
            default -> abbreviate(p.getText());
        };
    }

    private SpecificRecord newRecord(Schema s) {
        try {
            return (SpecificRecord) constructors.get(s).newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a " + s.getFullName(), e);
        }
    }

    /**
     * Whether {@code s} matches {@link JsonSchemas#INTEGER_TEXT} ({@code \s*[-+]?[0-9]+\s*}).
     * Hand-written: a regex Matcher per value was a third of the allocation of reading a time.
     */
    static boolean isIntegerText(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) i++;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
        int digits = i;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        if (i == digits) return false;
        while (i < n && isSpace(s.charAt(i))) i++;
        return i == n;
    }

    /** {@code \s} of java.util.regex: space, \t, \n, \u000B, \f, \r. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static Schema nonNull(Schema union) {
        List<Schema> types = union.getTypes();
        for (int i = 0; i < types.size(); i++) { // indexed: no iterator per value
            if (types.get(i).getType() != Schema.Type.NULL) return types.get(i);
        }
        throw new IllegalArgumentException("union without a non-null branch: " + union);
    }

    private static String suggestion(String name, Schema s) {
        // Names far longer than any field cannot be within 3 edits of one: not compared at all.
        if (name.length() > 64) return "";
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Schema.Field f : s.getFields()) {
            int d = DISTANCE.apply(name.toLowerCase(Locale.ROOT), f.name().toLowerCase(Locale.ROOT));
            if (d >= 0 && d < bestDistance) {
                best = f.name();
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
