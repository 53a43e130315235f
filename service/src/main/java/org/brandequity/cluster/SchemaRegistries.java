package org.brandequity.cluster;

import org.brandequity.config.PipelineConfig;
import org.brandequity.config.PipelineKeys;
import org.brandequity.http.security.Tls;
import org.brandequity.wire.HttpSchemaRegistryClient;

/**
 * The one place a schema registry client is built from config, so every component (pipeline,
 * output watcher, simulator, demo, importers) authenticates, trusts and registers alike.
 */
public final class SchemaRegistries {
    private SchemaRegistries() {}

    /**
     * A client for {@code schema.registry.url} with {@code schema.registry.auth.*},
     * {@code schema.registry.ssl.*} and {@code schema.registry.auto.register}.
     *
     * @throws IllegalArgumentException naming the key, for an unreadable token file or trust store
     */
    public static HttpSchemaRegistryClient fromConfig(PipelineConfig config) {
        PipelineConfig.Registry r = config.registry();
        HttpSchemaRegistryClient.Builder builder = HttpSchemaRegistryClient.builder(config.schemaRegistryUrl())
                .autoRegister(r.autoRegister());
        if (!r.basicUser().isEmpty()) builder.basicAuth(r.basicUser() + ":" + r.basicPassword().value());
        r.bearer().ifPresent(token -> builder.bearerToken(token.value()));
        if (r.truststore().isSet()) {
            builder.sslContext(Tls.trusting(r.truststore(), PipelineKeys.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION_CONFIG));
        }
        return builder.build();
    }
}
