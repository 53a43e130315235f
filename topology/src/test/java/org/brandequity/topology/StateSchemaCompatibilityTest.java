package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TopologyDescription;
import org.brandequity.config.PipelineConfig;
import org.brandequity.wire.AvroBinarySerde;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Existing state must stay readable across an upgrade. Every state store and repartition topic of
 * the topology has a checked-in snapshot of each key and value encoding it was released with, under
 * {@code src/test/resources/upgrade/state/<name>/v<N>.json}; the current encoding must read data
 * written with every one of them, else a restarted instance cannot restore its changelogs or read
 * the repartition records a previous version left in flight.
 *
 * <p>The rule depends on the encoding. Stores and internal topics hold plain Avro binary
 * ({@link AvroBinarySerde}): no schema id travels with the bytes, and the serde decodes with the
 * current schema as the writer schema too. So the current schema must have the same binary layout
 * as the snapshot: the same Parsing Canonical Form (names, types, field order; docs and defaults do
 * not count). Even a change Avro schema resolution would accept, a new field with a default,
 * misreads existing state. Records in the Confluent wire format carry their writer's schema id,
 * so for them Avro schema resolution decides (reader = current, writer = snapshot).
 *
 * <p>A change that breaks this needs a new store or topic name (the old state is then abandoned and
 * rebuilt from input, docs/operations.md "Upgrading"): the new name gets its own snapshot, the old
 * name's snapshot is deleted. Record a snapshot for a new name, or a new compatible version at a
 * release, with {@code -D}{@value #RECORD}{@code =true}.
 */
class StateSchemaCompatibilityTest {
    static final Path SNAPSHOTS = Path.of("src/test/resources/upgrade/state");
    static final String RECORD = "record.state.schemas";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOW_TO_RECORD =
            "mvn -B -pl topology -am test -Dtest=StateSchemaCompatibilityTest -Dsurefire.failIfNoSpecifiedTests=false -D" + RECORD + "=true";

    /** How the bytes of a key or value are written. */
    record Encoding(String format, Schema schema) {
        static final String KAFKA_STRING = "kafka-string";
        static final String KAFKA_LONG = "kafka-long";
        static final String AVRO_BINARY = "avro-binary";
        static final String CONFLUENT_AVRO = "confluent-avro";

        /** The encoding of a serde the topology uses, read off the serde itself where it can be. */
        static Encoding of(Serde<?> serde) {
            if (serde instanceof AvroBinarySerde<?> avro) return new Encoding(AVRO_BINARY, avro.schema());
            if (serde.getClass() == Serdes.StringSerde.class) return new Encoding(KAFKA_STRING, null);
            if (serde.getClass() == Serdes.LongSerde.class) return new Encoding(KAFKA_LONG, null);
            throw new IllegalArgumentException("no encoding known for " + serde.getClass().getName());
        }

        static Encoding confluent(Schema schema) {
            return new Encoding(CONFLUENT_AVRO, schema);
        }

        JsonNode toJson() {
            ObjectNode node = JSON.createObjectNode().put("format", format);
            if (schema != null) {
                try {
                    node.set("schema", JSON.readTree(schema.toString()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return node;
        }

        static Encoding fromJson(JsonNode node) {
            JsonNode schema = node.get("schema");
            return new Encoding(node.get("format").textValue(), schema == null ? null : new Schema.Parser().parse(schema.toString()));
        }

        /** Why data written with {@code released} cannot be read with this encoding, or null if it can. */
        String cannotRead(Encoding released) {
            if (!format.equals(released.format)) return "the format changed from " + released.format + " to " + format;
            if (schema == null) return null;
            return switch (format) {
                case AVRO_BINARY -> SchemaNormalization.toParsingForm(schema).equals(SchemaNormalization.toParsingForm(released.schema))
                        ? null
                        : "the binary layout changed (plain Avro binary is decoded with the current schema as writer schema,"
                                + " so the Parsing Canonical Form must stay the same). Avro schema resolution alone would say: "
                                + resolution(released);
                case CONFLUENT_AVRO -> SchemaCompatibility.checkReaderWriterCompatibility(schema, released.schema).getType()
                        == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE ? null : resolution(released);
                default -> throw new IllegalStateException("unknown format " + format);
            };
        }

        private String resolution(Encoding released) {
            SchemaCompatibility.SchemaPairCompatibility pair = SchemaCompatibility.checkReaderWriterCompatibility(schema, released.schema);
            return pair.getType() + " " + pair.getResult().getIncompatibilities().stream()
                    .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage()).toList();
        }
    }

    record KeyValue(Encoding key, Encoding value) {
        JsonNode toJson(String name) {
            ObjectNode node = JSON.createObjectNode().put("name", name);
            node.set("key", key.toJson());
            node.set("value", value.toJson());
            return node;
        }
    }

    private static final AppSerdes SERDES = new AppSerdes(new InMemorySchemaRegistry());

    /**
     * What each state store and repartition topic of {@link BrandEquityTopology} holds. Written by
     * hand because a built topology does not expose its serdes; the Avro schemas are taken from the
     * serdes {@link AppSerdes} gives the topology, and a store or topic missing here fails
     * {@link #everyStoreAndRepartitionTopicOfTheTopologyHasAKnownEncoding}.
     */
    static final Map<String, KeyValue> CURRENT = new TreeMap<>(Map.ofEntries(
            Map.entry(BrandEquityTopology.CUSTOMER_LEDGER_STORE, kv(SERDES.string(), SERDES.customerLedger())),
            Map.entry(BrandEquityTopology.STREAM_TIME_STORE, kv(SERDES.string(), Serdes.Long())),
            Map.entry(BrandEquityTopology.OPEN_CUSTOMER_ALERT_STORE, kv(SERDES.string(), SERDES.openCustomerAlert())),
            // Keys are SegmentWindowKey strings (start, then segment); the windows were in a window store before.
            Map.entry(BrandEquityTopology.SEGMENT_WINDOW_STORE, kv(SERDES.string(), SERDES.segmentWindow())),
            Map.entry(BrandEquityTopology.SEGMENT_WATERMARK_STORE, kv(SERDES.string(), Serdes.Long())),
            Map.entry(BrandEquityTopology.SEGMENT_REVISION_STORE, kv(SERDES.string(), Serdes.Long())),
            // Keys are SegmentWindowKey strings (start, then touchpoint symbol).
            Map.entry(BrandEquityTopology.TOUCHPOINT_WINDOW_STORE, kv(SERDES.string(), SERDES.touchpointWindow())),
            Map.entry(BrandEquityTopology.TOUCHPOINT_WATERMARK_STORE, kv(SERDES.string(), Serdes.Long())),
            // A window store: the changelog key is the customer id (this encoding) followed by the pane start and a sequence number.
            Map.entry(BrandEquityTopology.CLOSED_PANE_STORE, kv(SERDES.string(), SERDES.closedPane())),
            Map.entry(BrandEquityTopology.PENDING_EQUITY_STORE, kv(SERDES.string(), SERDES.pending())),
            Map.entry(BrandEquityTopology.EQUITY_HISTORY_PENDING_STORE, kv(SERDES.longs(), SERDES.ledger())),
            Map.entry(BrandEquityTopology.EQUITY_HISTORY_STORE, kv(SERDES.longs(), SERDES.historyEntry())),
            Map.entry(BrandEquityTopology.BRAND_EQUITY_STORE, kv(SERDES.string(), SERDES.ledger())),
            Map.entry(BrandEquityTopology.SEGMENT_DROP_STORE, kv(SERDES.string(), SERDES.dropDetector())),
            Map.entry(BrandEquityTopology.EQUITY_SAMPLES_STORE, kv(SERDES.string(), SERDES.equitySamples())),
            Map.entry(BrandEquityTopology.EQUITY_DROP_STORE, kv(SERDES.string(), SERDES.dropDetector())),
            Map.entry(BrandEquityTopology.EQUITY_DELTAS + "-repartition", kv(SERDES.string(), SERDES.ledger())),
            Map.entry(BrandEquityTopology.SEGMENT_WINDOW_INPUTS + "-repartition", kv(SERDES.string(), SERDES.segmentWindowInput())),
            Map.entry(BrandEquityTopology.DRIVER_OBSERVATION_CHANGES + "-repartition", kv(SERDES.string(), SERDES.driverObservationChange())),
            // Keys: segment, NUL, partition and offset (KeyDriversProcessor.pendingKey).
            Map.entry(BrandEquityTopology.KEY_DRIVER_PENDING_STORE, kv(SERDES.string(), SERDES.driverObservationChange())),
            Map.entry(BrandEquityTopology.KEY_DRIVER_STORE, kv(SERDES.string(), SERDES.keyDriverState()))));

    private static KeyValue kv(Serde<?> key, Serde<?> value) {
        return new KeyValue(Encoding.of(key), Encoding.of(value));
    }

    /** The state stores and repartition topics named in the topology's description. */
    static Set<String> statefulNames() {
        TopologyDescription description = BrandEquityTopology
                .build(PipelineConfig.defaults(), new AppSerdes(new InMemorySchemaRegistry())).describe();
        Set<String> names = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor p) names.addAll(p.stores());
                if (node instanceof TopologyDescription.Sink s && s.topic() != null && s.topic().endsWith("-repartition")) {
                    names.add(s.topic());
                }
            }
        }
        return names;
    }

    static Stream<String> names() {
        return CURRENT.keySet().stream();
    }

    @Test
    void everyStoreAndRepartitionTopicOfTheTopologyHasAKnownEncoding() {
        assertEquals(statefulNames(), CURRENT.keySet(), "Each state store and repartition topic needs an entry in "
                + "StateSchemaCompatibilityTest.CURRENT (its key and value encoding) and a snapshot, recorded with: " + HOW_TO_RECORD);
    }

    @Test
    void everySnapshotBelongsToAStoreOrTopicThatStillExists() throws IOException {
        Set<String> recorded = new TreeSet<>();
        if (Files.isDirectory(SNAPSHOTS)) {
            try (Stream<Path> dirs = Files.list(SNAPSHOTS)) {
                dirs.filter(Files::isDirectory).forEach(d -> recorded.add(d.getFileName().toString()));
            }
        }
        recorded.removeAll(CURRENT.keySet());
        assertTrue(recorded.isEmpty(), "Snapshots of state the topology no longer has: " + recorded
                + ". If the store or topic was renamed or removed on purpose, delete its snapshot directory under " + SNAPSHOTS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void theCurrentEncodingReadsStateWrittenWithEveryReleasedEncoding(String name) throws IOException {
        KeyValue current = CURRENT.get(name);
        Path dir = SNAPSHOTS.resolve(name);
        List<Path> versions = versions(dir);
        if (Boolean.getBoolean(RECORD) && versions.stream().noneMatch(v -> read(v).equals(current.toJson(name)))) {
            Files.createDirectories(dir);
            Path next = dir.resolve("v" + (versions.size() + 1) + ".json");
            Files.writeString(next, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(current.toJson(name)) + "\n");
            versions = versions(dir);
        }
        if (versions.isEmpty()) fail("No snapshot of the encoding of " + name + " under " + dir.toAbsolutePath()
                + "; record it (and commit it) with: " + HOW_TO_RECORD);

        List<String> problems = new ArrayList<>();
        for (Path version : versions) {
            JsonNode released = read(version);
            String key = current.key().cannotRead(Encoding.fromJson(released.get("key")));
            String value = current.value().cannotRead(Encoding.fromJson(released.get("value")));
            if (key != null) problems.add(version.getFileName() + " key: " + key);
            if (value != null) problems.add(version.getFileName() + " value: " + value);
        }
        assertTrue(problems.isEmpty(), """
                %s: the current encoding cannot read state written with a released one:
                  %s
                A running deployment restoring this store's changelog (or reading this topic) would fail or
                misread it. Keep the encoding, or give the store or topic a new name (its state is then rebuilt;
                docs/operations.md, "Upgrading"), record the new name's snapshot and delete the old one's:
                  %s""".formatted(name, String.join("\n  ", problems), HOW_TO_RECORD));
    }

    private static List<Path> versions(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("v\\d+\\.json"))
                    .sorted((a, b) -> Integer.compare(number(a), number(b))).toList();
        }
    }

    private static int number(Path version) {
        String file = version.getFileName().toString();
        return Integer.parseInt(file.substring(1, file.length() - ".json".length()));
    }

    private static JsonNode read(Path file) {
        try {
            return Objects.requireNonNull(JSON.readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
