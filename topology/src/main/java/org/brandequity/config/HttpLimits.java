package org.brandequity.config;

import java.time.Duration;

/**
 * What one HTTP port of this process may spend on its clients ({@code http.*} keys; docs/security.md):
 * the ingestion service, the query API and the metrics endpoint each get these limits on their own port.
 *
 * @param maxThreads          request threads of the port's bounded pool
 * @param maxConnections      open connections the port accepts; beyond, it stops accepting until one closes
 * @param idleTimeout         a connection on which nothing arrives (or can be sent) for this long is closed,
 *                            whether it is in the middle of a request's headers or between requests
 * @param idleTimeoutAtLimit  the idle timeout of every connection while the port is at {@code maxConnections}
 */
public record HttpLimits(int maxThreads, int maxConnections, Duration idleTimeout, Duration idleTimeoutAtLimit) {
    /** Fewest request threads a port can work with: Jetty leases one acceptor and one selector thread from the pool. */
    public static final int MIN_THREADS = 8;

    /** The keys' defaults. */
    public static final HttpLimits DEFAULTS = new HttpLimits(128, 512, Duration.ofSeconds(20), Duration.ofSeconds(2));

    public HttpLimits {
        if (maxThreads < MIN_THREADS) throw new IllegalArgumentException("maxThreads < " + MIN_THREADS);
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections < 1");
    }
}
