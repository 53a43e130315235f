/**
 * A local cluster for the demo, the tests and the benchmark: a real KRaft broker run in-process
 * from the Apache Kafka jars (plain, TLS or SASL/SCRAM with ACLs) and the launcher of the schema
 * registry jar built by the {@code registry} module. Never part of the production jar
 * ({@code ProductionJarIT} checks it); depends on nothing of the project.
 */
package org.brandequity.embedded;
