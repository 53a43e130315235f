package org.brandequity.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.AppSerdes;

/**
 * Reads the pipeline's output topics the way a downstream consumer does (read_committed), keeping
 * the latest brand equity and the latest window of each segment for the status line and gauges.
 *
 * <p>Each instance reads every partition (its own consumer group, never committed), so that with
 * several pipeline instances each one's metrics endpoint shows the whole brand, not the share of
 * partitions a shared group would hand it.
 */
public final class OutputWatcher implements AutoCloseable {
    /** Told of every output record on the watcher's thread, in topic order. */
    public interface Listener {
        void onEquity(BrandEquity equity);

        void onSegmentScore(SegmentExperienceScore score);

        /** A score-drop alert fired or resolved. */
        default void onAlert(ScoreDropAlert alert) {}
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final PipelineConfig config;
    private final AppSerdes serdes;
    private final Thread thread;
    private final AtomicLong records = new AtomicLong();
    private final Map<String, SegmentExperienceScore> segments = new ConcurrentHashMap<>();
    private volatile BrandEquity equity;
    private volatile boolean running = true;
    private volatile boolean started;

    public OutputWatcher(PipelineConfig config, AppSerdes serdes) {
        this.config = config;
        this.serdes = serdes;
        Properties p = new Properties();
        p.putAll(config.kafka());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.applicationId() + "-watcher-" + UUID.randomUUID());
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::poll, "output-watcher");
        thread.setDaemon(true);
    }

    /** Adds a listener; call before {@link #start()} to see every record. */
    public OutputWatcher listener(Listener listener) {
        listeners.add(listener);
        return this;
    }

    public OutputWatcher start() {
        started = true;
        thread.start();
        return this;
    }

    private void poll() {
        PipelineConfig.Topics t = config.topics();
        try {
            consumer.subscribe(t.readBack());
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records.incrementAndGet();
                    if (r.topic().equals(t.equity())) {
                        equity = serdes.brandEquity().deserializer().deserialize(r.topic(), r.value());
                        for (Listener l : listeners) l.onEquity(equity);
                    } else if (r.topic().equals(t.segmentScores())) {
                        SegmentExperienceScore s = serdes.segmentScore().deserializer().deserialize(r.topic(), r.value());
                        segments.merge(s.getSegment(), s, (old, now) -> now.getWindowStart().isBefore(old.getWindowStart()) ? old : now);
                        for (Listener l : listeners) l.onSegmentScore(s);
                    } else if (r.topic().equals(t.alerts())) {
                        ScoreDropAlert a = serdes.alert().deserializer().deserialize(r.topic(), r.value());
                        for (Listener l : listeners) l.onAlert(a);
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) throw e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }


    /** The config it reads the output topics with. */
    public PipelineConfig config() {
        return config;
    }

    /** Output records seen so far, on all watched topics. */
    public long records() {
        return records.get();
    }

    public BrandEquity equity() {
        return equity;
    }

    /** The latest window of each segment. */
    public Map<String, SegmentExperienceScore> segments() {
        return Map.copyOf(segments);
    }

    @Override
    public void close() {
        running = false;
        if (!started) {
            consumer.close(Duration.ZERO); // the poll thread, which otherwise closes it, never ran
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
