package org.brandequity.bench;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Follows an output topic from its beginning (every partition, read_committed, as any consumer of an
 * exactly-once pipeline must) on a thread of its own, and hands each record, decoded, to the
 * per-topic {@link Fold} with the {@link System#nanoTime()} at which the poll that returned it came
 * back. The fold runs under the watcher's lock; {@link #await} and {@link #read} take the same lock.
 */
final class CommittedWatcher<T> implements AutoCloseable {

    /** What a watcher keeps of each record: called on the watcher's thread, under its lock. */
    interface Fold<T> {
        void seen(T value, long polledAt);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<T> deserializer;
    private final String topic;
    private final Fold<T> fold;
    private final Thread thread;
    private final Object lock = new Object();
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    CommittedWatcher(String bootstrap, String topic, Deserializer<T> deserializer, Fold<T> fold) {
        this.consumer = committedReader(bootstrap);
        this.deserializer = deserializer;
        this.topic = topic;
        this.fold = fold;
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "watcher-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** A consumer of raw records that sees committed transactions only and commits no offsets. */
    static KafkaConsumer<byte[], byte[]> committedReader(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void run() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    T value = deserializer.deserialize(topic, r.value());
                    synchronized (lock) {
                        fold.seen(value, now);
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

    /**
     * Waits until {@code found}, evaluated under the lock after each record, gives a value; that
     * value, or null on timeout. Rethrows the watcher's failure.
     */
    <R> R await(Supplier<R> found, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                if (failure != null) throw failure;
                R r = found.get();
                if (r != null) return r;
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** {@code what}, read under the lock. Rethrows the watcher's failure. */
    <R> R read(Supplier<R> what) {
        if (failure != null) throw failure;
        synchronized (lock) {
            return what.get();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
