/**
 * The interactive queries (docs/queries.md). {@link org.brandequity.query.QueryApi} is the REST layer
 * (bind, TLS, bearer tokens, routing, status codes, JSON); {@code KeyOwnership} says which instance
 * answers a key (the metadata side); {@code PeerClient} forwards to the owning instance;
 * {@code StoreQueries} builds each answer from the state the topology exposes through
 * {@link org.brandequity.topology.PipelineStores}, never from store names or internal state records.
 * Never depends on {@code ingest}.
 */
package org.brandequity.query;
