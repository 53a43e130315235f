package org.brandequity.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the machine and this JVM look like right now: load, heap after GC, resident set size. */
final class Machine {
    private Machine() {}

    /** The 1-minute load average, or -1 where /proc is missing. */
    static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS of this process in bytes, or -1 where /proc is missing. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** Heap used after two full collections (System.gc() is a full collection under G1 by default). */
    static long heapUsedAfterGc() {
        System.gc();
        sleep(200);
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** CPU time of this whole process (every thread, the in-process broker's included), in ns. */
    static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime();
        return -1;
    }

    /**
     * CPU time, in ns, of the live threads whose name contains every one of {@code parts} (e.g.
     * "StreamThread", or an application id and "StreamThread" when several clients have lived).
     * Client I/O threads are left out: a stream thread's producer names its network thread
     * "kafka-producer-network-thread | ...-StreamThread-1-producer".
     */
    static long threadCpuNanos(String... parts) {
        var threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && containsAll(info.getThreadName(), parts) && !info.getThreadName().startsWith("kafka-")) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t > 0) sum += t;
            }
        }
        return sum;
    }

    /**
     * CPU time, in ns, of every native thread of this process by thread group, from
     * {@code /proc/self/task/<tid>/{comm,stat}}: unlike {@link #threadCpuNanos} it sees the JIT
     * compiler, the GC and RocksDB's background threads. Keyed by thread id, with the group name,
     * so that two snapshots can be subtracted (see {@link #cpuByGroupSince}). Empty where /proc is missing.
     */
    static Map<String, ThreadCpu> threadCpuSnapshot() {
        Map<String, ThreadCpu> m = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    String stat = Files.readString(task.resolve("stat"));
                    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    m.put(task.getFileName().toString(), new ThreadCpu(group(comm), ticks * 10_000_000L));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return m;
    }

    record ThreadCpu(String group, long nanos) {}

    /** CPU ns per thread group spent since {@code before}, largest first. Threads born since count whole. */
    static Map<String, Long> cpuByGroupSince(Map<String, ThreadCpu> before) {
        Map<String, Long> sums = new HashMap<>();
        threadCpuSnapshot().forEach((tid, now) -> {
            ThreadCpu then = before.get(tid);
            long spent = now.nanos() - (then == null ? 0 : then.nanos());
            if (spent > 0) sums.merge(now.group(), spent, Long::sum);
        });
        Map<String, Long> sorted = new LinkedHashMap<>();
        sums.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Thread names cut to Linux's 15 characters, folded into the groups that matter here. */
    private static String group(String comm) {
        for (var g : List.of(
                Map.entry("C2 Compiler", "JIT compiler (C2)"), Map.entry("C1 Compiler", "JIT compiler (C1)"),
                Map.entry("GC Thread", "GC"), Map.entry("G1 ", "GC"), Map.entry("VM Thread", "GC"),
                Map.entry("data-plane-kafk", "broker request handling"), Map.entry("kafka-producer-", "producer network threads"),
                Map.entry("rocksdb:", "RocksDB flush and compaction"), Map.entry("StreamThread", "stream threads"))) {
            if (comm.startsWith(g.getKey()) || comm.contains(g.getKey())) return g.getValue();
        }
        return comm.startsWith("bench-") ? "stream threads" : "other";
    }

    private static boolean containsAll(String name, String[] parts) {
        for (String part : parts) {
            if (!name.contains(part)) return false;
        }
        return true;
    }

    static Map<String, Object> memory() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heapUsedAfterGcMiB", mib(heapUsedAfterGc()));
        m.put("heapCommittedMiB", mib(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted()));
        m.put("nonHeapUsedMiB", mib(ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed()));
        m.put("rssMiB", mib(rssBytes()));
        m.put("load1", load1());
        return m;
    }

    static double mib(long bytes) {
        return bytes < 0 ? -1 : Math.round(bytes / 1048576.0 * 10) / 10.0;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
