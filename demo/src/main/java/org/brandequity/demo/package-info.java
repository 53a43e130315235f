/**
 * The demo artifact's command line and the one-command demo. {@link org.brandequity.demo.DemoMain}
 * runs {@code demo} and {@code simulate} beside every command of the production jar ({@code run},
 * {@code topology}, {@code config}, {@code acls}, {@code ingest}, {@code import}). {@code demo} starts, in one JVM, an in-process KRaft broker,
 * the schema registry (a child JVM), the topics, the pipeline with its query API and metrics, the
 * HTTP ingestion service and the simulator ({@link org.brandequity.sim}), with the demo's own
 * defaults between the definitions' and the user's file; it prints a status line
 * ({@code StatusLine}) and writes {@code .demo/connection.properties} ({@code ConnectionFile}) so
 * that a second terminal's {@code import} reaches it. Owns no production code: the service module
 * never depends on it.
 */
package org.brandequity.demo;
