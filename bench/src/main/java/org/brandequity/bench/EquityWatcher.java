package org.brandequity.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.brandequity.avro.BrandEquity;

/**
 * Follows the brand-equity topic (read_committed, as any consumer of an exactly-once pipeline must)
 * on a thread of its own and records, for every equity record, the {@link System#nanoTime()} at
 * which the poll that returned it came back and the record's {@code events} count.
 */
final class EquityWatcher implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<BrandEquity> deserializer;
    private final String topic;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private final Object lock = new Object();
    private long[] times = new long[1024];
    private long[] events = new long[1024];
    private int size;
    private long latest = -1;

    EquityWatcher(String bootstrap, String topic, Deserializer<BrandEquity> deserializer) {
        this.consumer = Bench.committedReader(bootstrap);
        this.deserializer = deserializer;
        this.topic = topic;
        TopicPartition tp = new TopicPartition(topic, 0); // the equity topic has one partition (one brand key)
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        this.thread = new Thread(this::run, "equity-watcher-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    BrandEquity e = deserializer.deserialize(topic, r.value());
                    synchronized (lock) {
                        if (size == times.length) {
                            times = Arrays.copyOf(times, size * 2);
                            events = Arrays.copyOf(events, size * 2);
                        }
                        times[size] = now;
                        events[size] = e.getEvents();
                        size++;
                        latest = Math.max(latest, e.getEvents());
                        lock.notifyAll();
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close()
        } catch (RuntimeException e) {
            failure = e;
            synchronized (lock) {
                lock.notifyAll();
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The nanoTime at which an equity record with at least {@code n} events was seen, or -1 on timeout. */
    long awaitAtLeast(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                if (failure != null) throw failure;
                for (int i = 0; i < size; i++) {
                    if (events[i] >= n) return times[i];
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) return -1;
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    long latest() {
        synchronized (lock) {
            return latest;
        }
    }

    /** (time, events) of every equity record seen so far, events made non-decreasing. */
    long[][] observations() {
        synchronized (lock) {
            long[] t = Arrays.copyOf(times, size);
            long[] e = Arrays.copyOf(events, size);
            for (int i = 1; i < e.length; i++) e[i] = Math.max(e[i], e[i - 1]);
            return new long[][] {t, e};
        }
    }

    /** Time of the first equity record, or -1. */
    long firstTime() {
        synchronized (lock) {
            return size == 0 ? -1 : times[0];
        }
    }

    long firstEvents() {
        synchronized (lock) {
            return size == 0 ? -1 : events[0];
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
