package org.brandequity.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Bytes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.internal.CustomerWindowRevision;
import org.brandequity.avro.internal.DriverObservationChange;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.avro.internal.PartitionWatermark;
import org.brandequity.avro.internal.ScoredInteraction;
import org.brandequity.avro.internal.SegmentWindowInput;
import org.brandequity.avro.internal.TouchpointWindowCounts;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.AlertConfig;
import org.brandequity.model.Decay;
import org.brandequity.model.drivers.DriverConfig;
import org.brandequity.model.drivers.DriverSet;
import org.brandequity.model.DropDetector;
import org.brandequity.model.InteractionValidator;
import org.brandequity.model.ScoringModel;
import org.brandequity.model.WindowPolicy;

/**
 * The brand-equity topology:
 *
 * <pre>
 * profiles ─ apply to customer ledger ──────────────┐ (one ledger per customer: profile, dedup ids, panes)
 * interactions ─ validate ─ deduplicate, gate lateness, score, record in ledger ─┬─ close customer windows ─ customer scores
 *                                                                                │        └─ (+ watermarks) segment windows ─ segment scores
 *                                                                                ├─ at-risk alerts (decided in the ledger) ─ customer alerts
 *                                                                                │                 └─ touchpoint windows (answer counts) ─ touchpoint scores
 *                                                                                │                 └─ segment drop detection ───────────┐
 *                                                                                └─ pre-aggregate per task: on-time, late deltas        │
 *                                                                                   ├─ fold all by brand ─ brand equity                 ├─ score-drop alerts
 *                                                                                   ├─ all, per boundary: equity history                │
 *                                                                                   └─ on-time only: brand/touchpoint drop detection ───┘
 * invalid, undecodable, too late ────────────────────────────────────────────────── dead letters
 * </pre>
 */
public final class BrandEquityTopology {
    public static final String UNASSIGNED_SEGMENT = "unassigned";

    /**
     * One {@link org.brandequity.avro.internal.CustomerLedger} per customer: profile, dedup ids, panes,
     * closed loop, key drivers. Renamed when key drivers changed the ledger's layout (docs/operations.md
     * "Upgrading"); before: customer-ledger-with-responses-store.
     */
    static final String CUSTOMER_LEDGER_STORE = "customer-ledger-with-drivers-store";
    static final String STREAM_TIME_STORE = "interaction-stream-time-store";
    /**
     * Each task's open at-risk alerts (their FIRING records) by customer id, written only when one
     * fires or resolves: the at-risk query reads it instead of scanning every customer's ledger.
     */
    static final String OPEN_CUSTOMER_ALERT_STORE = "open-customer-alert-store";
    /** The only key of {@link #STREAM_TIME_STORE}: each task (input partition) has its own store. */
    static final String STREAM_TIME_KEY = CustomerLedgerProcessor.STREAM_TIME_KEY;
    /** Segment windows by (start, segment): see {@link SegmentWindowKey}. */
    static final String SEGMENT_WINDOW_STORE = "segment-window-with-touchpoint-answers-store";
    /** The latest watermark of each interactions partition, in every segment-window task. */
    static final String SEGMENT_WATERMARK_STORE = "segment-window-watermark-store";
    /** Segment windows' revision counts, by the key of {@link #SEGMENT_WINDOW_STORE}; written by revisions only. */
    static final String SEGMENT_REVISION_STORE = "segment-window-revision-store";
    /** Each customer's closed panes and their ids, for {@code late.horizon}: see {@link ClosedPanes}. */
    public static final String CLOSED_PANE_STORE = "closed-pane-with-responses-store";
    /** Touchpoint windows by (start, touchpoint), keyed like {@link #SEGMENT_WINDOW_STORE}: see {@link TouchpointWindows}. */
    static final String TOUCHPOINT_WINDOW_STORE = "touchpoint-window-store";
    /** The latest watermark of each interactions partition, in every touchpoint-window task. */
    static final String TOUCHPOINT_WATERMARK_STORE = "touchpoint-window-watermark-store";
    /**
     * Carries closed customer windows and their revisions (to their segment's partition), survey
     * answer counts per touchpoint and window (to their touchpoint's partition) and each interactions
     * partition's watermark (to every partition) to the segment and touchpoint windows.
     */
    static final String SEGMENT_WINDOW_INPUTS = "segment-and-touchpoint-window-answer-updates";
    static final String PENDING_EQUITY_STORE = "pending-equity-store";
    /*
     * The three names below hold EquityLedger, which became one pair of sums per (segment, touchpoint,
     * stage) cell (issue 14): a new binary layout, hence new names (StateSchemaCompatibilityTest;
     * docs/operations.md "Upgrading"). Before: equity-deltas, brand-equity-store, equity-window-samples-store.
     */
    /** Carries each task's equity deltas (on-time, and late with a header) to the brand's task. */
    static final String EQUITY_DELTAS = "equity-cell-deltas";
    /**
     * Carries the key-driver observation changes ({@link DriverObservationChange}) from the customers'
     * tasks to their segment's task, keyed by segment.
     */
    static final String DRIVER_OBSERVATION_CHANGES = "key-driver-observation-changes";
    static final String BRAND_EQUITY_STORE = "brand-equity-cell-store";
    static final String SEGMENT_DROP_STORE = "segment-drop-detector-store";
    static final String EQUITY_SAMPLES_STORE = "equity-window-cell-samples-store";
    static final String EQUITY_DROP_STORE = "equity-drop-detector-store";
    /** The deltas of each history boundary not yet folded into a point ({@link EquityHistoryProcessor}). */
    static final String EQUITY_HISTORY_PENDING_STORE = "equity-history-pending-store";
    /** One point per history boundary, keyed by {@link EquityHistories#storeKey}. */
    static final String EQUITY_HISTORY_STORE = "equity-history-store";
    /** Key-driver observation changes not yet folded, per segment (and the brand), input partition and offset. */
    static final String KEY_DRIVER_PENDING_STORE = "key-driver-pending-store";
    /** Each segment's (and the brand's, under "") key-driver statistics and bootstrap replicates. */
    public static final String KEY_DRIVER_STORE = "key-driver-statistics-store";

