/**
 * A running instance of the pipeline: {@link org.brandequity.runtime.Pipeline} owns the Kafka Streams
 * client, its state listener and exception handler, its meter registry and its query API;
 * {@link org.brandequity.runtime.OutputWatcher} reads the output topics for the brand-level gauges;
 * {@link org.brandequity.runtime.DeadLetterSummary} logs dead letters one line per interval.
 */
package org.brandequity.runtime;
