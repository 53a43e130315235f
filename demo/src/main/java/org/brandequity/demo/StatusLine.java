package org.brandequity.demo;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.brandequity.avro.BrandEquity;
import org.brandequity.runtime.OutputWatcher;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.topology.Counters;

/**
 * The demo's compact live status: events/s in and out, dead letters, current equity and the lowest
 * segment, the open at-risk customers (closed loop), and a progress bar when the run has a known size.
 */
final class StatusLine {
    /** The closed loop's gauge (docs/closed-loop.md), as Micrometer and Prometheus name it. */
    static final String OPEN_AT_RISK_GAUGE = "brandequity_customer_alerts_open";

    private final PrintStream out;
    private final OutputWatcher watcher;
    private final Counters counters;
    private final LongSupplier produced;
    private final long total;
    private long lastIn;
    private long lastOut;
    private long lastAt = System.nanoTime();

    /** {@code counters}: the demo pipeline instance's. */
    StatusLine(PrintStream out, OutputWatcher watcher, Counters counters, LongSupplier produced, long total) {
        this.out = out;
        this.watcher = watcher;
        this.counters = counters;
        this.produced = produced;
        this.total = total;
    }

    void print() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastAt) / 1e9);
        long deadLetters = counters.deadLetters();
        long in = counters.scored() + counters.duplicates() + deadLetters;
        long outRecords = watcher.records();
        double inRate = (in - lastIn) / seconds;
        double outRate = (outRecords - lastOut) / seconds;
        lastIn = in;
        lastOut = outRecords;
        lastAt = now;
        out.println(render(inRate, outRate, deadLetters, watcher.equity(), watcher.segments(), openAtRisk(counters.registry()),
                produced.getAsLong(), total));
        out.flush();
    }

    /**
     * Open at-risk alerts held by this instance's tasks, over every watched segment: the sum of the
     * {@value #OPEN_AT_RISK_GAUGE} gauges in the pipeline's registry (what /metrics exports), or -1
     * while there is none. The demo runs one instance, so this is every open at-risk customer.
     */
    static long openAtRisk(MeterRegistry registry) {
        Collection<Gauge> gauges = registry.find(OPEN_AT_RISK_GAUGE).gauges();
        if (gauges.isEmpty()) return -1;
        return Math.round(gauges.stream().mapToDouble(Gauge::value).filter(Double::isFinite).sum());
    }

    /** @param openAtRisk open at-risk customers, or -1 when not known (left out of the line) */
    static String render(double inRate, double outRate, long deadLetters, BrandEquity equity,
                         Map<String, SegmentExperienceScore> segments, long openAtRisk, long produced, long total) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "in %6.0f ev/s | out %5.0f rec/s | dead letters %d", inRate, outRate, deadLetters));
        if (equity != null) {
            s.append(String.format(Locale.ROOT, " | equity %.1f (index %+.1f, %d events)", equity.getStock(), equity.getIndex(), equity.getEvents()));
        } else {
            s.append(" | equity: waiting for the first flush");
        }
        segments.values().stream().filter(x -> x.getSampleSize() > 0)
                .min(Comparator.comparingDouble(SegmentExperienceScore::getNetExperience))
                .ifPresent(low -> s.append(String.format(Locale.ROOT, " | lowest segment %s NX %+.0f ±%.0f (n=%d)",
                        low.getSegment(), low.getNetExperience(), low.getNetExperienceMarginOfError(), low.getSampleSize())));
        if (openAtRisk >= 0) s.append(" | at risk ").append(openAtRisk).append(" open");
        if (total > 0) {
            int width = 20;
            int done = (int) Math.min(width, width * produced / total);
            s.append(" | [").append("#".repeat(done)).append(".".repeat(width - done)).append(']')
                    .append(String.format(Locale.ROOT, " %3d%%", 100 * produced / total));
        }
        return s.toString();
    }
}
