package org.brandequity.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerAlertState;

/**
 * The customer-alerts topic's part of a {@link CommittedWatcher} (every partition, as a CRM consumer
 * reads it): for each customer whose id starts with {@code prefix}, the {@link System#nanoTime()} at
 * which the poll that returned their first FIRING alert came back. FIRING alerts of other customers
 * (the background traffic's) are counted.
 */
final class AlertWatcher implements AutoCloseable {
    private final String prefix;
    private final Map<String, Long> firstFiring = new HashMap<>();
    private long otherFiring;
    private final CommittedWatcher<CustomerAlert> watcher;

    AlertWatcher(String bootstrap, String topic, String prefix, Deserializer<CustomerAlert> deserializer) {
        this.prefix = prefix;
        this.watcher = new CommittedWatcher<>(bootstrap, topic, deserializer, this::seen);
    }

    private void seen(CustomerAlert a, long polledAt) {
        if (a.getState() != CustomerAlertState.FIRING) return;
        if (a.getCustomerId().startsWith(prefix)) {
            firstFiring.putIfAbsent(a.getCustomerId(), polledAt);
        } else {
            otherFiring++;
        }
    }

    /** When {@code customer}'s first FIRING alert was read, or null. */
    Long firstFiring(String customer) {
        return watcher.read(() -> firstFiring.get(customer));
    }

    /** Waits until {@code n} watched customers have fired; the nanoTime then, or -1 on timeout. */
    long awaitFired(int n, Duration timeout) throws InterruptedException {
        Long at = watcher.await(() -> firstFiring.size() >= n ? System.nanoTime() : null, timeout);
        return at == null ? -1 : at;
    }

    /** FIRING alerts of customers outside the watched prefix read so far. */
    long otherFiring() {
        return watcher.read(() -> otherFiring);
    }

    @Override
    public void close() throws InterruptedException {
        watcher.close();
    }
}
