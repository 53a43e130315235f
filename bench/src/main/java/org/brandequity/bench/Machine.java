package org.brandequity.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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
