package org.brandequity.runtime;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.brandequity.model.DeadLetterReason;
import org.brandequity.topology.Counters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per interval for the records dead-lettered in it, with the count by reason and the
 * dead-letter topic that holds each record and its detail. The handlers log nothing per record, so
 * a flood of bad input (thousands a second) stays a line per interval, and a quiet interval logs
 * nothing. The last line comes when the instance closes.
 *
 * <p>Hand-written: log4j2's BurstFilter drops lines beyond a rate but does not say what it dropped,
 * and no logging library summarises counts by a key.
 */
final class DeadLetterSummary implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterSummary.class);

    private final Counters counters;
    private final String topic;
    private final Duration interval;
    private final Map<DeadLetterReason, Long> logged = new EnumMap<>(DeadLetterReason.class);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dead-letter-summary");
        t.setDaemon(true);
        return t;
    });
    private long lastAt = System.nanoTime();

    DeadLetterSummary(Counters counters, String topic, Duration interval) {
        this.counters = counters;
        this.topic = topic;
        this.interval = interval;
        for (DeadLetterReason r : DeadLetterReason.values()) logged.put(r, 0L);
    }

    void start() {
        timer.scheduleAtFixedRate(this::logNew, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Logs the dead letters counted since the last line, if any. */
    synchronized void logNew() {
        long now = System.nanoTime();
        long total = 0;
        StringJoiner byReason = new StringJoiner(", ");
        for (DeadLetterReason r : DeadLetterReason.values()) {
            long count = counters.deadLetters(r);
            long n = count - logged.put(r, count);
            if (n > 0) byReason.add(r.name() + " " + n);
            total += n;
        }
        if (total == 0) return;
        log.warn("{} {} dead-lettered in the last {} s ({}); details in topic '{}'", total, total == 1 ? "record" : "records",
                Math.max(1, Math.round((now - lastAt) / 1e9)), byReason, topic);
        lastAt = now;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        logNew();
    }
}
