package org.brandequity.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.util.internal.JacksonUtils;

/**
 * The JSON Schema (draft 2020-12) of a contract's JSON form as {@link ContractCodec} reads it,
 * derived from the Avro schema: docs/ingest.md prints it, and a test keeps the page equal to what
 * this derives, so the documented form cannot drift from the contracts.
 *
 * <p>Derived by hand: Avro ships no JSON Schema writer, and the converters on Maven Central describe
 * Avro's own JSON encoding (wrapped unions), not this form.
 */
public final class JsonSchemas {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    public static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
    /** A string {@link ContractCodec} reads as an integer. */
    static final String INTEGER_TEXT = "^\\s*[-+]?[0-9]+\\s*$";
    /** A string {@link ContractCodec} reads as a number (no NaN, no infinities). */
    static final String NUMBER_TEXT = "^\\s*[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$";

    private JsonSchemas() {}

    /** The JSON Schema of {@code record}'s JSON form. */
    public static ObjectNode of(Schema record) {
        ObjectNode root = NODES.objectNode();
        root.put("$schema", DRAFT);
        root.put("title", record.getName());
        root.setAll(object(record));
        return root;
    }

    private static ObjectNode object(Schema record) {
        ObjectNode o = NODES.objectNode();
        if (record.getDoc() != null) o.put("description", record.getDoc());
        o.put("type", "object");
        ObjectNode properties = o.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (Schema.Field f : record.getFields()) {
            ObjectNode p = type(f.schema());
            if (f.doc() != null) p.put("description", f.doc());
            if (f.hasDefaultValue()) {
                JsonNode d = JacksonUtils.toJsonNode(f.defaultVal());
                p.set("default", d == null ? NODES.nullNode() : d);
            } else {
                required.add(f.name());
            }
            properties.set(f.name(), p);
        }
        if (!required.isEmpty()) o.set("required", required);
        o.put("additionalProperties", false);
        return o;
    }

    private static ObjectNode type(Schema s) {
        ObjectNode t = NODES.objectNode();
        switch (s.getType()) {
            case UNION -> {
                ArrayNode anyOf = t.putArray("anyOf");
                for (Schema branch : s.getTypes()) anyOf.add(type(branch));
            }
            case NULL -> t.put("type", "null");
            case RECORD -> t.setAll(object(s));
            case STRING -> t.put("type", "string");
            case ENUM -> {
                ArrayNode symbols = t.putArray("enum");
                s.getEnumSymbols().forEach(symbols::add);
                if (s.getDoc() != null) t.put("description", s.getDoc());
            }
            case INT, LONG -> {
                if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    ArrayNode anyOf = t.putArray("anyOf");
                    anyOf.addObject().put("type", "string").put("format", "date-time")
                            .put("description", "ISO-8601 with an offset or Z, e.g. 2026-11-28T14:03:12Z");
                    anyOf.addObject().put("type", "integer").put("description", "epoch milliseconds");
                    anyOf.addObject().put("type", "string").put("pattern", INTEGER_TEXT).put("description", "epoch milliseconds");
                } else {
                    numberOrNumericString(t, "integer");
                }
            }
            case DOUBLE, FLOAT -> numberOrNumericString(t, "number");
            default -> throw new IllegalArgumentException("the JSON form does not cover Avro type " + s.getType());
        }
        return t;
    }

    /** A number, or a string holding one: {@link ContractCodec} reads both. */
    private static void numberOrNumericString(ObjectNode t, String type) {
        ArrayNode anyOf = t.putArray("anyOf");
        anyOf.addObject().put("type", type);
        anyOf.addObject().put("type", "string").put("pattern", type.equals("integer") ? INTEGER_TEXT : NUMBER_TEXT);
    }
}
