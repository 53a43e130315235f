package org.brandequity.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerAlertState;

/**
 * Follows the customer-alerts topic (every partition, read_committed, as a CRM consumer must) on a
 * thread of its own and records, for each customer whose id starts with {@code prefix}, the
 * {@link System#nanoTime()} at which the poll that returned their first FIRING alert came back.
 * FIRING alerts of other customers (the background traffic's) are counted.
 */
final class AlertWatcher implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<CustomerAlert> deserializer;
    private final String topic;
    private final String prefix;
    private final Thread thread;
    private final Map<String, Long> firstFiring = new ConcurrentHashMap<>();
    private volatile long otherFiring;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    AlertWatcher(String bootstrap, String topic, String prefix, Deserializer<CustomerAlert> deserializer) {
        this.consumer = Bench.committedReader(bootstrap);
        this.deserializer = deserializer;
        this.topic = topic;
        this.prefix = prefix;
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "alert-watcher-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    CustomerAlert a = deserializer.deserialize(topic, r.value());
                    if (a.getState() != CustomerAlertState.FIRING) continue;
                    if (a.getCustomerId().startsWith(prefix)) {
                        firstFiring.putIfAbsent(a.getCustomerId(), now);
                    } else {
                        otherFiring++; // only this thread writes
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close()
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** When {@code customer}'s first FIRING alert was read, or null. */
    Long firstFiring(String customer) {
        if (failure != null) throw failure;
        return firstFiring.get(customer);
    }

    /** Waits until {@code n} watched customers have fired; the nanoTime then, or -1 on timeout. */
    long awaitFired(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (firstFiring.size() < n) {
            if (failure != null) throw failure;
            if (System.nanoTime() > deadline) return -1;
            Thread.sleep(20);
        }
        return System.nanoTime();
    }

    /** FIRING alerts of customers outside the watched prefix read so far. */
    long otherFiring() {
        return otherFiring;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
