package org.brandequity.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;

/**
 * What {@code import} reads from a file (docs/ingest.md, "Importing files"): the contract, and for
 * each contract field the column it comes from or a constant, with an optional value map, linear
 * scale or time format. Loaded from YAML; checked against the contract's Avro schema at load, so a
 * mapping naming an unknown field, option or time zone fails before the first row is read.
 *
 * <pre>
 * contract: interactions
 * fields:
 *   eventId: Response ID            # optional: without it the id is derived from the row
 *   customerId: Customer ID         # a plain column
 *   eventTime: {column: Submitted At, format: "yyyy-MM-dd HH:mm:ss", zone: Europe/Berlin}
 *   rating: {column: CSAT, values: {Very satisfied: 5, Satisfied: 4, ...}}
 *   effort: {column: Effort 1-10, scale: {from: [1, 10], to: [1, 7]}}
 * constants:
 *   stage: USAGE
 * </pre>
 */
public final class ImportMapping {
    /** The field of an interaction whose time {@code --shift-to-now} moves, and which a derived id fills. */
    public static final String EVENT_TIME = "eventTime";
    public static final String EVENT_ID = "eventId";

    /** The public contract a file feeds. */
    public enum Contract {
        INTERACTIONS(CustomerInteraction.getClassSchema()),
        PROFILES(CustomerProfile.getClassSchema());

        private final Schema schema;

        Contract(Schema schema) {
            this.schema = schema;
        }

        public Schema schema() {
            return schema;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Contract of(String text) {
            for (Contract c : values()) if (c.label().equals(text)) return c;
            throw new IllegalArgumentException("mapping: contract '" + text + "' is neither interactions nor profiles");
        }
    }

    /**
     * One contract field: from {@code column} (then optionally through {@code values}, {@code scale}
     * and {@code time}), or the {@code constant}.
     */
    public record Rule(String field, String column, String constant, Map<String, String> values, Scale scale, TimeFormat time) {}

    /**
     * A linear rescale of a numeric answer: {@code from} [a, b] onto {@code to} [c, d],
     * y = c + (x - a) * (d - c) / (b - a), rounded half up for whole-number fields. A value outside
     * [a, b] is a rejected row, not a silently clipped one.
     */
    public record Scale(double fromLow, double fromHigh, double toLow, double toHigh) {
        public double apply(double x) {
            return toLow + (x - fromLow) * (toHigh - toLow) / (fromHigh - fromLow);
        }

        public boolean accepts(double x) {
            return x >= Math.min(fromLow, fromHigh) && x <= Math.max(fromLow, fromHigh);
        }
    }

    private static final Set<String> TOP_KEYS = Set.of("contract", "fields", "constants", "csv");
    private static final Set<String> RULE_KEYS = Set.of("column", "values", "scale", "format", "zone");
    private static final Set<String> CSV_KEYS = Set.of("separator");

    private final Contract contract;
    private final List<Rule> rules;
    private final char separator;

    ImportMapping(Contract contract, List<Rule> rules, char separator) {
        this.contract = contract;
        this.rules = List.copyOf(rules);
        this.separator = separator;
    }

    public Contract contract() {
        return contract;
    }

    /** The rules in the contract's field order. */
    public List<Rule> rules() {
        return rules;
    }

    /** The CSV field separator ({@code csv: {separator: ";"}}), ',' by default. */
    public char separator() {
        return separator;
    }

    /** Whether the event id comes from a column (else it is derived from the row). */
    public boolean hasEventIdColumn() {
        return rules.stream().anyMatch(r -> r.field().equals(EVENT_ID) && r.column() != null);
    }

    /**
     * The mapping of a file already in the contract's JSON form (NDJSON without --mapping): every
     * field from the property of its name ({@code spend.amount} from the nested object), times
     * ISO-8601 or epoch milliseconds like the HTTP door.
     */
    public static ImportMapping identity(Contract contract) {
        List<Rule> rules = new ArrayList<>();
        for (String field : Fields.paths(contract.schema())) {
            boolean time = Fields.isTimestamp(Fields.type(contract.schema(), field));
            rules.add(new Rule(field, field, null, Map.of(), null, time ? TimeFormat.of("auto", "UTC") : null));
        }
        return new ImportMapping(contract, rules, ',');
    }

