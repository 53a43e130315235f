package org.brandequity.topology;

import java.time.Instant;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.internal.CustomerWindowAggregate;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.avro.internal.ScoredInteraction;
import org.brandequity.avro.internal.SegmentWindowAggregate;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.AlertConfig;
import org.brandequity.model.Decay;
import org.brandequity.model.DropDetector;
import org.brandequity.model.InteractionValidator;
import org.brandequity.model.NetExperience;
import org.brandequity.model.Polarity;
import org.brandequity.model.ScoringModel;

/**
 * The brand-equity topology:
 *
 * <pre>
 * profiles ─ apply to customer ledger ──────────────┐ (one ledger per customer: profile, dedup ids, panes)
 * interactions ─ validate ─ deduplicate, gate lateness, score, record in ledger ─┬─ close customer windows ─ customer scores
 *                                                                                │        └─ segment windows ─ segment scores
 *                                                                                │                 └─ segment drop detection ───────────┐
 *                                                                                └─ pre-aggregate per task ─ fold by brand ─ brand equity   ├─ score-drop alerts
 *                                                                                                       └─ brand/touchpoint drop detection ─┘
 * invalid, undecodable, too late ────────────────────────────────────────────────── dead letters
 * </pre>
 */
public final class BrandEquityTopology {
    public static final String UNASSIGNED_SEGMENT = "unassigned";

    /** One {@link org.brandequity.avro.internal.CustomerLedger} per customer: profile, dedup ids, panes. */
    public static final String CUSTOMER_LEDGER_STORE = "customer-ledger-store";
    public static final String STREAM_TIME_STORE = "interaction-stream-time-store";
    /** The only key of {@link #STREAM_TIME_STORE}: each task (input partition) has its own store. */
    public static final String STREAM_TIME_KEY = CustomerLedgerProcessor.STREAM_TIME_KEY;
    public static final String SEGMENT_WINDOW_STORE = "segment-window-store";
    public static final String PENDING_EQUITY_STORE = "pending-equity-store";
    public static final String BRAND_EQUITY_STORE = "brand-equity-store";
    public static final String SEGMENT_DROP_STORE = "segment-drop-detector-store";
    public static final String EQUITY_SAMPLES_STORE = "equity-window-samples-store";
    public static final String EQUITY_DROP_STORE = "equity-drop-detector-store";

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
        EquityLedgers ledgers = new EquityLedgers(config.model());

