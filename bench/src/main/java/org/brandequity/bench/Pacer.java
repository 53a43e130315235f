package org.brandequity.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Sends at a fixed rate: the i-th send is due {@code i / rate} seconds after the pacer was made.
 * Waits for a send that is early, and remembers how far behind schedule a late one was (the
 * producer's own limit, reported beside the figures of the latency phases).
 */
final class Pacer {
    private final long startNanos = System.nanoTime();
    private final double rate;
    private long maxBehindNanos;

    /** @param rate sends per second, > 0 */
    Pacer(double rate) {
        if (!(rate > 0)) throw new IllegalArgumentException("rate must be > 0, got " + rate);
        this.rate = rate;
    }

    /** Returns when send {@code i} (from 0) is due: at once if it is already late. */
    void awaitSend(long i) {
        long target = startNanos + (long) (i * 1e9 / rate);
        long now = System.nanoTime();
        if (now < target) {
            LockSupport.parkNanos(target - now);
        } else {
            maxBehindNanos = Math.max(maxBehindNanos, now - target);
        }
    }

    /** {@link System#nanoTime()} when the pacer was made: the due time of send 0. */
    long startNanos() {
        return startNanos;
    }

    /** The furthest behind schedule a send was, in nanoseconds. */
    long maxBehindNanos() {
        return maxBehindNanos;
    }
}
