package org.brandequity.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.brandequity.config.PipelineConfig;
import org.brandequity.config.PipelineKeys;

/** The bench.* keys, typed, and the pipeline and simulator keys the user set. */
final class Options {
    List<String> phases;
    long events;
    long lateLiveEvents;
    long ingestEvents;
    int ingestClients;
    int ingestBatch;
    long importRows;
    String importMapping;
    long lateEvents;
    Duration lateNearest;
    Duration lateFarthest;
    int customers;
    int partitions;
    long stepMs;
    int[] rates;
    int rateSeconds;
    int warmupSeconds;
    /** Events the untimed warm-up pipeline folds; -1: the whole input. */
    long warmupEvents;
    int latencyDrainSeconds;
    int alertRate;
    int alertProbes;
    int consoleClients;
    int consoleRate;
    int consoleSegments;
    int consoleLoads;
    int[] scale;
    double scaleEventsPerCustomer;
    String childJvm;
    long timeoutSeconds;
    String out;
    String label;
    /** Pipeline keys set by the user, applied to every phase on top of the bench's own settings. */
    Map<String, String> overrides = new LinkedHashMap<>();
    /** Simulator keys set by the user, below the bench's own seed, customers, rate and step. */
    Map<String, String> simulator = new LinkedHashMap<>();

    static Options of(Map<String, String> values) {
        AbstractConfig c = BenchKeys.KEYS.parse(values);
        Options o = new Options();
        o.phases = c.getList(BenchKeys.PHASES_CONFIG);
        o.events = c.getLong(BenchKeys.EVENTS_CONFIG);
        o.lateLiveEvents = c.getLong(BenchKeys.LATE_LIVE_EVENTS_CONFIG);
        o.ingestEvents = c.getLong(BenchKeys.INGEST_EVENTS_CONFIG);
        o.ingestClients = c.getInt(BenchKeys.INGEST_CLIENTS_CONFIG);
        o.ingestBatch = c.getInt(BenchKeys.INGEST_BATCH_CONFIG);
        o.importRows = c.getLong(BenchKeys.IMPORT_ROWS_CONFIG);
        o.importMapping = c.getString(BenchKeys.IMPORT_MAPPING_CONFIG);
        o.lateEvents = c.getLong(BenchKeys.LATE_EVENTS_CONFIG);
        List<String> behind = c.getList(BenchKeys.LATE_BEHIND_CONFIG);
        o.lateNearest = org.brandequity.model.Durations.parse(BenchKeys.LATE_BEHIND_CONFIG, behind.get(0));
        o.lateFarthest = org.brandequity.model.Durations.parse(BenchKeys.LATE_BEHIND_CONFIG, behind.get(1));
        o.customers = c.getInt(BenchKeys.CUSTOMERS_CONFIG);
        o.partitions = c.getInt(BenchKeys.PARTITIONS_CONFIG);
        o.stepMs = c.getLong(BenchKeys.STEP_MS_CONFIG);
        o.rates = ints(c.getList(BenchKeys.RATES_CONFIG));
        o.rateSeconds = c.getInt(BenchKeys.RATE_SECONDS_CONFIG);
        o.warmupSeconds = c.getInt(BenchKeys.WARMUP_SECONDS_CONFIG);
        o.warmupEvents = c.getLong(BenchKeys.WARMUP_EVENTS_CONFIG);
        o.latencyDrainSeconds = c.getInt(BenchKeys.DRAIN_SECONDS_CONFIG);
        o.alertRate = c.getInt(BenchKeys.ALERT_RATE_CONFIG);
        o.alertProbes = c.getInt(BenchKeys.ALERT_PROBES_CONFIG);
        o.consoleClients = c.getInt(BenchKeys.CONSOLE_CLIENTS_CONFIG);
        o.consoleRate = c.getInt(BenchKeys.CONSOLE_RATE_CONFIG);
        o.consoleSegments = c.getInt(BenchKeys.CONSOLE_SEGMENTS_CONFIG);
        o.consoleLoads = c.getInt(BenchKeys.CONSOLE_LOADS_CONFIG);
        o.scale = ints(c.getList(BenchKeys.SCALE_CONFIG));
        o.scaleEventsPerCustomer = c.getDouble(BenchKeys.SCALE_EVENTS_PER_CUSTOMER_CONFIG);
        o.childJvm = c.getString(BenchKeys.CHILD_JVM_CONFIG);
        o.timeoutSeconds = c.getLong(BenchKeys.TIMEOUT_SECONDS_CONFIG);
        o.out = c.getString(BenchKeys.OUT_CONFIG).isBlank() ? null : c.getString(BenchKeys.OUT_CONFIG);
        o.label = c.getString(BenchKeys.LABEL_CONFIG);
        values.forEach((k, v) -> {
            if (PipelineKeys.KEYS.known(k)) o.overrides.put(k, v);
            else if (k.startsWith("simulator.")) o.simulator.put(k, v);
        });
        PipelineConfig.defaults().with(o.overrides); // invalid pipeline values fail here, before the broker starts
        Input.simulation(o.simulator, 42, o.customers, Duration.ofMillis(o.stepMs));
        return o;
    }

    private static int[] ints(List<String> v) {
        return v.stream().mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phases", phases);
        m.put("events", events);
        m.put("customers", customers);
        m.put("partitions", partitions);
        m.put("stepMs", stepMs);
        m.put("rates", Arrays.toString(rates));
        m.put("rateSeconds", rateSeconds);
        m.put("warmupSeconds", warmupSeconds);
        m.put("alertRate", alertRate);
        m.put("alertProbes", alertProbes);
        m.put("consoleClients", consoleClients);
        m.put("consoleRate", consoleRate);
        m.put("consoleSegments", consoleSegments);
        m.put("consoleLoads", consoleLoads);
        m.put("warmupEvents", warmupEvents);
        m.put("scale", Arrays.toString(scale));
        m.put("scaleEventsPerCustomer", scaleEventsPerCustomer);
        m.put("childJvm", childJvm);
        m.put("overrides", overrides);
        m.put("simulator", simulator);
        return m;
    }
}
