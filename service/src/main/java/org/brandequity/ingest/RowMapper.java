package org.brandequity.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.brandequity.ingest.ImportMapping.Contract;
import org.brandequity.ingest.ImportMapping.Rule;
import org.brandequity.model.FieldLimits;

/**
 * A mapping compiled once per file: turns the raw values of its columns into the contract's JSON
 * form (the object {@code ContractCodec} decodes, as if it had come over HTTP). Everything that can
 * be decided per mapping — converters by Avro type, constants, enum symbols of value maps — is
 * decided here, so the per-row work is a few parses and map lookups.
 *
 * <p>Raw values are trimmed; an empty value is an absent field (the codec then refuses a missing
 * required one). A value map is exhaustive: a non-empty value it does not list is a problem.
 */
public final class RowMapper {
    /** A value that could not be converted: the contract field and why. */
    public record FieldProblem(String field, String reason) {}

    /** One row in the contract's JSON form, or the problems that kept fields out of it. */
    public record Mapped(ObjectNode node, List<FieldProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private enum Kind { STRING, ENUM, INT, LONG, DOUBLE, BOOLEAN, TIMESTAMP }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private record Compiled(Rule rule, String[] path, Kind kind, int slot, JsonNode constant, Map<String, JsonNode> values) {}

    private final Contract contract;
    private final List<String> columns;
    private final Compiled[] compiled;
    private final int eventIdSlot;
    private final int eventTimeSlot;
    private final TimeFormat eventTimeFormat;
    private final EventIds ids = new EventIds();

    public RowMapper(ImportMapping mapping) {
        this.contract = mapping.contract();
        Schema schema = contract.schema();
        Map<String, Integer> slots = new LinkedHashMap<>();
        List<Compiled> list = new ArrayList<>();
        int idSlot = -1;
        int timeSlot = -1;
        TimeFormat timeFormat = null;
        for (Rule r : mapping.rules()) {
            Schema type = Fields.type(schema, r.field());
            Kind kind = kind(r.field(), type);
            int slot = r.column() == null ? -1 : slots.computeIfAbsent(r.column(), c -> slots.size());
            JsonNode constant = null;
            if (r.constant() != null) {
                constant = constantOf(r.field(), kind, type, r.constant());
            }
            Map<String, JsonNode> values = new LinkedHashMap<>();
            r.values().forEach((from, to) -> values.put(from, constantOf(r.field(), kind, type, to)));
            list.add(new Compiled(r, r.field().split("\\."), kind, slot, constant, java.util.Collections.unmodifiableMap(values))); // file order, for messages
            if (r.field().equals(ImportMapping.EVENT_ID)) idSlot = slot;
            if (contract == Contract.INTERACTIONS && r.field().equals(ImportMapping.EVENT_TIME) && slot >= 0) {
                timeSlot = slot;
                timeFormat = r.time();
            }
        }
        this.columns = List.copyOf(slots.keySet());
        this.compiled = list.toArray(Compiled[]::new);
        this.eventIdSlot = idSlot;
        this.eventTimeSlot = timeSlot;
        this.eventTimeFormat = timeFormat;
    }

    /** The columns (CSV header names, or NDJSON property paths) this mapping reads; a row's values come in this order. */
    public List<String> columns() {
        return columns;
    }

    public Contract contract() {
        return contract;
    }

    /**
     * The row as the contract's JSON object.
     *
     * @param values  the raw values of {@link #columns()}, null where absent
     * @param shiftMs added to an interaction's eventTime ({@code --shift-to-now}); the derived id is
     *                taken from the raw values, so it does not depend on the shift
     */
    public Mapped map(String[] values, long shiftMs) {
        ObjectNode node = JSON.objectNode();
        List<FieldProblem> problems = null;
        for (Compiled c : compiled) {
            JsonNode value;
            if (c.constant != null) {
                value = c.constant;
            } else {
                String raw = values[c.slot];
                if (raw == null) continue;
                raw = raw.trim();
                if (raw.isEmpty()) continue;
                try {
                    value = convert(c, raw);
                    if (c.kind == Kind.TIMESTAMP && shiftMs != 0 && c.slot == eventTimeSlot) {
                        value = JSON.numberNode(value.longValue() + shiftMs);
                    }
                } catch (IllegalArgumentException | DateTimeException e) {
                    if (problems == null) problems = new ArrayList<>(2);
                    problems.add(new FieldProblem(c.rule.field(), "column '" + c.rule.column() + "': " + e.getMessage()));
                    continue;
                }
            }
            put(node, c.path, value);
        }
        if (contract == Contract.INTERACTIONS && eventIdSlot < 0) {
            node.put(ImportMapping.EVENT_ID, ids.derive(values));
        }
        return new Mapped(node, problems == null ? List.of() : problems);
    }

    /**
     * The unshifted event time of an interaction row, for {@code --shift-to-now}'s first pass;
     * {@link Long#MIN_VALUE} when the row has none or it does not parse (that row is rejected in
     * the second pass anyway).
     */
    public long eventTime(String[] values) {
        if (eventTimeSlot < 0 || values[eventTimeSlot] == null) return Long.MIN_VALUE;
        String raw = values[eventTimeSlot].trim();
        if (raw.isEmpty()) return Long.MIN_VALUE;
        try {
            return eventTimeFormat.parse(raw);
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Whether the event time is read from a column (what --shift-to-now moves). */
    public boolean hasEventTimeColumn() {
        return eventTimeSlot >= 0;
    }

    private static JsonNode convert(Compiled c, String raw) {
        if (!c.values.isEmpty()) {
            JsonNode mapped = c.values.get(raw);
            if (mapped == null) {
                throw new IllegalArgumentException("'" + raw + "' is not one of the mapped values " + c.values.keySet());
            }
            if (c.rule.scale() == null) return mapped;
            raw = mapped.asText();
        }
        return switch (c.kind) {
            case STRING, ENUM -> JSON.textNode(raw);
            case BOOLEAN -> booleanOf(raw);
            case TIMESTAMP -> JSON.numberNode(c.rule.time().parse(raw));
            case INT, LONG, DOUBLE -> number(c, numericText(raw));
        };
    }

    private static JsonNode number(Compiled c, String raw) {
        ImportMapping.Scale scale = c.rule.scale();
        if (scale == null) {
            return switch (c.kind) {
                case INT -> JSON.numberNode(wholeNumber(raw));
                case LONG -> JSON.numberNode(Long.parseLong(raw));
                default -> JSON.numberNode(decimal(raw));
            };
        }
        double x = decimal(raw);
        if (!scale.accepts(x)) {
            throw new IllegalArgumentException(raw + " is outside the scale's " + plain(scale.fromLow()) + ".." + plain(scale.fromHigh()));
        }
        double y = scale.apply(x);
        return switch (c.kind) {
            case INT -> JSON.numberNode((int) Math.round(y));
            case LONG -> JSON.numberNode(Math.round(y));
            default -> JSON.numberNode(y);
        };
    }

    /**
     * {@code raw}, when it is short enough to be a number: the length is checked before any parse,
     * which costs time in the length of the text.
     */
    private static String numericText(String raw) {
        if (raw.length() > FieldLimits.NUMERIC_TEXT_MAX_CHARS) {
            throw new IllegalArgumentException("a number of more than " + FieldLimits.NUMERIC_TEXT_MAX_CHARS + " characters is not read");
        }
        return raw;
    }

    private static int wholeNumber(String raw) {
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a whole number");
        }
    }

    private static double decimal(String raw) {
        try {
            double d = Double.parseDouble(raw);
            if (Double.isFinite(d)) return d;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + raw + "' is not a number");
    }

    private static JsonNode booleanOf(String raw) {
        if (raw.equalsIgnoreCase("true")) return JSON.booleanNode(true);
        if (raw.equalsIgnoreCase("false")) return JSON.booleanNode(false);
        throw new IllegalArgumentException("'" + raw + "' is neither true nor false");
    }

    private static void put(ObjectNode node, String[] path, JsonNode value) {
        ObjectNode target = node;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = target.get(path[i]);
            target = child instanceof ObjectNode o ? o : target.putObject(path[i]);
        }
        target.set(path[path.length - 1], value);
    }

    private static Kind kind(String field, Schema type) {
        if (Fields.isTimestamp(type)) return Kind.TIMESTAMP;
        return switch (type.getType()) {
            case STRING -> Kind.STRING;
            case ENUM -> Kind.ENUM;
            case INT -> Kind.INT;
            case LONG -> Kind.LONG;
            case FLOAT, DOUBLE -> Kind.DOUBLE;
            case BOOLEAN -> Kind.BOOLEAN;
            default -> throw new IllegalArgumentException("field " + field + " of type " + type.getType() + " cannot be mapped from a column");
        };
    }

    /** A constant or a value-map target, converted and checked once, when the mapping is compiled. */
    private static JsonNode constantOf(String field, Kind kind, Schema type, String text) {
        if (kind == Kind.ENUM && !type.getEnumSymbols().contains(text)) {
            throw new IllegalArgumentException(field + " value '" + text + "' is not a symbol of " + type.getName()
                    + "; accepted: " + type.getEnumSymbols());
        }
        try {
            return switch (kind) {
                case STRING, ENUM -> JSON.textNode(text);
                case BOOLEAN -> booleanOf(text);
                case INT -> JSON.numberNode(wholeNumber(text));
                case LONG, TIMESTAMP -> JSON.numberNode(Long.parseLong(text));
                case DOUBLE -> JSON.numberNode(decimal(text));
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " value: " + e.getMessage());
        }
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
