package org.brandequity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.runtime.RealCluster;
import org.brandequity.topology.AppSerdes;
import org.brandequity.wire.WireFormat;
import org.junit.jupiter.api.Test;

/**
 * A flood of bad input does not flood the log: 3,000 bad records (undecodable bytes, a bad magic
 * byte, out-of-range values, events too late for their windows) into the production {@code run}
 * command in a child JVM, with the production logging configuration, give fewer than 50 log lines,
 * and the dead-letter summary accounts for every one of them.
 */
class BadInputLogVolumeIntegrationTest {
    private static final int PER_KIND = 750;
    private static final int BAD = 4 * PER_KIND;
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) records? dead-lettered .* details in topic '([^']+)'");

    @Test
    void threeThousandBadRecordsGiveFewerThanFiftyLogLinesAndOneSummaryThatCountsThemAll() throws Exception {
        try (RealCluster cluster = new RealCluster()) {
            PipelineConfig config = cluster.config("bad-input", Map.of());
            PipelineConfig.Topics t = config.topics();
            TopicAdmin.ensureTopics(config);
            AppSerdes serdes = new AppSerdes(cluster.registry);
            Instant now = Instant.now();
            List<String> customers = List.of("c1", "c2", "c3", "c4", "c5", "c6");
            try (KafkaProducer<String, byte[]> producer = cluster.producer()) {
                // One good event per customer moves each partition's stream time to now; events eight
                // days older are then beyond late.horizon (7 days).
                for (String c : customers) {
                    producer.send(new ProducerRecord<>(t.interactions(), c,
                            serdes.interaction().serializer().serialize(t.interactions(), event(c + "-clock", c, now, 4))));
                }
                producer.flush();
                byte[] truncated = WireFormat.header(1); // a header and no Avro body
                for (int i = 0; i < PER_KIND; i++) {
                    String c = customers.get(i % customers.size());
                    producer.send(new ProducerRecord<>(t.interactions(), c, java.util.Arrays.copyOf(truncated, 3)));
                    producer.send(new ProducerRecord<>(t.interactions(), c, ("not avro " + i).getBytes(StandardCharsets.UTF_8)));
                    producer.send(new ProducerRecord<>(t.interactions(), c,
                            serdes.interaction().serializer().serialize(t.interactions(), event("range-" + i, c, now, 9))));
                    producer.send(new ProducerRecord<>(t.interactions(), c,
                            serdes.interaction().serializer().serialize(t.interactions(), event("late-" + i, c, now.minus(Duration.ofDays(8)), 3))));
                }
            }

            List<String> command = new ArrayList<>(cluster.runCommand("bad-input", cluster.dir.resolve("state-bad-input"), Map.of()));
            // The production logging configuration, not the test classpath's log4j2-test.xml.
            Path productionLogging = Path.of(Main.class.getResource("/log4j2.xml").toURI());
            command.add(1, "-Dlog4j2.configurationFile=" + productionLogging);
            Path log = cluster.dir.resolve("bad-input.log");
            Process child = RealCluster.startProcess(command, log);
            try {
                cluster.readUntil(t.deadLetters(), read -> read.size() >= BAD, Duration.ofSeconds(120));
            } finally {
                child.destroy(); // SIGTERM: the shutdown hook closes the pipeline, which logs the last summary
                if (!child.waitFor(60, TimeUnit.SECONDS)) child.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
            }

            List<String> lines = Files.readAllLines(log);
            System.out.printf("%d bad records -> %d log lines:%n%s%n", BAD, lines.size(), String.join("\n", lines));
            long summarised = 0;
            for (String line : lines) {
                Matcher m = SUMMARY.matcher(line);
                if (m.find()) {
                    summarised += Long.parseLong(m.group(1));
                    assertEquals(t.deadLetters(), m.group(2), line);
                }
            }
            assertEquals(BAD, summarised, "the summary lines count every dead letter");
            assertTrue(lines.size() < 50, lines.size() + " log lines for " + BAD + " bad records");
        }
    }

    private static CustomerInteraction event(String id, String customer, Instant time, int rating) {
        return CustomerInteraction.newBuilder().setEventId(id).setCustomerId(customer).setEventTime(time)
                .setTouchpoint(Touchpoint.DELIVERY).setStage(LifecycleStage.PURCHASE).setRating(rating).build();
    }
}