        // Not cached: the working set is every active customer, far more than the record cache holds,
        // and a thrashing cache cost more than it saved (docs/benchmark.md).
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CUSTOMER_LEDGER_STORE), serdes.string(), serdes.customerLedger()));
        // Cached: rewritten on almost every event (one key), and the record cache turns those writes
        // into one changelog record per commit. Flushed before every commit, so exactly-once is unchanged.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STREAM_TIME_STORE), serdes.string(), org.apache.kafka.common.serialization.Serdes.Long())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PENDING_EQUITY_STORE), serdes.string(), serdes.pending())
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SEGMENT_DROP_STORE), serdes.string(), serdes.dropDetector()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EQUITY_SAMPLES_STORE), serdes.string(), serdes.equitySamples()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EQUITY_DROP_STORE), serdes.string(), serdes.dropDetector()));

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
                .processValues(() -> new CustomerLedgerProcessor(CUSTOMER_LEDGER_STORE, STREAM_TIME_STORE, scoring,
                                config.dedupHorizon(), config.windowGrace(), config.windowSize(), config.windowAdvance(), counters),
                        Named.as("deduplicate-gate-score-and-record"), CUSTOMER_LEDGER_STORE, STREAM_TIME_STORE);

        KStream<String, CustomerExperienceScore> customerScores = scored.process(
                () -> new CloseCustomerWindows(CUSTOMER_LEDGER_STORE, STREAM_TIME_STORE,
                        config.windowSize(), config.windowAdvance(), config.windowGrace(), config.dedupHorizon()),
                Named.as("close-customer-windows"), CUSTOMER_LEDGER_STORE, STREAM_TIME_STORE);
        customerScores.to(topics.customerScores(),
                Produced.with(serdes.string(), serdes.customerScore()).withName("write-customer-scores"));

        KStream<String, SegmentExperienceScore> segmentScores = customerScores
                .process(() -> new KeyBySegmentAtWindowStart(), Named.as("key-by-segment"))
                .groupByKey(Grouped.with("segment-windows", serdes.string(), serdes.customerScore()))
                // One segment window per customer-window start: its size is the customer windows' advance.
                .windowedBy(TimeWindows.ofSizeAndGrace(config.windowAdvance(), config.segmentWindowGrace()))
                .aggregate(BrandEquityTopology::emptySegmentWindow,
                        (segment, score, window) -> addToSegmentWindow(scoring, score, window),
                        Named.as("score-segment-window"),
                        Materialized.<String, SegmentWindowAggregate, WindowStore<Bytes, byte[]>>as(SEGMENT_WINDOW_STORE)
                                .withKeySerde(serdes.string()).withValueSerde(serdes.segmentWindow()))
                .toStream(Named.as("segment-window-updates"))
                .map((window, aggregate) -> KeyValue.pair(window.key(), segmentScore(window.key(), aggregate)),
                        Named.as("to-segment-score"));
        segmentScores.to(topics.segmentScores(),
                Produced.with(serdes.string(), serdes.segmentScore()).withName("write-segment-scores"));

        AlertConfig alerts = config.alerts();
        // Still keyed (and partitioned) by segment: the map above only unwraps the window key.
        KStream<String, ScoreDropAlert> segmentAlerts = segmentScores.process(
                () -> new SegmentDropDetection(SEGMENT_DROP_STORE, new DropDetector(alerts, alerts.floorSegment())),
                Named.as("detect-segment-score-drops"), SEGMENT_DROP_STORE);

        KStream<String, EquityLedger> equityChanges = scored
                .process(() -> new EquityPreAggregator(PENDING_EQUITY_STORE, config.brandId(),
                                config.equityFlushInterval(), config.model()),
                        Named.as("pre-aggregate-equity"), PENDING_EQUITY_STORE)
                .groupByKey(Grouped.with("equity-deltas", serdes.string(), serdes.ledger()))
                .reduce(ledgers::merge, Named.as("fold-brand-equity"),
                        Materialized.<String, EquityLedger, KeyValueStore<Bytes, byte[]>>as(BRAND_EQUITY_STORE)
                                .withKeySerde(serdes.string()).withValueSerde(serdes.ledger()))
                .toStream(Named.as("brand-equity-changes"));
        equityChanges
                .mapValues(ledgers::toBrandEquity, Named.as("to-brand-equity"))
                .to(topics.equity(), Produced.with(serdes.string(), serdes.brandEquity()).withName("write-brand-equity"));

        KStream<String, ScoreDropAlert> equityAlerts = equityChanges.process(
                () -> new EquityDropDetection(EQUITY_SAMPLES_STORE, EQUITY_DROP_STORE, config.windowAdvance(), ledgers,
                        new Decay(config.model().halfLife()),
                        new DropDetector(alerts, alerts.floorBrand()), new DropDetector(alerts, alerts.floorTouchpoint())),
                Named.as("detect-equity-score-drops"), EQUITY_SAMPLES_STORE, EQUITY_DROP_STORE);
        segmentAlerts
                .merge(equityAlerts, Named.as("merge-score-drop-alerts"))
                .to(topics.alerts(), Produced.with(serdes.string(), serdes.alert()).withName("write-score-drop-alerts"));

        return builder.build();
    }

    /** A customer window as its output record; the query API renders open windows with it too. */
    public static CustomerExperienceScore customerScore(String customerId, long start, long end, CustomerWindowAggregate w) {
        return new CustomerExperienceScore(customerId, w.getSegment(),
                Instant.ofEpochMilli(start), Instant.ofEpochMilli(end),
                w.getEvents(), w.getPositive(), w.getNeutral(), w.getNegative(), w.getWeight(),
                w.getWeight() > 0 ? w.getWeightedSignal() / w.getWeight() : 0.0);
    }

    private static SegmentWindowAggregate emptySegmentWindow() {
        return new SegmentWindowAggregate(0L, 0L, 0L, 0L, 0.0, 0L, 0L);
    }

    private static SegmentWindowAggregate addToSegmentWindow(ScoringModel scoring, CustomerExperienceScore c, SegmentWindowAggregate s) {
        s.setWindowStart(c.getWindowStart().toEpochMilli());
        s.setWindowEnd(c.getWindowEnd().toEpochMilli());
        s.setCustomers(s.getCustomers() + 1);
        s.setEvents(s.getEvents() + c.getEvents());
        s.setScoreSum(s.getScoreSum() + c.getScore());
        Polarity p = scoring.polarity(c.getScore());
        if (p == Polarity.POSITIVE) s.setPositiveCustomers(s.getPositiveCustomers() + 1);
        if (p == Polarity.NEGATIVE) s.setNegativeCustomers(s.getNegativeCustomers() + 1);
        return s;
    }

    /** A segment window as its output record; the query API renders it the same way. */
    public static SegmentExperienceScore segmentScore(String segment, SegmentWindowAggregate s) {
        NetExperience nx = NetExperience.of(s.getPositiveCustomers(), s.getNegativeCustomers(), s.getCustomers());
        return new SegmentExperienceScore(segment, Instant.ofEpochMilli(s.getWindowStart()),
                Instant.ofEpochMilli(s.getWindowEnd()), s.getCustomers(), s.getEvents(),
                s.getCustomers() > 0 ? s.getScoreSum() / s.getCustomers() : 0.0,
                s.getPositiveCustomers(), s.getNegativeCustomers(), nx.score(), nx.marginOfError(), nx.sampleSize());
    }

    /**
     * Re-keys a closed customer window by its segment and stamps it with the window start, so the
     * segment aggregation puts all customer windows with the same start into one segment window.
     */
    private static final class KeyBySegmentAtWindowStart
            extends ContextualProcessor<String, CustomerExperienceScore, String, CustomerExperienceScore> {
        @Override
        public void process(Record<String, CustomerExperienceScore> r) {
            context().forward(r.withKey(r.value().getSegment()).withTimestamp(r.value().getWindowStart().toEpochMilli()));
        }
    }
}
