package org.brandequity.bench;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.brandequity.config.CommandKeys;
import org.brandequity.config.ConfigSection;
import org.brandequity.config.PipelineKeys;
import org.brandequity.config.Validators;
import org.brandequity.sim.SimulatorKeys;

/** The benchmark's own {@code bench.*} keys (docs/benchmark.md), one definition each. */
public final class BenchKeys {
    public static final String PHASES_CONFIG = "bench.phases";
    public static final String EVENTS_CONFIG = "bench.events";
    public static final String WARMUP_EVENTS_CONFIG = "bench.warmup.events";
    public static final String CUSTOMERS_CONFIG = "bench.customers";
    public static final String PARTITIONS_CONFIG = "bench.partitions";
    public static final String STEP_MS_CONFIG = "bench.step.ms";
    public static final String RATES_CONFIG = "bench.rates";
    public static final String RATE_SECONDS_CONFIG = "bench.rate.seconds";
    public static final String WARMUP_SECONDS_CONFIG = "bench.warmup.seconds";
    public static final String DRAIN_SECONDS_CONFIG = "bench.drain.seconds";
    public static final String ALERT_RATE_CONFIG = "bench.alert.rate";
    public static final String ALERT_PROBES_CONFIG = "bench.alert.probes";
    public static final String CONSOLE_CLIENTS_CONFIG = "bench.console.clients";
    public static final String CONSOLE_RATE_CONFIG = "bench.console.rate";
    public static final String CONSOLE_SEGMENTS_CONFIG = "bench.console.segments";
    public static final String CONSOLE_LOADS_CONFIG = "bench.console.loads";
    public static final String LATE_LIVE_EVENTS_CONFIG = "bench.late.live.events";
    public static final String LATE_EVENTS_CONFIG = "bench.late.events";
    public static final String LATE_BEHIND_CONFIG = "bench.late.behind";
    public static final String INGEST_EVENTS_CONFIG = "bench.ingest.events";
    public static final String INGEST_CLIENTS_CONFIG = "bench.ingest.clients";
    public static final String INGEST_BATCH_CONFIG = "bench.ingest.batch";
    public static final String IMPORT_ROWS_CONFIG = "bench.import.rows";
    public static final String IMPORT_MAPPING_CONFIG = "bench.import.mapping";
    public static final String SCALE_CONFIG = "bench.scale";
    public static final String SCALE_EVENTS_PER_CUSTOMER_CONFIG = "bench.scale.events.per.customer";
    public static final String CHILD_JVM_CONFIG = "bench.child.jvm";
    public static final String TIMEOUT_SECONDS_CONFIG = "bench.timeout.seconds";
    public static final String OUT_CONFIG = "bench.out";
    public static final String LABEL_CONFIG = "bench.label";

    public static final ConfigSection SECTION = new ConfigSection("bench", define(), List.of());

    /** What the benchmark reads: the pipeline's keys (applied to every phase), the simulator's and its own. */
    public static final CommandKeys KEYS = PipelineKeys.KEYS.plus(SimulatorKeys.SECTION, SECTION);

    private BenchKeys() {}

