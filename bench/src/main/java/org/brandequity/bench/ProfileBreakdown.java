package org.brandequity.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Where each microsecond of the timed pipeline's stream threads goes, from an async-profiler CPU
 * profile of the throughput phase ({@code bench/profile.sh}).
 *
 * <p>The profile is async-profiler's "collapsed" output with thread names ({@code threads,collapsed}):
 * one line per distinct stack, frames from the root, separated by {@code ;}, then the sample count.
 * Only the timed pipeline's stream threads are kept (thread frames {@code [bench-throughput-…-StreamThread-N …]}):
 * the warm-up pipeline, the floors, the broker and the JIT compilers are other threads. Every sample is
 * put in exactly one {@link #CATEGORIES category}, the first whose frames all appear in the stack, in
 * order, from the root; a category's share of the samples times the run's measured stream-thread CPU
 * per event (its result file) is its microseconds per event, so the table sums to the measured figure.
 *
 * <p>Hand-written: async-profiler's converter draws the flame graph but does not sum stacks by rules.
 */
public final class ProfileBreakdown {
    /** The thread frame of the timed pipeline's stream threads. */
    static final String TIMED_STREAM_THREAD = "[bench-throughput-";

    /** A category and the frames (substrings, in order from the root) a stack must hold to be in it. */
    record Category(String name, List<String> frames) {
        boolean matches(String[] stack) {
            int at = 0;
            for (String f : frames) {
                while (at < stack.length && !stack[at].contains(f)) at++;
                if (at == stack.length) return false;
                at++;
            }
            return true;
        }
    }

    private static Category c(String name, String... frames) {
        return new Category(name, List.of(frames));
    }

    private static final String LEDGER = "CustomerLedgerProcessor.process";

    /**
     * First match wins: the processors downstream of the ledger step (reached through its forward)
     * come before the ledger step itself, and within it the specific work before its layers.
     */
    static final List<Category> CATEGORIES = List.of(
            c("decode of records read (input and repartition topics)", "RecordDeserializer"),
            c("window closing and revisions", "CloseCustomerWindows"),
            c("equity pre-aggregation", "EquityPreAggregator"),
            c("outputs (sinks and their serdes)", LEDGER, "SinkNode"),
            c("dedup", LEDGER, "hasSeen"),
            c("scoring", LEDGER, "ScoringModel"),
            c("panes", LEDGER, "CustomerLedgers."),
            c("customer equity and at-risk", LEDGER, "CustomerClosedLoop"),
            c("ledger read: RocksDB get", LEDGER, "MeteredKeyValueStore.get", "RocksDBStore.get"),
            c("ledger read: decode", LEDGER, "MeteredKeyValueStore.get", "deserialize"),
            c("ledger read: store layers and metrics", LEDGER, "MeteredKeyValueStore.get"),
            c("ledger write: encode", LEDGER, "MeteredKeyValueStore.put", "serialize"),
            c("ledger write: RocksDB put", LEDGER, "MeteredKeyValueStore.put", "RocksDBStore.put"),
            c("ledger write: changelog send", LEDGER, "MeteredKeyValueStore.put", "RecordCollectorImpl.send"),
            c("ledger write: store layers and metrics", LEDGER, "MeteredKeyValueStore.put"),
            c("ledger step: stream time, alerts, counters, the rest", LEDGER),
            c("validation", "ValidateInteraction"),
            c("segment and touchpoint windows", "SegmentWindows"),
            c("segment and touchpoint windows", "TouchpointWindows"),
            c("equity fold and drop detection", "KStreamReduce"),
            c("equity fold and drop detection", "EquityDropDetection"),
            c("equity fold and drop detection", "KTableSource"),
            c("equity fold and drop detection", "KStreamMapValues"),
            c("profiles", "ApplyCustomerProfile"),
            c("task readiness check (Kafka Streams formats log text)", "PartitionGroup.readyToProcess"),
            c("commits (exactly-once transactions)", "commit"),
            c("poll", "pollPhase"),
            c("poll", "KafkaConsumer.poll"),
            c("state updater", "checkStateUpdater"),
            c("Kafka Streams record loop (queues, timestamps, metrics)", "StreamTask"),
            c("other runtime", ""));

    /** Sample counts per category, in {@link #CATEGORIES} order, and the total. */
    record Breakdown(Map<String, Long> samples, long total) {
        /** The markdown table, with each category's share of {@code streamThreadMicros} per event. */
        String table(double streamThreadMicros) {
            StringBuilder t = new StringBuilder("| where the stream threads' time goes | samples | share | µs per event |\n|---|---|---|---|\n");
            samples.forEach((name, n) -> {
                if (n == 0) return;
                double share = (double) n / total;
                t.append(String.format(Locale.ROOT, "| %s | %,d | %.1f %% | %.2f |%n", name, n, 100 * share, share * streamThreadMicros));
            });
            t.append(String.format(Locale.ROOT, "| **total** (measured stream-thread CPU per event) | %,d | 100 %% | **%.2f** |%n", total,
                    streamThreadMicros));
            return t.toString();
        }
    }

    private ProfileBreakdown() {}

    /** Counts the timed stream threads' samples of {@code collapsed} by category. */
    static Breakdown of(List<String> collapsed) {
        Map<String, Long> samples = new LinkedHashMap<>();
        for (Category cat : CATEGORIES) samples.putIfAbsent(cat.name(), 0L);
        long total = 0;
        for (String line : collapsed) {
            int space = line.lastIndexOf(' ');
            if (space < 0 || !line.startsWith(TIMED_STREAM_THREAD) || !line.contains("StreamThread-")) continue;
            long n = Long.parseLong(line.substring(space + 1).trim());
            String[] stack = line.substring(0, space).split(";");
            for (Category cat : CATEGORIES) {
                if (cat.matches(stack)) {
                    samples.merge(cat.name(), n, Long::sum);
                    break;
                }
            }
            total += n;
        }
        return new Breakdown(samples, total);
    }

    /**
     * The timed stream threads' stacks with short frame names (class and method, no package) and one
     * thread frame for all of them: the input of the flame graph.
     */
    static List<String> streamThreadStacks(List<String> collapsed) {
        List<String> out = new ArrayList<>();
        for (String line : collapsed) {
            int space = line.lastIndexOf(' ');
            if (space < 0 || !line.startsWith(TIMED_STREAM_THREAD) || !line.contains("StreamThread-")) continue;
            String[] stack = line.substring(0, space).split(";");
            StringBuilder s = new StringBuilder("stream threads");
            for (int i = 1; i < stack.length; i++) s.append(';').append(shortName(stack[i]));
            out.add(s.append(line.substring(space)).toString());
        }
        return out;
    }

    /** {@code org/apache/kafka/streams/state/internals/RocksDBStore.get} to {@code RocksDBStore.get}; native frames as they are. */
    static String shortName(String frame) {
        if (frame.contains("::") || frame.startsWith("[") || !frame.contains("/")) return frame;
        int paren = frame.indexOf('(');
        String head = paren < 0 ? frame : frame.substring(0, paren);
        int slash = head.lastIndexOf('/');
        return frame.substring(slash + 1);
    }

    static List<String> read(Path file) throws IOException {
        if (file.toString().endsWith(".gz")) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                    StandardCharsets.UTF_8))) {
                return r.lines().toList();
            }
        }
        return Files.readAllLines(file);
    }

    /** The stream-thread CPU per event the run measured, from its result file. */
    static double streamThreadMicros(Path resultJson) throws IOException {
        JsonNode p = new ObjectMapper().readTree(resultJson.toFile()).at("/throughput/pipeline/streamThreadCpuMicrosPerEvent");
        if (!p.isNumber()) throw new IllegalArgumentException(resultJson + " has no throughput.pipeline.streamThreadCpuMicrosPerEvent");
        return p.asDouble();
    }

    /**
     * {@code ProfileBreakdown <all.collapsed> <result.json> <outDir>}: writes {@code stream-threads.collapsed.gz}
     * (the flame graph's input) and {@code breakdown.md} into {@code outDir}; {@code ProfileBreakdown --table
     * <stream-threads.collapsed.gz> <result.json>} prints the table of a kept profile.
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("--table")) {
            System.out.print(tableOfKept(Path.of(args[1]), Path.of(args[2])));
            return;
        }
        if (args.length != 3) {
            System.err.println("usage: ProfileBreakdown <all.collapsed> <result.json> <outDir> | --table <stream-threads.collapsed.gz> <result.json>");
            System.exit(2);
        }
        List<String> all = read(Path.of(args[0]));
        Path out = Path.of(args[2]);
        Files.createDirectories(out);
        List<String> stacks = streamThreadStacks(all);
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(out.resolve("stream-threads.collapsed.gz"))), StandardCharsets.UTF_8))) {
            for (String s : stacks) w.write(s + "\n");
        }
        String table = of(all).table(streamThreadMicros(Path.of(args[1])));
        Files.writeString(out.resolve("breakdown.md"), table);
        System.out.print(table);
    }

    /**
     * The table of a kept profile: its stream-thread stacks (thread frame already merged, short
     * names) read back as if they came from the timed threads, since the categories match on
     * substrings of the frames and the short names keep class and method.
     */
    static String tableOfKept(Path streamThreads, Path resultJson) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l : read(streamThreads)) {
            lines.add(TIMED_STREAM_THREAD + "StreamThread-0]" + l.substring(l.indexOf(';') < 0 ? l.indexOf(' ') : l.indexOf(';')));
        }
        return of(lines).table(streamThreadMicros(resultJson));
    }
}
