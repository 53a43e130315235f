package org.brandequity.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/** Records rendered for the query API's JSON answers. */
final class AvroJson {
    private AvroJson() {}

    /**
     * An Avro record as maps and lists with the same field names as on the output topics, so a
     * query answer reads like the topic's record: timestamps as ISO-8601, enums by name.
     */
    static Object plain(Object value) {
        if (value instanceof IndexedRecord record) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Schema.Field f : record.getSchema().getFields()) map.put(f.name(), plain(record.get(f.pos())));
            return map;
        }
        if (value instanceof Collection<?> items) {
            List<Object> list = new ArrayList<>();
            items.forEach(i -> list.add(plain(i)));
            return list;
        }
        if (value instanceof CharSequence || value instanceof Enum<?> || value instanceof Instant) return value.toString();
        return value;
    }
}