    private static ConfigDef define() {
        return new ConfigDef()
                .define(PHASES_CONFIG, Type.LIST, "throughput,latency,alertlatency,scale,late,ingest,import,console",
                        ConfigDef.ValidList.in("throughput", "latency", "alertlatency", "scale", "late", "ingest", "import", "console"),
                        Importance.HIGH, "Phases to run, in this order.")
                .define(EVENTS_CONFIG, Type.LONG, 2_000_000L, Range.atLeast(1), Importance.HIGH,
                        "throughput: interactions to preload.")
                // After a 1M warm-up the JIT still took 2.9 µs/event, after 2M 2.2 (docs/benchmark.md).
                .define(WARMUP_EVENTS_CONFIG, Type.LONG, -1L, Range.atLeast(-1), Importance.MEDIUM,
                        "throughput: events a first, untimed pipeline (own application id, same input) folds before the timed one; "
                                + "-1 = all of the input, 0 = no warm-up.")
                .define(CUSTOMERS_CONFIG, Type.INT, 100_000, Range.atLeast(1), Importance.MEDIUM,
                        "throughput, latency and alertlatency: simulated customers.")
                .define(PARTITIONS_CONFIG, Type.INT, 6, Range.atLeast(1), Importance.MEDIUM,
                        "Partitions of the input topics.")
                .define(STEP_MS_CONFIG, Type.LONG, 2L, Range.atLeast(1), Importance.LOW,
                        "Event-time spacing of preloaded events, in milliseconds.")
                .define(RATES_CONFIG, Type.LIST, "5000,20000,50000", positiveInts(), Importance.MEDIUM,
                        "latency: input rates in events/s, one step each.")
                .define(RATE_SECONDS_CONFIG, Type.INT, 25, Range.atLeast(1), Importance.LOW,
                        "latency: seconds per rate.")
                .define(WARMUP_SECONDS_CONFIG, Type.INT, 5, Range.atLeast(0), Importance.LOW,
                        "latency: first seconds of each rate left out of the figures.")
                .define(DRAIN_SECONDS_CONFIG, Type.INT, 60, Range.atLeast(1), Importance.LOW,
                        "latency: how long to wait for a rate's backlog to drain; figures are lower bounds after it.")
                .define(ALERT_RATE_CONFIG, Type.INT, 20_000, Range.atLeast(1), Importance.MEDIUM,
                        "alertlatency: input rate in events/s, for bench.rate.seconds (the first bench.warmup.seconds left out).")
                .define(ALERT_PROBES_CONFIG, Type.INT, 20, Range.atLeast(1), Importance.LOW,
                        "alertlatency: detractor-level events of probe customers per second among that input, each timed to its at-risk alert.")
                .define(CONSOLE_CLIENTS_CONFIG, Type.INT, 0, Range.between(0, 32), Importance.MEDIUM,
                        "throughput and latency: live-console event streams (/console/events) held open and read beside the pipeline, "
                                + "to show what an open console costs the on-time path (at most the console's 32 streams).")
                .define(CONSOLE_RATE_CONFIG, Type.INT, 10_000, Range.atLeast(1), Importance.MEDIUM,
                        "console: input rate in events/s while a headless Chromium shows the console, for bench.rate.seconds "
                                + "(the first bench.warmup.seconds left out); one at-risk probe a second is timed to the browser.")
                .define(CONSOLE_SEGMENTS_CONFIG, Type.INT, 30, Range.between(1, 32), Importance.LOW,
                        "console: segments of the preloaded cells whose first paint is timed: segments x 18 touchpoints (all but OTHER) x 2 stages "
                                + "cells (30: 1,080 cells; at most equity.max.segments' default, 32).")
                .define(CONSOLE_LOADS_CONFIG, Type.INT, 5, Range.between(1, 100), Importance.LOW,
                        "console: page loads timed (median and slowest reported).")
                .define(LATE_LIVE_EVENTS_CONFIG, Type.LONG, 200_000L, Range.atLeast(1), Importance.LOW,
                        "late: on-time interactions folded first, ending about now (the live traffic the late events are behind).")
                .define(LATE_EVENTS_CONFIG, Type.LONG, 2_000_000L, Range.atLeast(1), Importance.MEDIUM,
                        "late: interactions then sent behind the live traffic, event times uniform over bench.late.behind.")
                .define(LATE_BEHIND_CONFIG, Type.LIST, "1h,167h", ConfigDef.LambdaValidator.with((name, value) -> {
                            @SuppressWarnings("unchecked") List<String> v = (List<String>) value;
                            if (v.size() != 2) throw new ConfigException(name, value, "two durations: nearest,farthest");
                            v.forEach(d -> org.brandequity.model.Durations.parse(name, d));
                        }, () -> "nearest,farthest"), Importance.LOW,
                        "late: how far behind the live traffic the late events lie, nearest and farthest (within late.horizon).")
                .define(INGEST_EVENTS_CONFIG, Type.LONG, 500_000L, Range.atLeast(1), Importance.MEDIUM,
                        "ingest: interactions sent by a plain KafkaProducer and, the same ones, through the HTTP ingestion service (each twice).")
                .define(INGEST_CLIENTS_CONFIG, Type.INT, 8, Range.atLeast(1), Importance.LOW,
                        "ingest: concurrent HTTP clients, each waiting for its answer before its next request.")
                .define(INGEST_BATCH_CONFIG, Type.INT, 100, Range.between(1, 10_000), Importance.LOW,
                        "ingest: events per request (NDJSON).")
                .define(IMPORT_ROWS_CONFIG, Type.LONG, 1_000_000L, Range.atLeast(1), Importance.MEDIUM,
                        "import: rows of the generated survey-export CSV imported with the import command.")
                .define(IMPORT_MAPPING_CONFIG, Type.STRING, "examples/survey-export.mapping.yaml", new ConfigDef.NonEmptyString(), Importance.LOW,
                        "import: the mapping file the generated CSV is imported with (its layout is examples/survey-export.csv's).")
                .define(SCALE_CONFIG, Type.LIST, "10000,100000,1000000", positiveInts(), Importance.MEDIUM,
                        "scale: customer counts, one pipeline JVM each.")
                .define(SCALE_EVENTS_PER_CUSTOMER_CONFIG, Type.DOUBLE, 2.0, Validators.greaterThan(0), Importance.LOW,
                        "scale: interactions per customer.")
                .define(CHILD_JVM_CONFIG, Type.STRING, "-Xmx512m", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "scale: JVM flags of the pipeline's own JVM.")
                .define(TIMEOUT_SECONDS_CONFIG, Type.LONG, 900L, Range.atLeast(1), Importance.LOW,
                        "Longest wait for a pipeline to fold its input.")
                .define(OUT_CONFIG, Type.STRING, "", Importance.LOW,
                        "Results directory; empty = bench/results when run from the project root, else target.")
                .define(LABEL_CONFIG, Type.STRING, "run", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Name in the results files (also --label).");
    }

    private static ConfigDef.Validator positiveInts() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            for (Object o : (List<?>) value) {
                try {
                    if (Integer.parseInt(o.toString().trim()) < 1) throw new NumberFormatException();
                } catch (NumberFormatException e) {
                    throw new ConfigException(name, value, "'" + o + "' is not a whole number >= 1");
                }
            }
        }, () -> "whole numbers >= 1, comma-separated");
    }
}
