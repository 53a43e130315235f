/**
 * The configuration: every key defined once with type, default, validator and documentation
 * ({@code *Keys}, one {@code ConfigDef} entry per key, as Kafka's {@code StreamsConfig}), the
 * sources and their precedence (file, {@code BRANDEQUITY_*} environment, {@code --set}), and the
 * typed, validated {@link org.brandequity.config.PipelineConfig} a command runs with. The tables in
 * docs/configuration.md are generated from these definitions.
 *
 * <p>Depends on Kafka's config classes and on {@code model} for the domain values it builds
 * ({@code ModelConfig}, {@code WindowPolicy}...); never on the topology or the service.
 */
package org.brandequity.config;
