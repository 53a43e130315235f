package org.brandequity.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
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
 * @param <T> the contract's generated class
 */
public final class ContractCodec<T extends SpecificRecord> {
    private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(3);
    private static final Pattern INTEGER_TEXT = Pattern.compile(JsonSchemas.INTEGER_TEXT);
    private static final Pattern NUMBER_TEXT = Pattern.compile(JsonSchemas.NUMBER_TEXT);

    private final Schema schema;
    private final Function<T, String> key;
    private final Validation<T> validation;

    /** The pipeline's validation of a decoded record: every violation. */
    @FunctionalInterface
    private interface Validation<T> {
        List<Violation> violations(T record, String key, long nowMs);
    }

    private ContractCodec(Schema schema, Function<T, String> key, Validation<T> validation) {
        this.schema = schema;
        this.key = key;
        this.validation = validation;
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
     * Reads {@code node} as the contract and validates it.
     *
     * @param node     one JSON object
     * @param item     the item's index, put into every problem
     * @param nowMs    the clock, for the future-time check
     * @param problems where every problem is appended
     * @return the record, or {@code null} when any problem was found
     */
    @SuppressWarnings("unchecked")
    public T decode(JsonNode node, int item, long nowMs, List<Problem> problems) {
        int before = problems.size();
        Object value = read(schema, node, "", item, problems);
        if (problems.size() > before) return null;
        T record = (T) value;
        for (Violation v : validation.violations(record, key.apply(record), nowMs)) problems.add(Problem.of(item, v));
        return problems.size() > before ? null : record;
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

    private Object read(Schema s, JsonNode node, String path, int item, List<Problem> problems) {
        switch (s.getType()) {
            case RECORD:
                return readRecord(s, node, path, item, problems);
            case UNION:
                if (node.isNull()) return null;
                return read(nonNull(s), node, path, item, problems);
            case STRING:
                if (node.isTextual()) return node.textValue();
                return wrongType(path, node, "a string", item, problems);
            case ENUM:
                return readEnum(s, node, path, item, problems);
            case INT:
                return readInt(node, path, item, problems);
            case LONG:
                return readLong(s, node, path, item, problems);
            case DOUBLE:
                return readDouble(node, path, item, problems);
            default:
                throw new IllegalArgumentException("the JSON form does not cover Avro type " + s.getType() + " (" + path + ")");
        }
    }

    private Object readRecord(Schema s, JsonNode node, String path, int item, List<Problem> problems) {
        if (!node.isObject()) return wrongType(path, node, "an object", item, problems);
        SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, s);
        for (Schema.Field f : s.getFields()) {
            JsonNode value = node.get(f.name());
            String fieldPath = path.isEmpty() ? f.name() : path + "." + f.name();
            if (value == null || value.isNull()) {
                if (f.hasDefaultValue()) {
                    record.put(f.pos(), SpecificData.get().getDefaultValue(f));
                } else if (value != null && f.schema().getType() == Schema.Type.UNION) {
                    record.put(f.pos(), null);
                } else {
                    problems.add(new Problem(item, fieldPath, Problem.Code.MISSING_FIELD, fieldPath + " is required"));
                }
                continue;
            }
            record.put(f.pos(), read(f.schema(), value, fieldPath, item, problems));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (s.getField(name) == null) {
                String fieldPath = path.isEmpty() ? name : path + "." + name;
                problems.add(new Problem(item, fieldPath, Problem.Code.UNKNOWN_FIELD,
                        "'" + fieldPath + "' is not a field of " + s.getName() + suggestion(name, s) + "; fields: " + fieldNames(s)));
            }
        }
        return record;
    }

    private Object readEnum(Schema s, JsonNode node, String path, int item, List<Problem> problems) {
        if (!node.isTextual()) return wrongType(path, node, "one of " + s.getEnumSymbols(), item, problems);
        String text = node.textValue();
        if (s.hasEnumSymbol(text)) return SpecificData.get().createEnum(text, s);
        problems.add(new Problem(item, path, Problem.Code.UNKNOWN_SYMBOL,
                path + " '" + text + "' is not one of " + s.getEnumSymbols()));
        return null;
    }

    private Object readInt(JsonNode node, String path, int item, List<Problem> problems) {
        JsonNode n = numeric(node, true);
        if (n != null && n.canConvertToInt() && n.canConvertToExactIntegral()) return n.intValue();
        return wrongType(path, node, "an integer", item, problems);
    }

    private Object readDouble(JsonNode node, String path, int item, List<Problem> problems) {
        JsonNode n = numeric(node, false);
        if (n != null) return n.doubleValue();
        return wrongType(path, node, "a number", item, problems);
    }

    private Object readLong(Schema s, JsonNode node, String path, int item, List<Problem> problems) {
        LogicalType logical = s.getLogicalType();
        if (logical instanceof LogicalTypes.TimestampMillis) return readTime(node, path, item, problems);
        JsonNode n = numeric(node, true);
        if (n != null && n.canConvertToLong() && n.canConvertToExactIntegral()) return n.longValue();
        return wrongType(path, node, "an integer", item, problems);
    }

    /**
     * A timestamp: epoch milliseconds (a number, or a string of digits), or ISO-8601 with an offset
     * ({@code 2026-11-28T14:03:12Z}, {@code 2026-11-28T15:03:12+01:00}). A local time without an
     * offset is refused: which zone it meant cannot be guessed.
     */
    private Object readTime(JsonNode node, String path, int item, List<Problem> problems) {
        JsonNode n = numeric(node, true);
        if (n != null && n.canConvertToLong() && n.canConvertToExactIntegral()) return Instant.ofEpochMilli(n.longValue());
        if (node.isTextual()) {
            String text = node.textValue().trim();
            Instant common = IsoTimes.parseCommon(text);
            if (common != null) return common;
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeException e) {
                // fall through to the problem
            }
        }
        problems.add(new Problem(item, path, Problem.Code.BAD_TIME, path + " " + node
                + " is neither ISO-8601 with an offset (2026-11-28T14:03:12Z, 2026-11-28T15:03:12+01:00) nor epoch milliseconds"));
        return null;
    }

    /**
     * The number {@code node} holds, as a JSON number or as a string holding one
     * ({@link JsonSchemas#INTEGER_TEXT} or {@link JsonSchemas#NUMBER_TEXT}), or null.
     */
    private static JsonNode numeric(JsonNode node, boolean integer) {
        if (node.isNumber()) return node;
        if (!node.isTextual()) return null;
        String text = node.textValue();
        if (!(integer ? INTEGER_TEXT : NUMBER_TEXT).matcher(text).matches()) return null;
        return DecimalNode.valueOf(new BigDecimal(text.trim()));
    }

    private static Object wrongType(String path, JsonNode node, String expected, int item, List<Problem> problems) {
        problems.add(new Problem(item, path, Problem.Code.WRONG_TYPE,
                path + " is a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT) + " (" + abbreviate(node.toString()) + "), expected " + expected));
        return null;
    }

    private static Schema nonNull(Schema union) {
        for (Schema branch : union.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) return branch;
        }
        throw new IllegalArgumentException("union without a non-null branch: " + union);
    }

    private static String suggestion(String name, Schema s) {
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

    private static List<String> fieldNames(Schema s) {
        List<String> names = new ArrayList<>();
        for (Schema.Field f : s.getFields()) names.add(f.name());
        return names;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
