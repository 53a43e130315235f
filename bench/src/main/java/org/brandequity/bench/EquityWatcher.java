package org.brandequity.bench;

import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;
import org.brandequity.avro.BrandEquity;

/**
 * The brand-equity topic's part of a {@link CommittedWatcher}: for every equity record, the
 * {@link System#nanoTime()} at which the poll that returned it came back and the record's
 * {@code events} count.
 */
final class EquityWatcher implements AutoCloseable {
    private long[] times = new long[1024];
    private long[] events = new long[1024];
    private int size;
    private long latest = -1;
    private final CommittedWatcher<BrandEquity> watcher;

    EquityWatcher(String bootstrap, String topic, Deserializer<BrandEquity> deserializer) {
        this.watcher = new CommittedWatcher<>(bootstrap, topic, deserializer, this::seen);
    }

    private void seen(BrandEquity e, long polledAt) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            events = Arrays.copyOf(events, size * 2);
        }
        times[size] = polledAt;
        events[size] = e.getEvents();
        size++;
        latest = Math.max(latest, e.getEvents());
    }

    /** The nanoTime at which an equity record with at least {@code n} events was seen, or -1 on timeout. */
    long awaitAtLeast(long n, Duration timeout) throws InterruptedException {
        Long seen = watcher.await(() -> {
            for (int i = 0; i < size; i++) {
                if (events[i] >= n) return times[i];
            }
            return null;
        }, timeout);
        return seen == null ? -1 : seen;
    }

    long latest() {
        return watcher.read(() -> latest);
    }

    /** (time, events) of every equity record seen so far, events made non-decreasing. */
    long[][] observations() {
        return watcher.read(() -> {
            long[] t = Arrays.copyOf(times, size);
            long[] e = Arrays.copyOf(events, size);
            for (int i = 1; i < e.length; i++) e[i] = Math.max(e[i], e[i - 1]);
            return new long[][] {t, e};
        });
    }

    /** Time of the first equity record, or -1. */
    long firstTime() {
        return watcher.read(() -> size == 0 ? -1 : times[0]);
    }

    long firstEvents() {
        return watcher.read(() -> size == 0 ? -1 : events[0]);
    }

    @Override
    public void close() throws InterruptedException {
        watcher.close();
    }
}
