package org.brandequity.sim;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.brandequity.wire.SchemaRegistryClient;
import org.brandequity.wire.UnknownSchemaIdException;

/** Test fake: schema ids from a map, shared by equal schemas as in a real registry. */
final class InMemoryRegistry implements SchemaRegistryClient {
    private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    private final Map<String, Integer> subjects = new ConcurrentHashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        int id = ids.computeIfAbsent(schema, s -> ids.size() + 1);
        schemas.put(id, schema);
        subjects.put(subject, id);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema schema = schemas.get(id);
        if (schema == null) throw new UnknownSchemaIdException("memory", id, 404, 40403);
        return schema;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return true;
    }

    /** Subject names registered so far, e.g. customer-interactions-value. */
    Set<String> subjects() {
        return subjects.keySet();
    }
}
