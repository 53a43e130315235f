package org.brandequity.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.brandequity.wire.SchemaRegistryClient;
import org.brandequity.wire.UnknownSchemaIdException;

/** Test fake: a registry in memory, for TopologyTestDriver tests that need no HTTP. */
final class InMemorySchemaRegistry implements SchemaRegistryClient {
    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<Schema, Integer> ids = new HashMap<>();
    private final Map<String, List<Schema>> subjects = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        Integer id = ids.computeIfAbsent(schema, s -> {
            int next = byId.size() + 1;
            byId.put(next, s);
            return next;
        });
        List<Schema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(schema)) versions.add(schema);
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema s = byId.get(id);
        if (s == null) throw new UnknownSchemaIdException("memory://", id, 404, 40403);
        return s;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return true;
    }
}
