package org.brandequity.ingest;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/** The fields of an Avro contract as a mapping names them: dotted paths into nested records. */
final class Fields {
    private Fields() {}

    /** Every leaf field, in schema order: eventId, ..., spend.amount, spend.currency. */
    static List<String> paths(Schema record) {
        List<String> paths = new ArrayList<>();
        collect(record, "", paths);
        return paths;
    }

    private static void collect(Schema record, String prefix, List<String> paths) {
        for (Schema.Field f : record.getFields()) {
            Schema t = nonNull(f.schema());
            if (t.getType() == Schema.Type.RECORD) collect(t, prefix + f.name() + ".", paths);
            else paths.add(prefix + f.name());
        }
    }

    /** Top-level fields with neither a default nor null allowed: a row without them is refused. */
    static List<String> required(Schema record) {
        List<String> required = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            if (!f.hasDefaultValue() && f.schema().getType() != Schema.Type.UNION) required.add(f.name());
        }
        return required;
    }

    /** The type of a dotted path, unions with null unwrapped. */
    static Schema type(Schema record, String path) {
        Schema current = record;
        for (String part : path.split("\\.")) {
            Schema.Field f = current.getField(part);
            if (f == null) throw new IllegalArgumentException("no field " + path + " in " + record.getName());
            current = nonNull(f.schema());
        }
        return current;
    }

    static Schema nonNull(Schema s) {
        if (s.getType() != Schema.Type.UNION) return s;
        for (Schema t : s.getTypes()) if (t.getType() != Schema.Type.NULL) return t;
        return s;
    }

    static boolean isTimestamp(Schema s) {
        return s.getType() == Schema.Type.LONG && s.getLogicalType() instanceof LogicalTypes.TimestampMillis;
    }

    static boolean isNumber(Schema s) {
        return switch (s.getType()) {
            case INT, LONG, FLOAT, DOUBLE -> !isTimestamp(s);
            default -> false;
        };
    }
}
