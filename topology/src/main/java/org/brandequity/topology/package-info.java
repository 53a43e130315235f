/**
 * The Kafka Streams topology: {@link org.brandequity.topology.BrandEquityTopology#build} wires the
 * steps from the input topics (interactions, profiles) through validation, the customer ledger
 * (deduplication, the lateness gate, scoring), window closing, segment and touchpoint windows and
 * the equity fold to the output topics and the dead-letter topic. Every processor, store and
 * repartition topic is named (pinned by the golden description in
 * {@code topology/src/test/resources/upgrade/topology-description.txt}).
 *
 * <p>Owns the state stores and their encodings (state schemas in {@code src/main/avro/internal});
 * readers outside the topology go through {@code PipelineStores}, never through store names or
 * internal records. The math is {@code model}'s; this package only applies it to records.
 * Depends on {@code model}, {@code config} and {@code wire}; never on the service's packages.
 */
package org.brandequity.topology;
