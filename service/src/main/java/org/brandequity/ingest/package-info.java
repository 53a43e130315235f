/**
 * Bringing data in: the {@code ingest} HTTP service ({@link org.brandequity.ingest.IngestServer},
 * JSON bodies validated against the public contracts) and the {@code import} command for CSV and
 * NDJSON files ({@link org.brandequity.ingest.FileImport}), both writing the input topics through one
 * producer ({@link org.brandequity.ingest.IngestProducers}). Its commands are registered by the CLI;
 * it never depends on {@code cli} or {@code query}.
 */
package org.brandequity.ingest;
