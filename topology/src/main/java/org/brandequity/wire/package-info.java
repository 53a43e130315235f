/**
 * The wire formats at the topics' edge: Avro in the Confluent wire format (magic byte, schema id,
 * Avro binary) with a schema registry client speaking the Confluent REST API, plain Avro binary for
 * the state stores, and the bounded decoder that refuses what would cost more than its input.
 *
 * <p>Depends on Avro, Kafka's serde interfaces and the JDK's HTTP client only: nothing of the
 * project, so a downstream reader can use it alone (docs/downstream.md).
 */
package org.brandequity.wire;
