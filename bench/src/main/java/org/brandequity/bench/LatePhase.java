package org.brandequity.bench;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.runtime.Pipeline;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.topology.BrandEquityTopology;

/** Phase 4: the late path's rate, and the closed-pane store's bytes per remembered event id. */
final class LatePhase extends Phase {
    LatePhase(BenchRun run) {
        super(run);
    }

    /**
     * Live traffic first (on time, ending about now), folded; then {@code bench.late.events} more sent
     * while the pipeline runs, with event times uniform over {@code bench.late.behind} behind it: every
     * one counted late, revising its closed windows. Rate: from the first late send to the equity
     * record that counts the last one. Then the closed-pane store: its bytes on disk (RocksDB, after
     * the pipeline closed and flushed it) and in its changelog, per event id it remembers.
     */
    @Override
    void run() throws Exception {
        PipelineConfig config = config("late");
        TopicAdmin.ensureTopics(config);
        Duration step = Duration.ofMillis(o.stepMs);
        log("late: preloading %,d live interactions of %,d customers...", o.lateLiveEvents, o.customers);
        Input.Preloaded live = Input.preload(config, serdes, o.simulator, o.customers, o.lateLiveEvents, step, 45);
        Map<String, Object> r = new LinkedHashMap<>();
        long rememberedIds;
        long revisedBefore;
        try (EquityWatcher watcher = new EquityWatcher(broker.bootstrapServers(), config.topics().equity(),
                serdes.brandEquity().deserializer());
             Pipeline pipeline = new Pipeline(config).start()) {
            awaitRunning(pipeline.streams(), Duration.ofSeconds(60));
            if (watcher.awaitAtLeast(live.distinct(), Duration.ofSeconds(o.timeoutSeconds)) < 0) {
                throw new IllegalStateException("the pipeline did not fold the live events; latest: " + watcher.latest());
            }
            revisedBefore = pipeline.counters().lateRevised();
            log("late: live traffic folded (%,d events); sending %,d late events %s to %s behind it...",
                    live.distinct(), o.lateEvents, o.lateNearest, o.lateFarthest);
            var threads0 = Machine.threadCpuSnapshot();
            long t0 = System.nanoTime();
            long cpu0 = Machine.processCpuNanos();
            Input.Preloaded late = Input.preloadBehind(config, serdes, o.simulator, o.customers, o.lateEvents,
                    live.lastEventTime().minus(o.lateFarthest), live.lastEventTime().minus(o.lateNearest), 46);
            long sent = System.nanoTime();
            long done = watcher.awaitAtLeast(live.distinct() + late.distinct(), Duration.ofSeconds(o.timeoutSeconds));
            if (done < 0) {
                throw new IllegalStateException("the pipeline did not fold the late events within " + o.timeoutSeconds
                        + " s; latest equity record: " + watcher.latest() + " of " + (live.distinct() + late.distinct()));
            }
            long cpu = Machine.processCpuNanos() - cpu0;
            double seconds = (done - t0) / 1e9;
            long revised = pipeline.counters().lateRevised() - revisedBefore;
            r.put("lateRecords", late.records());
            r.put("lateDistinctEvents", late.distinct());
            r.put("countedLate", revised);
            r.put("sendSeconds", round((sent - t0) / 1e9, 2));
            r.put("seconds", round(seconds, 2));
            r.put("eventsPerSecond", Math.round(late.records() / seconds));
            r.put("processCpuMicrosPerEvent", round(cpu / 1e3 / late.records(), 2));
            Map<String, Object> byGroup = new LinkedHashMap<>();
            Machine.cpuByGroupSince(threads0).forEach((group, ns) -> byGroup.put(group, round(ns / 1e3 / late.records(), 2)));
            r.put("cpuMicrosPerEventByThreadGroup", byGroup);
            log("late: CPU µs per late event by thread group: %s", byGroup);
            r.put("memory", Machine.memory());
            rememberedIds = rememberedIds(pipeline.streams());
        }
        r.put("deadLetters", countCommitted(config.topics().deadLetters()));
        long disk = directorySize(Paths.get(config.stateDir()), BrandEquityTopology.CLOSED_PANE_STORE, "");
        // Segment files only: the index files beside them are preallocated (10 MiB each, sparse).
        long changelog = directorySize(work.resolve("kafka"), config.applicationId() + "-" + BrandEquityTopology.CLOSED_PANE_STORE + "-changelog", ".log");
        r.put("rememberedIds", rememberedIds);
        r.put("closedPaneStoreBytes", disk);
        r.put("closedPaneChangelogBytes", changelog);
        r.put("diskBytesPerRememberedId", rememberedIds == 0 ? 0 : round((double) disk / rememberedIds, 1));
        r.put("changelogBytesPerRememberedId", rememberedIds == 0 ? 0 : round((double) changelog / rememberedIds, 1));
        results.put("late", r);
        log("late: %,d late events (%,d counted late) in %s s: %s events/s, %s µs CPU/event; %,d ids remembered, "
                        + "%,d bytes on disk (%s per id), changelog %,d bytes (%s per id); %,d dead letters",
                r.get("lateRecords"), r.get("countedLate"), r.get("seconds"), r.get("eventsPerSecond"), r.get("processCpuMicrosPerEvent"),
                rememberedIds, disk, r.get("diskBytesPerRememberedId"), changelog, r.get("changelogBytesPerRememberedId"), r.get("deadLetters"));
        table.add("| late | " + fmt(number(r, "lateRecords")) + " events " + o.lateNearest + "–" + o.lateFarthest
                + " behind " + fmt(live.records()) + " live ones, exactly_once_v2 | " + fmt(number(r, "eventsPerSecond"))
                + " events/s, " + r.get("processCpuMicrosPerEvent") + " µs CPU/event (whole process); " + fmt(number(r, "countedLate"))
                + " counted late, " + r.get("deadLetters") + " dead letters | |");
        table.add("| late | closed-pane store: ids remembered, bytes per id on disk (RocksDB) / in its changelog | "
                + fmt(rememberedIds) + " ids, " + r.get("diskBytesPerRememberedId") + " B / " + r.get("changelogBytesPerRememberedId")
                + " B | |");
        deleteRecursively(Paths.get(config.stateDir()));
    }

    /** The event ids the closed-pane store holds, through interactive queries. */
    private static long rememberedIds(KafkaStreams streams) {
        var store = streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(BrandEquityTopology.CLOSED_PANE_STORE,
                org.apache.kafka.streams.state.QueryableStoreTypes.<String, org.brandequity.avro.internal.ClosedPane>windowStore()));
        long ids = 0;
        try (var it = store.all()) {
            while (it.hasNext()) ids += it.next().value.getIds().size();
        }
        return ids;
    }
}
