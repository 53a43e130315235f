/**
 * The live console (docs/console.md): a web page served by the query API's server, and the
 * server-sent event stream that feeds it. It owns the page's assets and {@link ConsoleFeed}, which
 * reads the pipeline's own query endpoints over HTTP, so every figure on the page is the API's.
 * May depend on {@code config} and the HTTP libraries; never on {@code query} (which mounts it),
 * {@code runtime} or {@code ingest}.
 */
package org.brandequity.console;
