package org.brandequity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.command.Cli;
import org.brandequity.config.PipelineConfig;
import org.brandequity.ingest.FileImport;
import org.brandequity.runtime.Pipeline;
import org.brandequity.runtime.RealCluster;
import org.brandequity.topology.AppSerdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import} against a real broker and registry, through the command line as a user runs it:
 * good rows reach the topic next to every kind of bad row, which goes to the reject file; exit
 * status 3, or 0 with --allow-rejects; the same file imported twice counts once in the pipeline.
 * (In this package for the {@link RealCluster} fixture.)
 */
class ImportIntegrationTest {
    private static final String MAPPING = """
            contract: interactions
            fields:
              customerId: Customer
              eventTime: {column: When, format: iso}
              touchpoint: Touchpoint
              likelihoodToRecommend: NPS
              rating: CSAT
            constants:
              stage: USAGE
              channel: email
            """;
    private static final String HEADER = "Customer,When,Touchpoint,NPS,CSAT\n";
    private static RealCluster cluster;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        cluster = new RealCluster();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Five good rows, a minute apart, ending ten minutes ago. */
    private static String goodRows(Instant end) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append("cust-0000").append(i + 1).append(',').append(end.minus(4 - i, ChronoUnit.MINUTES))
                    .append(',').append(i % 2 == 0 ? "DELIVERY" : "CHECKOUT").append(',').append(5 + i).append(',').append(1 + i).append('\n');
        }
        return sb.toString();
    }

    /** Good rows 1, 3, 6, 9, 11 (data rows, header not counted) around one bad row of each kind. */
    private static String mixedFile(Instant t) {
        String[] good = goodRows(t).split("\n");
        return HEADER
                + good[0] + "\n"                                             // row 1
                + "cust-00009,\"" + t + "\"x,DELIVERY,9,4\n"                   // row 2: malformed CSV (text after a closing quote)
                + good[1] + "\n"                                             // row 3
                + "cust-00009," + t + ",DELIVERY,9\n"                         // row 4: 4 fields, the header has 5
                + "cust-00009," + t + ",PARCEL,9,4\n"                         // row 5: unknown touchpoint symbol
                + good[2] + "\n"                                             // row 6
                + "cust-00009," + t + ",DELIVERY,11,4\n"                      // row 7: NPS outside 0..10
                + "," + t + ",DELIVERY,9,4\n"                                 // row 8: no customer id
                + good[3] + "\n"                                             // row 9
                + "cust-00009,yesterday,DELIVERY,9,4\n"                       // row 10: unparseable time
                + good[4] + "\n"                                             // row 11
                + "cust-00009," + t.plus(1, ChronoUnit.DAYS) + ",DELIVERY,9,4\n"; // row 12: a day ahead (skew 1h)
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** Every topic of the test under its own prefix, so tests share the cluster but not their topics. */
    private static Map<String, String> topics(String prefix) {
        Map<String, String> m = new HashMap<>();
        for (String t : List.of("interactions", "profiles", "customer.scores", "segment.scores", "equity", "alerts", "dead.letters")) {
            m.put("topic." + t, prefix + "-" + t.replace('.', '-'));
        }
        return m;
    }

    private int importFiles(PipelineConfig config, String... args) {
        List<String> all = new ArrayList<>(List.of("import", "--progress", "none",
                "--set", "bootstrap.servers=" + config.bootstrapServers(),
                "--set", "schema.registry.url=" + config.schemaRegistryUrl(),
                "--set", "topic.interactions=" + config.topics().interactions()));
        all.addAll(List.of(args));
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8), Map.of());
        return Main.commandLine("brand-equity.jar", cli).execute(all.toArray(String[]::new));
    }

    private List<CustomerInteraction> interactionsOn(PipelineConfig config) {
        AppSerdes serdes = new AppSerdes(cluster.registry);
        return cluster.readCommitted(config.topics().interactions()).stream()
                .map(r -> serdes.interaction().deserializer().deserialize(config.topics().interactions(), r.value())).toList();
    }

    @Test
    void theGoodRowsOfAFileWithBadRowsReachTheTopicAndTheImportExitsWithThree() throws Exception {
        PipelineConfig config = cluster.config("it-import-mixed", topics("mixed"));
        TopicAdmin.ensureTopics(config);
        Path file = write("mixed.csv", mixedFile(Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)));

        int status = importFiles(config, "--mapping", write("m.yaml", MAPPING).toString(), file.toString());

        assertEquals(3, status, out.toString());
        List<CustomerInteraction> imported = interactionsOn(config);
        assertEquals(List.of("cust-00001", "cust-00002", "cust-00003", "cust-00004", "cust-00005"),
                imported.stream().map(CustomerInteraction::getCustomerId).sorted().toList());
        assertTrue(imported.stream().allMatch(e -> e.getEventId().matches("imp-[0-9a-f]{32}")));
        assertTrue(out.toString().contains("import: 12 rows read, 5 imported, 7 rejected (in " + FileImport.rejectPath(file) + ")"), out.toString());
    }

    @Test
    void everyBadRowIsInTheRejectFileWithItsRowNumberItsReasonAndItsText() throws Exception {
        PipelineConfig config = cluster.config("it-import-rejects", topics("rejects"));
        TopicAdmin.ensureTopics(config);
        Instant t = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Path file = write("mixed.csv", mixedFile(t));

        importFiles(config, "--mapping", write("m.yaml", MAPPING).toString(), file.toString());

        List<Map<String, String>> rejects = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(FileImport.rejectPath(file).toFile())) {
            it.forEachRemaining(rejects::add);
        }
        assertEquals(List.of("2", "4", "5", "7", "8", "10", "12"), rejects.stream().map(r -> r.get("row")).toList());
        assertTrue(rejects.stream().allMatch(r -> r.get("file").equals(file.toString())));
        assertReject(rejects.get(0), "malformed CSV", "cust-00009,\"" + t + "\"x,DELIVERY,9,4");
        assertReject(rejects.get(1), "the row has 4 fields, the header 5", "cust-00009," + t + ",DELIVERY,9");
        assertReject(rejects.get(2), "PARCEL", "cust-00009," + t + ",PARCEL,9,4");
        assertTrue(rejects.get(2).get("reasons").contains("DELIVERY"), "lists the accepted symbols: " + rejects.get(2));
        assertReject(rejects.get(3), "likelihoodToRecommend=11 is outside 0..10", "cust-00009," + t + ",DELIVERY,11,4");
        assertReject(rejects.get(4), "customerId", "," + t + ",DELIVERY,9,4");
        assertReject(rejects.get(5), "eventTime: column 'When': 'yesterday' is not a time in format iso", "cust-00009,yesterday,DELIVERY,9,4");
        assertReject(rejects.get(6), "ahead of the clock", "cust-00009," + t.plus(1, ChronoUnit.DAYS) + ",DELIVERY,9,4");
    }

    private static void assertReject(Map<String, String> reject, String reason, String raw) {
        assertTrue(reject.get("reasons").contains(reason), "reasons of row " + reject.get("row") + ": " + reject.get("reasons"));
        assertEquals(raw, reject.get("raw"));
    }

    @Test
    void withAllowRejectsAFileWithBadRowsExitsWithZero() throws Exception {
        PipelineConfig config = cluster.config("it-import-allow", topics("allow"));
        TopicAdmin.ensureTopics(config);
        Path file = write("mixed.csv", mixedFile(Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)));

        int status = importFiles(config, "--allow-rejects", "--mapping", write("m.yaml", MAPPING).toString(), file.toString());

        assertEquals(0, status, out.toString());
        assertEquals(5, interactionsOn(config).size());
    }

    @Test
    void importingTheSameFileTwiceCountsOnceInThePipeline() throws Exception {
        Map<String, String> settings = new HashMap<>(topics("twice"));
        settings.putAll(Map.of("window.size", "10s", "window.advance", "10s", "window.grace", "1s"));
        PipelineConfig config = cluster.config("it-import-twice", settings);
        TopicAdmin.ensureTopics(config);
        Path file = write("good.csv", HEADER + goodRows(Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)));
        Path mapping = write("m.yaml", MAPPING);

        assertEquals(0, importFiles(config, "--mapping", mapping.toString(), file.toString()), out.toString());
        assertEquals(0, importFiles(config, "--mapping", mapping.toString(), file.toString()), out.toString());
        assertEquals(10, interactionsOn(config).size(), "both imports reached the topic");

        AppSerdes serdes = new AppSerdes(cluster.registry);
        String equity = config.topics().equity();
        try (Pipeline pipeline = new Pipeline(config).start()) {
            cluster.readUntil(equity, read -> !read.isEmpty() && events(serdes, equity, read.get(read.size() - 1)) >= 5, Duration.ofSeconds(90));
            // Everything was on the topic before the pipeline started; give it time to fold in any copy it would count.
            List<ConsumerRecord<byte[], byte[]>> all = cluster.readFor(equity, Duration.ofSeconds(8));
            assertEquals(5, all.stream().mapToLong(r -> events(serdes, equity, r)).max().orElseThrow(),
                    "the brand's equity folded in each of the 5 rows once");
        }
    }

    private static long events(AppSerdes serdes, String topic, ConsumerRecord<byte[], byte[]> r) {
        BrandEquity e = serdes.brandEquity().deserializer().deserialize(topic, r.value());
        return e.getEvents();
    }
}