    /** The segment windows' children: every emitted window goes to the first, each completed one once to the second. */
    private static final String WRITE_SEGMENT_SCORES = "write-segment-scores";
    private static final String DETECT_SEGMENT_DROPS = "detect-segment-score-drops";

    private BrandEquityTopology() {}

    /**
     * The topology of an instance whose counts nobody reads (they go to a registry of their own):
     * for describing it. A running instance uses {@link #build(PipelineConfig, AppSerdes, Counters)}.
     */
    public static Topology build(PipelineConfig config, AppSerdes serdes) {
        return build(config, serdes, new Counters(new SimpleMeterRegistry()));
    }

    /** The topology of the instance that counts into {@code counters}; its Streams properties must carry the same. */
    public static Topology build(PipelineConfig config, AppSerdes serdes, Counters counters) {
        // Built with the instance's Streams settings, so that topology-level ones take effect
        // (ensure.explicit.internal.resource.naming, processor.wrapper.class).
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(StreamsSettings.of(config, counters))));
        PipelineConfig.Topics topics = config.topics();
        ScoringModel scoring = new ScoringModel(config.model());
        EquityLedgers ledgers = new EquityLedgers(config.model(), config.equityMaxSegments());

        // Not cached: the working set is every active customer, far more than the record cache holds,
        // and a thrashing cache cost more than it saved (docs/benchmark.md).
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CUSTOMER_LEDGER_STORE), serdes.string(), serdes.customerLedger()));
        // Cached: rewritten on almost every event (one key), and the record cache turns those writes
        // into one changelog record per commit. Flushed before every commit, so exactly-once is unchanged.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STREAM_TIME_STORE), serdes.string(), org.apache.kafka.common.serialization.Serdes.Long())
                .withCachingEnabled());
        // On disk and changelogged; segments older than the retention are dropped whole (ClosedPanes).
        WindowPolicy windows = config.windows();
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(CLOSED_PANE_STORE, windows.closedPaneRetention(), windows.advance(), false),
                serdes.string(), serdes.closedPane()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SEGMENT_DROP_STORE), serdes.string(), serdes.dropDetector()));
        // Written only when an alert fires or resolves; a few records per task.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OPEN_CUSTOMER_ALERT_STORE), serdes.string(), serdes.openCustomerAlert()));
        CustomerClosedLoop closedLoop = new CustomerClosedLoop(config.closedLoop(), new Decay(config.model().halfLife()));

        builder.stream(topics.profiles(), Consumed.with(serdes.string(), serdes.profile())
                        // Profiles are current state, not events: stamping them at time 0 makes Kafka
                        // Streams apply each one as soon as it is read, before any buffered event, so an
                        // event joins the newest profile read so far rather than waiting on timestamps.
                        .withTimestampExtractor((record, partitionTime) -> 0L)
                        .withName("read-customer-profiles"))
                .process(() -> new ApplyCustomerProfile(CUSTOMER_LEDGER_STORE), Named.as("apply-customer-profile"),
                        CUSTOMER_LEDGER_STORE);

        KStream<String, ScoredInteraction> scored = builder
                .stream(topics.interactions(), Consumed.with(serdes.string(), serdes.interaction())
                        .withTimestampExtractor(new InteractionTimestampExtractor())
                        .withName("read-interactions"))
                .processValues(() -> new ValidateInteraction(new InteractionValidator(config.maxFutureSkew())),
                        Named.as("validate-interaction"))
                .processValues(() -> new CustomerLedgerProcessor(CUSTOMER_LEDGER_STORE, STREAM_TIME_STORE, CLOSED_PANE_STORE,
                                OPEN_CUSTOMER_ALERT_STORE, scoring, closedLoop, config.drivers(), windows, counters),
                        Named.as("deduplicate-gate-score-and-record"), CUSTOMER_LEDGER_STORE, STREAM_TIME_STORE, CLOSED_PANE_STORE,
                        OPEN_CUSTOMER_ALERT_STORE);

        // At-risk alerts decided with the event in its customer's ledger: same task, same transaction.
        scored.flatMapValues(OutputRecords::customerAlertsOf, Named.as("customer-alerts-only"))
                .to(topics.customerAlerts(),
                        Produced.with(serdes.string(), serdes.customerAlert()).withName("write-customer-alerts"));

        // Closed customer windows, each partition's watermark behind them.
        KStream<String, SegmentWindowInput> closed = scored.process(
                () -> new CloseCustomerWindows(CUSTOMER_LEDGER_STORE, STREAM_TIME_STORE, CLOSED_PANE_STORE, scoring, closedLoop, windows),
                Named.as("close-customer-windows"), CUSTOMER_LEDGER_STORE, STREAM_TIME_STORE, CLOSED_PANE_STORE);
        closed.flatMapValues(OutputRecords::customerWindowOf, Named.as("customer-windows-only"))
                .to(topics.customerScores(),
                        Produced.with(serdes.string(), serdes.customerScore()).withName("write-customer-scores"));

        KStream<String, SegmentWindowInput> windowUpdates = closed
                .process(() -> new KeyBySegmentAtWindowStart(), Named.as("key-by-segment"))
                .repartition(Repartitioned.<String, SegmentWindowInput>as(SEGMENT_WINDOW_INPUTS)
                        .withKeySerde(serdes.string()).withValueSerde(serdes.segmentWindowInput())
                        .withStreamPartitioner(new WindowsBySegmentWatermarksToAll()));
        // Touchpoint windows share the segment windows' topic and watermarks: see CloseCustomerWindows.
        windowUpdates
                .process(TouchpointWindows.supplier(TOUCHPOINT_WINDOW_STORE, TOUCHPOINT_WATERMARK_STORE, serdes, windows,
                                config.topicPartitions()),
                        Named.as("score-touchpoint-window"))
                .to(topics.touchpointScores(),
                        Produced.with(serdes.string(), serdes.touchpointScore()).withName("write-touchpoint-scores"));
        KStream<String, SegmentExperienceScore> segmentScores = windowUpdates
                // The upstream partition count is the interactions topic's (checked at start, TopicAdmin).
                .process(SegmentWindows.supplier(new SegmentWindows.Names(SEGMENT_WINDOW_STORE, SEGMENT_WATERMARK_STORE,
                                        SEGMENT_REVISION_STORE, WRITE_SEGMENT_SCORES, DETECT_SEGMENT_DROPS), serdes, scoring,
                                windows, config.topicPartitions()),
                        Named.as("score-segment-window"));
        segmentScores.to(topics.segmentScores(),
                Produced.with(serdes.string(), serdes.segmentScore()).withName(WRITE_SEGMENT_SCORES));

        AlertConfig alerts = config.alerts();
        // Keyed (and partitioned) by segment, one segment per task.
        KStream<String, ScoreDropAlert> segmentAlerts = segmentScores.process(
                () -> new SegmentDropDetection(SEGMENT_DROP_STORE, new DropDetector(alerts, alerts.floorSegment())),
                Named.as(DETECT_SEGMENT_DROPS), SEGMENT_DROP_STORE);

        KStream<String, ScoreDropAlert> equityAlerts = brandEquity(builder, scored, config, serdes, ledgers, alerts);
        segmentAlerts
                .merge(equityAlerts, Named.as("merge-score-drop-alerts"))
                .to(topics.alerts(), Produced.with(serdes.string(), serdes.alert()).withName("write-score-drop-alerts"));

        // Key drivers: the observation changes decided in the customers' ledgers, keyed by segment.
        // Built last, so that its sub-topology comes after the existing ones and theirs keep their
        // numbers (task ids, and so the state directories of a running deployment).
        keyDrivers(builder, driverObservationChanges(scored, serdes), config, serdes);

        return builder.build();
    }

    /**
     * Brand equity from every counted event, and the brand and touchpoint drop alerts from the on-time
     * ones. Each task's pre-aggregator forwards an on-time and a late delta (the late one marked by a
     * header, {@link EquityPreAggregator}); both reach the brand's task through the
     * {@code equity-cell-deltas} repartition topic, where the brand's equity folds both and the drop
     * detection folds only the on-time ones into a ledger of its own ({@link EquityDropDetection}).
     * The repartition is explicit so that both read the same topic.
     * Adds its own stores to {@code builder}. Package-private so that tests can feed scored events,
     * with their {@code late} flag, straight in.
     */
    static KStream<String, ScoreDropAlert> brandEquity(StreamsBuilder builder, KStream<String, ScoredInteraction> scored,
                                                      PipelineConfig config, AppSerdes serdes, EquityLedgers ledgers,
                                                      AlertConfig alerts) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING_EQUITY_STORE), serdes.string(), serdes.pending())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EQUITY_SAMPLES_STORE), serdes.string(), serdes.equitySamples()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EQUITY_DROP_STORE), serdes.string(), serdes.dropDetector()));
        KStream<String, EquityLedger> equityDeltas = scored
                .process(() -> new EquityPreAggregator(PENDING_EQUITY_STORE, config.brandId(),
                                config.equityFlushInterval(), config.model(), config.equityMaxSegments(), config.history()),
                        Named.as("pre-aggregate-equity"), PENDING_EQUITY_STORE)
                .repartition(Repartitioned.<String, EquityLedger>as(EQUITY_DELTAS)
                        .withKeySerde(serdes.string()).withValueSerde(serdes.ledger()));
        equityDeltas
                // Already partitioned by brand: no second repartition topic.
                .groupByKey(Grouped.with(serdes.string(), serdes.ledger()))
                .reduce(ledgers::merge, Named.as("fold-brand-equity"),
                        Materialized.<String, EquityLedger, KeyValueStore<Bytes, byte[]>>as(BRAND_EQUITY_STORE)
                                .withKeySerde(serdes.string()).withValueSerde(serdes.ledger()))
                .toStream(Named.as("brand-equity-changes"))
                .mapValues(ledgers::toBrandEquity, Named.as("to-brand-equity"))
                .to(config.topics().equity(), Produced.with(serdes.string(), serdes.brandEquity()).withName("write-brand-equity"));

        // Cached: a late delta rewrites the points after it, and a sweep may rewrite a point more than once per commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EQUITY_HISTORY_PENDING_STORE), serdes.longs(), serdes.ledger()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EQUITY_HISTORY_STORE), serdes.longs(), serdes.historyEntry()).withCachingEnabled());
        equityDeltas
                .process(() -> new EquityHistoryProcessor(EQUITY_HISTORY_PENDING_STORE, EQUITY_HISTORY_STORE, config.brandId(),
                                config.equityFlushInterval(), config.history(), ledgers, config.model().indexPrior()),
                        Named.as("keep-equity-history"), EQUITY_HISTORY_PENDING_STORE, EQUITY_HISTORY_STORE)
                .to(config.topics().equityHistory(),
                        Produced.with(serdes.string(), serdes.historyPoint()).withName("write-equity-history"));

        return equityDeltas.process(
                () -> new EquityDropDetection(EQUITY_SAMPLES_STORE, EQUITY_DROP_STORE, config.windows().advance(), ledgers,
                        new Decay(config.model().halfLife()),
                        new DropDetector(alerts, alerts.floorBrand()), new DropDetector(alerts, alerts.floorTouchpoint()),
                        config.model().indexPrior()),
                Named.as("detect-equity-score-drops"), EQUITY_SAMPLES_STORE, EQUITY_DROP_STORE);
    }

    /**
     * The key-driver observation changes each counted event caused in its customer's ledger
     * ({@link CustomerLedgerProcessor}: an answer's observation, the retraction and correction of
     * later answers by a late event), re-keyed by the segment they belong to and carried through the
     * {@value #DRIVER_OBSERVATION_CHANGES} repartition topic, so that all of a segment's observations
     * meet in one task, in the order their customers' events were counted. Returns the stream read
     * back from that topic, for the per-segment statistics to fold (a retraction subtracts exactly
     * what its addition added).
     */
    static KStream<String, DriverObservationChange> driverObservationChanges(KStream<String, ScoredInteraction> scored,
                                                                             AppSerdes serdes) {
        return scored
                .flatMap((customer, e) -> {
                    if (e.getDriverChanges() == null) return List.<KeyValue<String, DriverObservationChange>>of();
                    List<KeyValue<String, DriverObservationChange>> out = new ArrayList<>(e.getDriverChanges().size());
                    for (DriverObservationChange c : e.getDriverChanges()) out.add(KeyValue.pair(c.getSegment(), c));
                    return out;
                }, Named.as("key-driver-changes-by-segment"))
                // One partition, so one task, which sees every change: it folds each into its segment's
                // statistics and into the brand's, and a change crosses the topic once, not once per
                // key. More partitions would not spread the work: the brand takes every change.
                .repartition(Repartitioned.<String, DriverObservationChange>as(DRIVER_OBSERVATION_CHANGES)
                        .withNumberOfPartitions(1)
                        .withKeySerde(serdes.string()).withValueSerde(serdes.driverObservationChange()));
    }

    /**
     * Each segment's and the brand's key drivers ({@link KeyDriversProcessor}), from the observation
     * changes of {@link #driverObservationChanges}, to {@code topic.key.drivers}.
     */
    private static void keyDrivers(StreamsBuilder builder, KStream<String, DriverObservationChange> changes, PipelineConfig config,
                                   AppSerdes serdes) {
        // Cached: a segment's statistics (~570 KB with the bootstrap) are rewritten once per emit interval.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(KEY_DRIVER_PENDING_STORE), serdes.string(), serdes.driverObservationChange()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(KEY_DRIVER_STORE), serdes.string(), serdes.keyDriverState()).withCachingEnabled());
        DriverConfig drivers = config.drivers();
        KeyDriverStates states = new KeyDriverStates(new Decay(drivers.halfLife()), drivers.replicates());
        double[] configured = DriverSet.weights(config.model().touchpointWeight());
        changes.process(() -> new KeyDriversProcessor(KEY_DRIVER_PENDING_STORE, KEY_DRIVER_STORE, config.brandId(), drivers.emitInterval(),
                                states, drivers.minObservations(), configured),
                        Named.as("keep-key-drivers"), KEY_DRIVER_PENDING_STORE, KEY_DRIVER_STORE)
                .to(config.topics().keyDrivers(), Produced.with(serdes.string(), serdes.keyDrivers()).withName("write-key-drivers"));
    }

    /**
     * Re-keys a closed customer window by its segment and stamps it with the window start, so that
     * all customer windows of a segment meet in one task; touchpoint counts likewise by touchpoint. A watermark goes to every task whatever its
     * key; it keeps the one its window closer gave it, never null (a record with a null key does not
     * reach the repartition topic: the test driver showed it dropped on the way).
     */
    private static final class KeyBySegmentAtWindowStart
            extends ContextualProcessor<String, SegmentWindowInput, String, SegmentWindowInput> {
        @Override
        public void process(Record<String, SegmentWindowInput> r) {
            if (r.value().getEvent() instanceof CustomerExperienceScore window) {
                context().forward(r.withKey(window.getSegment()).withTimestamp(window.getWindowStart().toEpochMilli()));
            } else if (r.value().getEvent() instanceof CustomerWindowRevision revision) {
                CustomerExperienceScore window = revision.getCurrent() != null ? revision.getCurrent() : revision.getPrevious();
                context().forward(r.withKey(window.getSegment()).withTimestamp(window.getWindowStart().toEpochMilli()));
            } else if (r.value().getEvent() instanceof TouchpointWindowCounts counts) {
                context().forward(r.withKey(counts.getTouchpoint().name()).withTimestamp(counts.getWindowStart()));
            } else {
                context().forward(r);
            }
        }
    }

    /**
     * A customer window goes to its segment's partition (the producer's default, by key, which is
     * also how interactive queries find a segment's owner); a watermark goes to every partition
     * (multicast, KIP-837), so that every segment-window task hears every interactions partition.
     */
    static final class WindowsBySegmentWatermarksToAll implements StreamPartitioner<String, SegmentWindowInput> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, SegmentWindowInput value, int numPartitions) {
            if (!(value.getEvent() instanceof PartitionWatermark)) return Optional.empty();
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
        }
    }
}
