package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.internal.EquityHistoryEntry;
import org.brandequity.avro.internal.HistoryCellSums;
import org.brandequity.model.EquityStock.Cell;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.junit.jupiter.api.Test;

/**
 * What the equity history costs on disk at the default retention (400 days of hourly points) for a
 * brand with 3 segments &times; 40 touchpoint-stage pairs: the serialized size of one point (exact:
 * it is what the changelog and the history topic hold per point) and a real RocksDB store with every
 * point written (measured). docs/benchmark.md states both; this test fails when the exact figure there
 * differs.
 */
class EquityHistorySizeTest {
    private static final List<String> SEGMENTS = List.of("broad-base", "high-value", "mid-market");
    private static final int PAIRS = 40;
    private static final int POINTS = 400 * 24;

    static EquityHistoryEntry point(long seed) {
        Map<String, HistoryCellSums> cells = new HashMap<>();
        java.util.Random rnd = new java.util.Random(seed);
        for (String segment : SEGMENTS) {
            int n = 0;
            for (Touchpoint tp : Touchpoint.values()) {
                for (LifecycleStage stage : LifecycleStage.values()) {
                    if (n++ >= PAIRS) break;
                    // Late data revised a few cells: their restated sums are not zero.
                    boolean restated = rnd.nextInt(10) == 0;
                    cells.put(new Cell(segment, tp, stage).key(), new HistoryCellSums(rnd.nextGaussian() * 100, rnd.nextDouble() * 200,
                            restated ? rnd.nextGaussian() : 0.0, restated ? rnd.nextDouble() : 0.0));
                }
            }
        }
        return new EquityHistoryEntry(1_000_000L + seed, 120L, 3, cells);
    }

    @Test
    void theHistorysSizeAt400DaysIsTheOneDocsBenchmarkMdStates() throws IOException {
        AppSerdes serdes = new AppSerdes(new InMemorySchemaRegistry());
        int bytes = serdes.historyEntry().serializer().serialize("t", point(1)).length + Long.BYTES;
        long total = (long) bytes * POINTS;

        Path dir = Files.createTempDirectory("history-size");
        long onDisk;
        try {
            Properties p = new Properties();
            p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
            p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class);
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "history-size");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            MockProcessorContext<Object, Object> context = new MockProcessorContext<>(p, new org.apache.kafka.streams.processor.TaskId(0, 0), dir.toFile());
            KeyValueStore<Long, EquityHistoryEntry> store = Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(BrandEquityTopology.EQUITY_HISTORY_STORE), serdes.longs(), serdes.historyEntry())
                    .withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            long hour = 3_600_000L;
            for (int i = 0; i < POINTS; i++) store.put(EquityHistories.storeKey(i * hour), point(i));
            store.flush();
            store.close();
            try (Stream<Path> files = Files.walk(dir)) {
                onDisk = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
        } finally {
            Utils.delete(dir.toFile());
        }
        System.out.printf("equity history at 400 days, 3 segments x 40 pairs: %d bytes per point, %d points, %.1f MB serialized, %.1f MB in RocksDB%n",
                bytes, POINTS, total / 1e6, onDisk / 1e6);

        Path here = Path.of("docs", "benchmark.md");
        String page = Files.readString(Files.exists(here) ? here : Path.of("..", "docs", "benchmark.md"));
        Matcher m = Pattern.compile("history point is \\*\\*([\\d,]+) bytes\\*\\*").matcher(page);
        assertTrue(m.find(), "docs/benchmark.md states no 'history point is **N bytes**'");
        assertEquals(bytes, Integer.parseInt(m.group(1).replace(",", "")), "docs/benchmark.md's size of a history point");
    }
}
