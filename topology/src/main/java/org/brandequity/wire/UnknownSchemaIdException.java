package org.brandequity.wire;

/**
 * The registry answered that no schema has the requested id (HTTP 404, error code 40403).
 *
 * <p>Unlike its parent this is not transient: the registry is up and the id is simply not there
 * (a record from another cluster's registry, or a corrupted header).
 */
public class UnknownSchemaIdException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    private final int schemaId;

    public UnknownSchemaIdException(String registryUrl, int schemaId, int httpStatus, int errorCode) {
        super("Schema registry " + registryUrl + " has no schema with id " + schemaId,
                registryUrl, null, httpStatus, errorCode, null);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}
