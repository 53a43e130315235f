package org.brandequity.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Starts nothing: sums hand-written stacks, and checks docs/benchmark.md's profile tables against the kept profiles. */
class ProfileBreakdownTest {
    private static final String T = "[bench-throughput-1-StreamThread-1 tid=7];";

    @Test
    void aStackIsCountedInTheFirstCategoryWhoseFramesItHoldsInOrder() {
        ProfileBreakdown.Breakdown b = ProfileBreakdown.of(List.of(
                T + "a/StreamTask.process;x/CustomerLedgerProcessor.process;y/MeteredKeyValueStore.get;z/RocksDBStore.get;rocksdb::Get 3",
                T + "a/StreamTask.process;x/CustomerLedgerProcessor.process;q/ProcessorContextImpl.forward;w/CloseCustomerWindows.process 2",
                // The frames out of order: RocksDBStore.get above the processor is not the ledger read.
                T + "z/RocksDBStore.get;x/CustomerLedgerProcessor.process 1"));
        assertEquals(3L, b.samples().get("ledger read: RocksDB get"));
        assertEquals(2L, b.samples().get("window closing and revisions"), "a processor downstream of the ledger step is its own");
        assertEquals(1L, b.samples().get("ledger step: stream time, alerts, counters, the rest"));
        assertEquals(6L, b.total());
    }

    @Test
    void onlyTheTimedPipelinesStreamThreadsAreCounted() {
        ProfileBreakdown.Breakdown b = ProfileBreakdown.of(List.of(
                "[bench-warmup-1-StreamThread-1 tid=5];x/CustomerLedgerProcessor.process 10",
                "[C2 CompilerThre tid=9];Compile 10",
                "[bench-throughput-1-kafka-producer-network-thread tid=8];x/Sender.run 10",
                T + "x/CustomerLedgerProcessor.process 1"));
        assertEquals(1L, b.total());
    }

    @Test
    void theTableSumsToTheMeasuredStreamThreadCpuPerEvent() {
        String table = ProfileBreakdown.of(List.of(T + "a/StreamTask.process;v/ValidateInteraction.process 1",
                T + "k/TaskManager.commit 3")).table(8.0);
        assertTrue(table.contains("| validation | 1 | 25.0 % | 2.00 |"), table);
        assertTrue(table.contains("| commits (exactly-once transactions) | 3 | 75.0 % | 6.00 |"), table);
        assertTrue(table.contains("| **total** (measured stream-thread CPU per event) | 4 | 100 % | **8.00** |"), table);
        assertFalse(table.contains("| poll |"), "categories without samples are left out");
    }

    @Test
    void frameNamesLoseTheirPackageButNotTheirClassAndMethod() {
        assertEquals("RocksDBStore.get", ProfileBreakdown.shortName("org/apache/kafka/streams/state/internals/RocksDBStore.get"));
        assertEquals("rocksdb::DBImpl::Get", ProfileBreakdown.shortName("rocksdb::DBImpl::Get"));
    }

    private static final Pattern BLOCK = Pattern.compile("<!-- profile-table:([^ ]+):begin -->\n(.*?)<!-- profile-table:\\1:end -->",
            Pattern.DOTALL);

    @Test
    void everyProfileTableInDocsBenchmarkIsTheOneItsKeptProfileGives() throws IOException {
        Path root = Files.exists(Path.of("..", "docs", "benchmark.md")) && !Files.exists(Path.of("docs")) ? Path.of("..") : Path.of(".");
        Path doc = root.resolve("docs/benchmark.md");
        Path profiles = root.resolve("bench/results/profiles");
        String text = Files.readString(doc);
        Matcher m = BLOCK.matcher(text);
        StringBuilder updated = new StringBuilder();
        int tables = 0;
        while (m.find()) {
            Path dir = profiles.resolve(m.group(1));
            Path json;
            try (Stream<Path> files = Files.list(dir)) {
                json = files.filter(f -> f.getFileName().toString().matches("bench-.*\\.json")).findFirst().orElseThrow();
            }
            String table = ProfileBreakdown.tableOfKept(dir.resolve("stream-threads.collapsed.gz"), json);
            tables++;
            if (Boolean.getBoolean(BenchmarkReportTest.REGENERATE)) {
                m.appendReplacement(updated, Matcher.quoteReplacement(
                        "<!-- profile-table:" + m.group(1) + ":begin -->\n" + table + "<!-- profile-table:" + m.group(1) + ":end -->"));
            } else {
                assertEquals(table, m.group(2), "docs/benchmark.md's table of profile " + m.group(1) + " differs from the profile. Regenerate with\n"
                        + "  mvn -B -pl bench -am test -Dtest=ProfileBreakdownTest -Dsurefire.failIfNoSpecifiedTests=false -D"
                        + BenchmarkReportTest.REGENERATE + "=true");
            }
        }
        if (Boolean.getBoolean(BenchmarkReportTest.REGENERATE)) {
            m.appendTail(updated);
            Files.writeString(doc, updated.toString());
        }
        assertTrue(tables >= 1, "docs/benchmark.md shows at least one profile table");
    }
}
