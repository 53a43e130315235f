/**
 * The pipeline's Prometheus endpoint: {@link org.brandequity.metrics.MetricsServer} serves the Kafka
 * Streams metrics, the pipeline's counters and the domain gauges of
 * {@link org.brandequity.metrics.DomainMetrics} (brand equity, segments, touchpoints, alerts), folded
 * from the output topics with bounded labels ({@code GaugeTable}, {@code SegmentScoreFold}).
 */
package org.brandequity.metrics;
