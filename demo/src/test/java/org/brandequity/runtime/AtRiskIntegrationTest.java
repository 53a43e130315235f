package org.brandequity.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.brandequity.avro.AtRiskTrigger;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerAlertState;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.Touchpoint;
import org.brandequity.cluster.ClientProperties;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.sim.CustomerJourneys;
import org.brandequity.sim.Incident;
import org.brandequity.sim.SimulationConfig;
import org.brandequity.sim.Simulator;
import org.brandequity.topology.AppSerdes;
import org.brandequity.wire.ConfluentAvroSerde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's incident, through two pipeline instances on a real broker and registry, into the
 * closed loop (docs/closed-loop.md, "The incident, end to end").
 *
 * <p>The incident hits the high-value segment at DELIVERY for the whole run, and every delivery it
 * hits fails (a failure outcome is detractor-level). A customer is <b>affected</b> when
 * {@link Incident#affects} holds for at least one of their interactions. The test regenerates the
 * simulator's interactions (the journeys are a pure function of config, start and event times) to
 * know who that is. To keep "unaffected" exact, the closed loop watches DELIVERY only and LOW_INDEX
 * is switched off (a customer's own index depends on their whole history, not on the incident; the
 * topology tests cover it).
 */
class AtRiskIntegrationTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 4_000;
    private static RealCluster cluster;
    private static Set<String> affected;
    private static Set<String> unaffectedHighValue;
    private static List<CustomerAlert> alerts;
    /** The open alert of every customer whose latest record is FIRING. */
    private static Map<String, CustomerAlert> open;
    /** What /customers/at-risk?segment=high-value answered, per instance. */
    private static Map<String, JsonNode> atRisk;

    @BeforeAll
    static void runTheIncidentThroughTwoInstances() throws Exception {
        cluster = new RealCluster();
        PipelineConfig config = cluster.config("it-at-risk", Map.of(
                "closedloop.touchpoints", "DELIVERY", "closedloop.min.events", "1000000"));
        Instant start = Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS);
        Properties sim = new Properties();
        sim.setProperty("simulator.seed", "13");
        sim.setProperty("simulator.customers", "300");
        sim.setProperty("simulator.high.value.share", "0.3");
        sim.setProperty("simulator.rate", "0");
        sim.setProperty("simulator.step", "100ms");
        sim.setProperty("simulator.total.events", Integer.toString(EVENTS));
        sim.setProperty("simulator.start", start.toString());
        sim.setProperty("simulator.late.share", "0");
        sim.setProperty("simulator.incidents.default", "false");
        sim.setProperty("simulator.incident.1", "delivery-outage;segment=high-value;touchpoint=DELIVERY;start=0s;duration=1h;failure=1;shift=-1");
        SimulationConfig simulation = SimulationConfig.fromProperties(sim);
        Incident incident = simulation.incidents().get(0);

        // The same interactions the simulator sends (Simulator's unpaced run: event i at start + i·step).
        CustomerJourneys journeys = new CustomerJourneys(simulation, start);
        Set<String> highValue = new TreeSet<>();
        journeys.profiles().forEach(p -> {
            if (p.getSegment().equals(CustomerJourneys.HIGH_VALUE)) highValue.add(p.getCustomerId());
        });
        affected = new TreeSet<>();
        Set<String> eventIds = new java.util.HashSet<>();
        for (int i = 0; i < EVENTS; i++) {
            CustomerInteraction e = journeys.next(start.plusMillis(i * 100L));
            eventIds.add(e.getEventId());
            String segment = journeys.segmentOf(e.getCustomerId());
            if (incident.affects(segment, e.getTouchpoint(), Duration.between(start, e.getEventTime()))) affected.add(e.getCustomerId());
        }
        unaffectedHighValue = new TreeSet<>(highValue);
        unaffectedHighValue.removeAll(affected);
        System.out.printf("at-risk IT: %d high-value customers, %d affected, %d unaffected; %d distinct events%n",
                highValue.size(), affected.size(), unaffectedHighValue.size(), eventIds.size());

        TopicAdmin.ensureTopics(config);
        try (Simulator simulator = new Simulator(simulation, ClientProperties.producer(config), cluster.registry,
                config.topics().interactions(), config.topics().profiles())) {
            assertEquals(EVENTS, simulator.run());
        }

        AppSerdes serdes = new AppSerdes(cluster.registry);
        Deserializer<CustomerAlert> alertReader = new ConfluentAvroSerde<>(cluster.registry, CustomerAlert.class, false).deserializer();
        String topic = config.topics().customerAlerts();
        try (Pipeline a = new Pipeline(config.with(Map.of("state.dir", cluster.dir.resolve("state-at-risk-a").toString()))).start();
             Pipeline b = new Pipeline(config.with(Map.of("state.dir", cluster.dir.resolve("state-at-risk-b").toString()))).start()) {
            awaitTwoInstancesOwningPartitions(a.streams());
            // Every event folded into equity: every alert it triggered was committed with it.
            String equity = config.topics().equity();
            cluster.readUntil(equity, read -> !read.isEmpty()
                    && serdes.brandEquity().deserializer().deserialize(equity, read.get(read.size() - 1).value()).getEvents() == eventIds.size(),
                    Duration.ofSeconds(120));
            alerts = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : cluster.readCommitted(topic)) alerts.add(alertReader.deserialize(topic, r.value()));
            // Records of one customer are on one partition, in order: the latest one says whether the alert is open.
            Map<String, CustomerAlert> latest = new HashMap<>();
            alerts.forEach(x -> latest.put(x.getCustomerId(), x));
            open = new LinkedHashMap<>();
            latest.forEach((customer, x) -> {
                if (x.getState() == CustomerAlertState.FIRING) open.put(customer, x);
            });
            atRisk = new LinkedHashMap<>();
            for (Pipeline instance : List.of(a, b)) {
                atRisk.put(instance.apiUrl(), awaitAtRisk(instance.apiUrl() + "/customers/at-risk?segment=high-value&limit=1000", open.size()));
            }
        }
        System.out.printf("at-risk IT: %d alert records, %d open%n", alerts.size(), open.size());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void theIncidentHitsSomeHighValueCustomersAndMissesOthers() {
        assertTrue(affected.size() >= 10, "affected: " + affected);
        assertTrue(unaffectedHighValue.size() >= 10, "unaffected high-value: " + unaffectedHighValue);
    }

    @Test
    void everyAffectedHighValueCustomerAndNoOtherGetsAnAtRiskAlert() {
        Set<String> fired = new TreeSet<>();
        alerts.stream().filter(x -> x.getState() == CustomerAlertState.FIRING).forEach(x -> fired.add(x.getCustomerId()));
        assertEquals(affected, fired);
    }

    @Test
    void eachAffectedCustomerGetsOneFiringAlertForAFailedDelivery() {
        Map<String, Integer> firings = new HashMap<>();
        for (CustomerAlert x : alerts) {
            if (x.getState() != CustomerAlertState.FIRING) continue;
            firings.merge(x.getCustomerId(), 1, Integer::sum);
            assertEquals(AtRiskTrigger.DETRACTOR_EXPERIENCE, x.getTrigger(), x.toString());
            assertEquals(CustomerJourneys.HIGH_VALUE, x.getSegment(), x.toString());
            assertEquals(Touchpoint.DELIVERY, x.getEvent().getTouchpoint(), x.toString());
            assertEquals(Outcome.FAILURE, x.getEvent().getOutcome(), x.toString());
            assertEquals(x.getCustomerId() + ":" + x.getEvent().getEventId(), x.getAlertId());
        }
        firings.forEach((customer, n) -> assertEquals(1, n, "one FIRING (one open alert per customer, 24h cooldown) for " + customer));
    }

    @Test
    void eitherInstanceListsExactlyTheOpenAlertsAtRiskByPriority() {
        assertTrue(!open.isEmpty(), "some alerts are still open");
        for (Map.Entry<String, JsonNode> answer : atRisk.entrySet()) {
            JsonNode list = answer.getValue();
            Map<String, String> listed = new HashMap<>();
            double previous = Double.POSITIVE_INFINITY;
            for (JsonNode entry : list) {
                assertEquals(CustomerJourneys.HIGH_VALUE, entry.get("segment").asText());
                double priority = entry.get("priority").asDouble();
                assertTrue(priority <= previous, answer.getKey() + ": sorted by priority, highest first: " + list);
                assertEquals(entry.get("valueWeight").asDouble() * entry.get("shortfall").asDouble(), priority, 1e-9, entry.toString());
                previous = priority;
                listed.put(entry.get("customerId").asText(), entry.get("alert").get("alertId").asText());
            }
            Map<String, String> expected = new HashMap<>();
            open.forEach((customer, x) -> expected.put(customer, x.getAlertId()));
            assertEquals(expected, listed, answer.getKey() + " lists every open alert and nothing else");
        }
    }

    /** GETs {@code url} until it answers 200 with a list of {@code size} entries (state is queryable once RUNNING). */
    private static JsonNode awaitAtRisk(String url, int size) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200) {
                JsonNode body = JSON.readTree(r.body());
                if (body.isArray() && body.size() == size) return body;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(url + " did not list " + size + " customers; last: " + last);
    }

    private static void awaitTwoInstancesOwningPartitions(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING
                    && streams.metadataForAllStreamsClients().stream().filter(m -> !m.topicPartitions().isEmpty()).count() == 2) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no split over two instances: " + streams.metadataForAllStreamsClients().stream()
                .map(StreamsMetadata::hostInfo).toList());
    }
}
