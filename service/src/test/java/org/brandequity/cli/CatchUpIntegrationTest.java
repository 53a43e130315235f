package org.brandequity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.Touchpoint;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.Polarity;
import org.brandequity.model.ScoringModel;
import org.brandequity.model.WindowGrid;
import org.brandequity.runtime.RealCluster;
import org.brandequity.topology.AppSerdes;
import org.junit.jupiter.api.Test;

/**
 * Catching up a backlog loses nothing. Four days of history for 300 customers on 3 partitions, all
 * produced before the pipeline starts, and deliberately uneven: the customers of partition 0 answer
 * every 20 minutes, the others every 3 hours, so partitions 1 and 2 reach the end of the backlog while
 * partition 0 is still on its first day. Then the production {@code run} command (child JVM, production
 * logging, default windows: 1 h every 15 min, grace 10 min, segment grace 1 h) catches up.
 *
 * <p>Every customer window must close (counted independently from the events sent) and land in its
 * segment window: the latest record per (segment, window start) must equal the batch recomputation
 * over the customer-score topic. And the log stays short: no line per record.
 */
class CatchUpIntegrationTest {
    private static final int PARTITIONS = 3;
    private static final int CUSTOMERS = 300;
    private static final Duration HISTORY = Duration.ofDays(4);
    private static final Duration DENSE = Duration.ofMinutes(20);
    private static final Duration SPARSE = Duration.ofHours(3);
    private static final List<String> SEGMENTS = List.of("broad-base", "high-value");
    private static final int MAX_LOG_LINES = 300;

    @Test
    void aMultiDayBacklogOnUnevenPartitionsPutsEveryCustomerWindowInItsSegmentWindowWithAShortLog() throws Exception {
        try (RealCluster cluster = new RealCluster()) {
            PipelineConfig config = cluster.config("catch-up", Map.of());
            PipelineConfig.Topics t = config.topics();
            TopicAdmin.ensureTopics(config);
            AppSerdes serdes = new AppSerdes(cluster.registry);
            WindowGrid grid = config.windows().grid();

            Instant start = Instant.now().minus(HISTORY).minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
            Instant end = start.plus(HISTORY);
            Random random = new Random(11);
            List<CustomerInteraction> backlog = new ArrayList<>();
            Map<String, String> segmentOf = new HashMap<>();
            for (int c = 0; c < CUSTOMERS; c++) {
                String customer = "c" + c;
                segmentOf.put(customer, SEGMENTS.get(c % SEGMENTS.size()));
                Duration every = partition(customer) == 0 ? DENSE : SPARSE;
                // Each customer starts at its own offset, so windows are not all filled at once.
                Instant time = start.plusSeconds(random.nextInt((int) every.toSeconds()));
                for (int i = 0; time.isBefore(end); i++, time = time.plus(every)) {
                    backlog.add(event(customer + "-" + i, customer, time, 1 + random.nextInt(5)));
                }
            }
            backlog.sort(Comparator.comparing(CustomerInteraction::getEventTime));
            // One event per partition, past the end of every backlog window plus grace, closes them all.
            Instant closeAll = end.plus(config.windows().size()).plus(config.windows().grace()).plus(config.windows().advance());
            List<CustomerInteraction> clocks = new ArrayList<>();
            for (int p = 0, k = 0; p < PARTITIONS; k++) {
                if (partition("clock-" + k) == p) {
                    clocks.add(event("clock-" + k, "clock-" + k, closeAll, 3));
                    p++;
                }
            }

            // What must close: every (customer, window start) that holds a backlog event.
            Map<String, Map<Long, Integer>> expected = new TreeMap<>(); // segment -> start -> customers
            Map<String, Boolean> windowsOfCustomers = new HashMap<>();
            for (CustomerInteraction e : backlog) {
                long at = e.getEventTime().toEpochMilli();
                for (long s = grid.paneStart(at); grid.contains(s, at); s -= grid.advanceMs()) {
                    if (windowsOfCustomers.putIfAbsent(e.getCustomerId() + "@" + s, true) == null) {
                        expected.computeIfAbsent(segmentOf.get(e.getCustomerId()), x -> new TreeMap<>()).merge(s, 1, Integer::sum);
                    }
                }
            }
            int expectedWindows = windowsOfCustomers.size();

            try (KafkaProducer<String, byte[]> producer = cluster.producer()) {
                for (Map.Entry<String, String> c : segmentOf.entrySet()) {
                    producer.send(new ProducerRecord<>(t.profiles(), c.getKey(), serdes.profile().serializer().serialize(t.profiles(),
                            org.brandequity.avro.CustomerProfile.newBuilder().setCustomerId(c.getKey()).setSegment(c.getValue())
                                    .setTier(null).setValueWeight(1.0).setCustomerSince(null).build())));
                }
                for (CustomerInteraction e : backlog) send(producer, serdes, t.interactions(), e);
                for (CustomerInteraction e : clocks) send(producer, serdes, t.interactions(), e);
            }

            List<String> command = new ArrayList<>(cluster.runCommand("catch-up", cluster.dir.resolve("state-catch-up"), Map.of()));
            Path productionLogging = Path.of(Main.class.getResource("/log4j2.xml").toURI());
            command.add(1, "-Dlog4j2.configurationFile=" + productionLogging);
            Path log = cluster.dir.resolve("catch-up.log");
            long begun = System.nanoTime();
            Process child = RealCluster.startProcess(command, log);
            List<CustomerExperienceScore> customerWindows = new ArrayList<>();
            Map<String, SegmentExperienceScore> latestSegment = new HashMap<>();
            try {
                cluster.readUntil(t.customerScores(), read -> {
                    for (int i = customerWindows.size(); i < read.size(); i++) {
                        customerWindows.add(serdes.customerScore().deserializer().deserialize(t.customerScores(), read.get(i).value()));
                    }
                    return customerWindows.size() >= expectedWindows;
                }, Duration.ofSeconds(300));
                // Segment records follow their customer windows within a closing: read until every
                // segment window is complete, or nothing new came for 20 s.
                readSegmentScores(cluster, serdes, t.segmentScores(), latestSegment, expected);
            } finally {
                child.destroy();
                if (!child.waitFor(60, TimeUnit.SECONDS)) child.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - begun) / 1e9;

            ScoringModel scoring = new ScoringModel(config.model());
            Map<String, Batch> batch = new TreeMap<>();
            for (CustomerExperienceScore w : customerWindows) {
                batch.computeIfAbsent(w.getSegment() + "@" + w.getWindowStart().toEpochMilli(), k -> new Batch()).add(w, scoring);
            }
            long missing = 0;
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<String, Batch> e : batch.entrySet()) {
                SegmentExperienceScore s = latestSegment.get(e.getKey());
                Batch b = e.getValue();
                long landed = s == null ? 0 : s.getCustomers();
                missing += b.customers - landed;
                if (s == null || s.getCustomers() != b.customers || s.getEvents() != b.events
                        || s.getPositiveCustomers() != b.positive || s.getNegativeCustomers() != b.negative
                        || Math.abs(s.getMeanCustomerScore() - b.scoreSum / b.customers) > 1e-9) {
                    wrong.add(e.getKey() + ": batch " + b + ", streamed " + s);
                }
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            long expiredLines = lines.stream().filter(l -> l.contains("Skipping record for expired")).count();
            System.out.printf("catch-up: %d events, %d customer windows closed (%d expected), %d of them missing from their"
                            + " segment windows, %d segment windows wrong of %d, %d log lines (%d 'Skipping record for expired'), %.1f s%n",
                    backlog.size(), customerWindows.size(), expectedWindows, missing, wrong.size(), batch.size(),
                    lines.size(), expiredLines, seconds);

            assertEquals(expectedWindows, customerWindows.size(), "every customer window of the backlog closes, once");
            assertTrue(wrong.isEmpty(), missing + " of " + customerWindows.size() + " customer windows are missing from their"
                    + " segment windows; " + wrong.size() + " of " + batch.size() + " segment windows differ from the batch,"
                    + " e.g. " + wrong.subList(0, Math.min(3, wrong.size())));
            assertTrue(lines.size() < MAX_LOG_LINES, lines.size() + " log lines catching up; the first ones:\n"
                    + String.join("\n", lines.subList(0, Math.min(40, lines.size()))));
        }
    }

