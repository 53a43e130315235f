package org.brandequity.wire;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API this pipeline uses.
 *
 * <p>Implementations must be thread-safe: one client is shared by every serde of the application,
 * and Kafka Streams calls serdes from several stream threads.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * Registers {@code schema} under {@code subject} (idempotent: registering an already registered
     * schema returns its existing id) and returns the registry-wide schema id.
     *
     * @throws SchemaRegistryException when the registry refuses the schema (e.g. HTTP 409,
     *     incompatible) or cannot be reached after retries
     */
    int register(String subject, Schema schema);

    /**
     * Returns the schema with the registry-wide id {@code id}.
     *
     * @throws UnknownSchemaIdException when the registry answers that no such id exists
     * @throws SchemaRegistryException when the registry cannot be reached after retries
     */
    Schema schemaById(int id);

    @Override
    default void close() {}
}