    /**
     * Loads and checks a mapping file.
     *
     * @throws IllegalArgumentException one line naming the problem (a usage error, exit status 2)
     */
    public static ImportMapping load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read mapping " + file + ": " + e.getMessage().split("\n")[0]);
        }
        try {
            ImportMapping mapping = parse(root);
            new RowMapper(mapping); // checks constants and value-map targets against the contract now, not at the first row
            return mapping;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mapping " + file + ": " + e.getMessage());
        }
    }

    /** The mapping of a parsed YAML (or JSON) tree. */
    static ImportMapping parse(JsonNode root) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("expected a map with contract and fields");
        onlyKeys(root, TOP_KEYS, "top level");
        if (!root.path("contract").isTextual()) throw new IllegalArgumentException("contract: interactions or profiles is required");
        Contract contract = Contract.of(root.get("contract").asText());
        Schema schema = contract.schema();
        List<String> paths = Fields.paths(schema);
        Map<String, Rule> byField = new LinkedHashMap<>();

        JsonNode fields = root.path("fields");
        if (!fields.isObject()) throw new IllegalArgumentException("fields: a map of contract field to column is required");
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = knownField(e.getKey(), paths);
            byField.put(field, rule(field, e.getValue(), schema));
        }
        JsonNode constants = root.path("constants");
        if (!constants.isMissingNode()) {
            if (!constants.isObject()) throw new IllegalArgumentException("constants: a map of contract field to value");
            for (Iterator<Map.Entry<String, JsonNode>> it = constants.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String field = knownField(e.getKey(), paths);
                if (byField.containsKey(field)) throw new IllegalArgumentException(field + " is both a column and a constant");
                if (field.equals(EVENT_ID)) throw new IllegalArgumentException("eventId cannot be a constant (every event would count once)");
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new IllegalArgumentException("constants." + field + ": a single value is required");
                }
                byField.put(field, new Rule(field, null, e.getValue().asText(), Map.of(), null, null));
            }
        }
        for (String required : Fields.required(schema)) {
            if (!byField.containsKey(required) && !(contract == Contract.INTERACTIONS && required.equals(EVENT_ID))) {
                throw new IllegalArgumentException(required + " is required by the " + contract.label()
                        + " contract: map it to a column under fields or set it under constants");
            }
        }
        char separator = ',';
        JsonNode csv = root.path("csv");
        if (!csv.isMissingNode()) {
            onlyKeys(csv, CSV_KEYS, "csv");
            String s = csv.path("separator").asText(",");
            if (s.equals("\\t") || s.equals("tab")) s = "\t";
            if (s.length() != 1) throw new IllegalArgumentException("csv.separator: one character, got '" + s + "'");
            separator = s.charAt(0);
        }
        List<Rule> ordered = new ArrayList<>();
        for (String path : paths) if (byField.containsKey(path)) ordered.add(byField.get(path));
        return new ImportMapping(contract, ordered, separator);
    }

    private static Rule rule(String field, JsonNode spec, Schema schema) {
        Schema type = Fields.type(schema, field);
        boolean timestamp = Fields.isTimestamp(type);
        if (spec.isTextual()) {
            return new Rule(field, spec.asText(), null, Map.of(), null, timestamp ? TimeFormat.of("iso", "UTC") : null);
        }
        if (!spec.isObject()) throw new IllegalArgumentException("fields." + field + ": a column name or {column: ..., ...}");
        onlyKeys(spec, RULE_KEYS, "fields." + field);
        if (!spec.path("column").isTextual()) throw new IllegalArgumentException("fields." + field + ".column is required");
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode v = spec.path("values");
        if (!v.isMissingNode()) {
            if (!v.isObject()) throw new IllegalArgumentException("fields." + field + ".values: a map of file value to contract value");
            v.fields().forEachRemaining(e -> values.put(e.getKey().trim(), e.getValue().asText()));
        }
        Scale scale = null;
        JsonNode s = spec.path("scale");
        if (!s.isMissingNode()) {
            if (!Fields.isNumber(type)) throw new IllegalArgumentException("fields." + field + ".scale: " + field + " is not a number");
            JsonNode from = s.path("from");
            JsonNode to = s.path("to");
            if (!pair(from) || !pair(to) || from.get(0).asDouble() == from.get(1).asDouble()) {
                throw new IllegalArgumentException("fields." + field + ".scale: {from: [low, high], to: [low, high]} with low != high");
            }
            scale = new Scale(from.get(0).asDouble(), from.get(1).asDouble(), to.get(0).asDouble(), to.get(1).asDouble());
        }
        TimeFormat time = null;
        if (spec.has("format") || spec.has("zone")) {
            if (!timestamp) throw new IllegalArgumentException("fields." + field + ": format and zone are for time fields only");
        }
        if (timestamp) time = TimeFormat.of(spec.path("format").asText("iso"), spec.path("zone").asText("UTC"));
        return new Rule(field, spec.get("column").asText(), null, java.util.Collections.unmodifiableMap(values), scale, time);
    }

    private static boolean pair(JsonNode n) {
        return n.isArray() && n.size() == 2 && n.get(0).isNumber() && n.get(1).isNumber();
    }

    private static String knownField(String field, List<String> paths) {
        if (!paths.contains(field)) throw new IllegalArgumentException("unknown contract field '" + field + "'; the fields are " + paths);
        return field;
    }

    private static void onlyKeys(JsonNode node, Set<String> allowed, String where) {
        if (!node.isObject()) throw new IllegalArgumentException(where + ": expected a map");
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) throw new IllegalArgumentException(where + ": unknown key '" + k + "'; known: " + new java.util.TreeSet<>(allowed));
        });
    }
}