    /** The partition the producer's default partitioner gives {@code key}, as for the pipeline's topics. */
    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static void send(KafkaProducer<String, byte[]> producer, AppSerdes serdes, String topic, CustomerInteraction e) {
        producer.send(new ProducerRecord<>(topic, e.getCustomerId(), serdes.interaction().serializer().serialize(topic, e)));
    }

    private static CustomerInteraction event(String id, String customer, Instant time, int rating) {
        return CustomerInteraction.newBuilder().setEventId(id).setCustomerId(customer).setEventTime(time)
                .setTouchpoint(Touchpoint.SURVEY_RESPONSE).setStage(LifecycleStage.USAGE).setChannel("web").setRating(rating).build();
    }

    /** Reads segment scores, latest per (segment, window start), until all hold their expected customers or 20 s bring nothing new. */
    private static void readSegmentScores(RealCluster cluster, AppSerdes serdes, String topic, Map<String, SegmentExperienceScore> latest,
                                          Map<String, Map<Long, Integer>> expected) {
        long[] lastNews = {System.nanoTime()};
        int[] seen = {0};
        cluster.readUntil(topic, read -> {
            for (int i = seen[0]; i < read.size(); i++) {
                ConsumerRecord<byte[], byte[]> r = read.get(i);
                SegmentExperienceScore s = serdes.segmentScore().deserializer().deserialize(topic, r.value());
                latest.put(s.getSegment() + "@" + s.getWindowStart().toEpochMilli(), s);
                lastNews[0] = System.nanoTime();
            }
            seen[0] = read.size();
            boolean complete = expected.entrySet().stream().allMatch(bySegment -> bySegment.getValue().entrySet().stream()
                    .allMatch(w -> {
                        SegmentExperienceScore s = latest.get(bySegment.getKey() + "@" + w.getKey());
                        return s != null && s.getCustomers() == w.getValue();
                    }));
            return complete || System.nanoTime() - lastNews[0] > TimeUnit.SECONDS.toNanos(20);
        }, Duration.ofSeconds(300));
    }

    /** A segment window recomputed from its customer windows. */
    private static final class Batch {
        long customers;
        long events;
        long positive;
        long negative;
        double scoreSum;

        void add(CustomerExperienceScore w, ScoringModel scoring) {
            customers++;
            events += w.getEvents();
            scoreSum += w.getScore();
            Polarity p = scoring.polarity(w.getScore());
            if (p == Polarity.POSITIVE) positive++;
            if (p == Polarity.NEGATIVE) negative++;
        }

        @Override
        public String toString() {
            return "customers " + customers + ", events " + events + ", positive " + positive + ", negative " + negative
                    + ", mean " + (scoreSum / customers);
        }
    }
}
