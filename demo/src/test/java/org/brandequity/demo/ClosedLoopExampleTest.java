package org.brandequity.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.brandequity.runtime.RealCluster;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.avro.AtRiskTrigger;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerAlertEvent;
import org.brandequity.avro.CustomerAlertState;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.RecentInteraction;
import org.brandequity.avro.Touchpoint;
import org.brandequity.config.PipelineConfig;
import org.brandequity.deploy.Tools;
import org.brandequity.wire.ConfluentAvroSerde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/closed-loop/CaseConsumer.java, run as docs/closed-loop.md says ({@code java -cp <the
 * pipeline's classes> CaseConsumer.java ...}: the JDK's source launcher compiles it first), against a
 * real broker and registry, on CustomerAlert records written the way the pipeline writes them
 * (Confluent wire format, key = customer id). The cases it prints are checked.
 */
class ClosedLoopExampleTest {
    private static final Path EXAMPLE = Tools.ROOT.resolve("examples/closed-loop/CaseConsumer.java");
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static RealCluster cluster;
    private static String topic;
    /** The case lines ("OPEN case ...", "CLOSE case ...", "UPDATE case ...") and the summary of the first run. */
    private static List<String> firstRun;

    @BeforeAll
    static void runTheExampleOnceOverAlertsOfThreeCustomers() throws Exception {
        cluster = new RealCluster();
        // The topic as the pipeline creates it (topic.partitions = 3 here): the customers spread over the partitions.
        PipelineConfig config = cluster.config("closed-loop-example", Map.of());
        TopicAdmin.ensureTopics(config);
        topic = config.topics().customerAlerts();
        Serializer<CustomerAlert> serializer = new ConfluentAvroSerde<>(cluster.registry, CustomerAlert.class, false).serializer();
        CustomerAlert a1 = firing("c-1", "c-1:e-1", AtRiskTrigger.DETRACTOR_EXPERIENCE, 0);
        CustomerAlert a3 = firing("c-3", "c-3:e-7", AtRiskTrigger.DETRACTOR_EXPERIENCE, 5);
        List<CustomerAlert> records = List.of(
                a1,
                a1,                                                      // delivered twice
                resolved(a1, "positive-signal", 40),
                firing("c-2", "c-2:e-4", AtRiskTrigger.LOW_INDEX, 10),   // stays open
                a3,
                resolved(a3, "index-recovered", 50),
                a3,                                                      // an old FIRING replayed after its RESOLVED
                firing("c-3", "c-3:e-9", AtRiskTrigger.DETRACTOR_EXPERIENCE, 2000)); // the customer's next episode
        try (KafkaProducer<String, byte[]> producer = cluster.producer()) {
            for (CustomerAlert a : records) producer.send(new ProducerRecord<>(topic, a.getCustomerId(), serializer.serialize(topic, a)));
        }
        firstRun = cases(runExample("crm-cases"));
        System.out.println("CaseConsumer, first run:\n" + String.join("\n", firstRun));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void everyFiringAlertOpensOneCaseNamedByItsAlertIdWithTheCustomerAndTheTriggeringEvent() {
        List<String> opened = firstRun.stream().filter(l -> l.startsWith("OPEN case ")).toList();
        assertEquals(List.of("c-1:e-1", "c-2:e-4", "c-3:e-7", "c-3:e-9"), opened.stream().map(l -> l.split(" ")[2]).sorted().toList(), firstRun.toString());
        String c1 = opened.stream().filter(l -> l.contains(" c-1:e-1 ")).findFirst().orElseThrow();
        assertTrue(c1.contains("customer=c-1 segment=high-value tier=gold valueWeight=7.50 trigger=DETRACTOR_EXPERIENCE event e-1 at DELIVERY x=-1.0 index 55.0 -> 12.5"), c1);
        assertTrue(c1.contains("recent=[DELIVERY -1.0, CHECKOUT 0.6]"), c1);
    }

    @Test
    void aResolvedRecordClosesTheCaseWithItsResolution() {
        List<String> closed = firstRun.stream().filter(l -> l.startsWith("CLOSE case ")).sorted().toList();
        assertEquals(2, closed.size(), firstRun.toString());
        assertTrue(closed.get(0).startsWith("CLOSE case c-1:e-1 customer=c-1 resolution=positive-signal"), closed.get(0));
        assertTrue(closed.get(1).startsWith("CLOSE case c-3:e-7 customer=c-3 resolution=index-recovered"), closed.get(1));
    }

    @Test
    void aRedeliveredOrReplayedRecordChangesNoCase() {
        assertTrue(firstRun.stream().noneMatch(l -> l.startsWith("UPDATE case ")), firstRun.toString());
        assertEquals(1, firstRun.stream().filter(l -> l.startsWith("OPEN case c-1:e-1 ")).count(), firstRun.toString());
        assertEquals(1, firstRun.stream().filter(l -> l.startsWith("OPEN case c-3:e-7 ")).count(), firstRun.toString());
        assertEquals("cases: 2 open, 2 closed", firstRun.get(firstRun.size() - 1));
    }

    @Test
    void oneCustomersCasesFollowTheOrderOfTheirRecords() {
        List<String> c3 = firstRun.stream().filter(l -> l.contains(" c-3:e-")).map(l -> l.split(" ")[0] + " " + l.split(" ")[2]).toList();
        assertEquals(List.of("OPEN c-3:e-7", "CLOSE c-3:e-7", "OPEN c-3:e-9"), c3);
    }

    @Test
    void aSecondRunInTheSameGroupFindsNothingNewBecauseTheFirstCommittedItsOffsets() throws Exception {
        assertEquals(List.of("cases: 0 open, 0 closed"), cases(runExample("crm-cases")));
    }

    private static String runExample(String group) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Tools.Result r = Tools.run(Tools.ROOT, 120, java, "-cp", System.getProperty("java.class.path"), EXAMPLE.toString(),
                cluster.broker.bootstrapServers(), cluster.registryProcess.url(), "--topic", topic, "--group", group,
                "--exit-when-idle", "4s");
        assertEquals(0, r.exitCode(), r.output());
        return r.output();
    }

    /** The lines the example prints about cases, in order (the Kafka client's log lines left out). */
    private static List<String> cases(String output) {
        List<String> out = new ArrayList<>();
        output.lines().filter(l -> l.matches("(OPEN|UPDATE|CLOSE) case .*|cases: .*")).forEach(out::add);
        return out;
    }

    private static CustomerAlert firing(String customer, String alertId, AtRiskTrigger trigger, long minutes) {
        Instant at = T0.plusSeconds(60 * minutes);
        String eventId = alertId.substring(alertId.indexOf(':') + 1);
        return CustomerAlert.newBuilder()
                .setAlertId(alertId).setCustomerId(customer).setState(CustomerAlertState.FIRING).setTrigger(trigger)
                .setSegment("high-value").setTier("gold").setValueWeight(7.5).setAt(at)
                .setEvent(CustomerAlertEvent.newBuilder().setEventId(eventId).setEventTime(at).setTouchpoint(Touchpoint.DELIVERY)
                        .setStage(LifecycleStage.PURCHASE).setChannel("partner").setSignal(-1.0).setOutcome(Outcome.FAILURE)
                        .setRating(null).setLikelihoodToRecommend(null).setEffort(null).setSentiment(null).build())
                .setIndexBefore(55.0).setIndexAfter(12.5).setCustomerEvents(9)
                .setRecent(List.of(new RecentInteraction(Touchpoint.DELIVERY, -1.0, at),
                        new RecentInteraction(Touchpoint.CHECKOUT, 0.6, at.minusSeconds(3600))))
                .setResolution(null)
                .build();
    }

    private static CustomerAlert resolved(CustomerAlert fired, String resolution, long minutes) {
        return CustomerAlert.newBuilder(fired).setState(CustomerAlertState.RESOLVED).setResolution(resolution)
                .setAt(T0.plusSeconds(60 * minutes)).setIndexBefore(fired.getIndexAfter()).setIndexAfter(34.0).build();
    }
}
