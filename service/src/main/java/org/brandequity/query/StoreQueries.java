package org.brandequity.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.avro.internal.SegmentWindowAggregate;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.ClosedLoopConfig;
import org.brandequity.model.CustomerStock;
import org.brandequity.model.WindowGrid;
import org.brandequity.topology.BrandEquityTopology;
import org.brandequity.topology.CustomerLedgers;
import org.brandequity.topology.EquityLedgers;
import org.brandequity.topology.SegmentWindowKey;

/**
 * Interactive queries over this application's state stores, without any transport: finds the
 * instance that owns a key, reads this instance's stores, and renders what it finds as maps and
 * lists with the field names of the output topics' records (see docs/queries.md). {@link QueryApi}
 * serves it over HTTP and does the forwarding this class asks for.
 *
 * <p>Each instance holds the active state of some partitions only. A query for one key is
 * {@link Local} when this instance owns the key's partition, else {@link Remote} with the owner's
 * {@code application.server}. While ownership is moving (rebalance, dead owner not yet noticed),
 * queries throw {@link Unavailable}: the data is not lost, only not servable yet.
 */
public final class StoreQueries {
    private static final Serializer<String> KEYS = new StringSerializer();

    private final KafkaStreams streams;
    private final PipelineConfig config;
    private final HostInfo self;
    private final EquityLedgers ledgers;
    private final WindowGrid windows;

    /** @param self this instance's advertised {@code application.server} */
    public StoreQueries(KafkaStreams streams, PipelineConfig config, HostInfo self) {
        this.streams = streams;
        this.config = config;
        this.self = self;
        this.ledgers = new EquityLedgers(config.model(), config.equityMaxSegments());
        this.windows = WindowGrid.of(config.windowSize(), config.windowAdvance(), config.windowGrace());
    }

    /** Where a keyed query is answered. */
    public sealed interface Located permits Local, Remote {}

    /** Answered from this instance's stores: {@code value} is ready to render as JSON. */
    public record Local(Object value) implements Located {}

    /** Owned by another instance, which must be asked. */
    public record Remote(HostInfo owner) implements Located {}

    /** The state is not servable right now (not running, or ownership moving); asking again later may succeed. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /** The store holds nothing for the key. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    public HostInfo self() {
        return self;
    }

    /** @throws Unavailable unless Kafka Streams is RUNNING, the only state in which stores are queryable */
    public void requireRunning() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new Unavailable("Kafka Streams is " + state + "; state stores are not queryable until RUNNING");
        }
    }

    /** The brand's equity, as on the equity topic. */
    public Located equity() {
        return byKey(BrandEquityTopology.BRAND_EQUITY_STORE, config.brandId(), partition -> localEquity());
    }

    /** The cells of the brand's equity that match {@code query}, and their sums ({@link EquityCellQuery#answer}). */
    Located equityCells(EquityCellQuery query) {
        return byKey(BrandEquityTopology.BRAND_EQUITY_STORE, config.brandId(), partition -> query.answer(localEquityRecord()));
    }

    /** Every window of the customer the store can still assemble whole, open ones too, newest first. */
    public Located customerWindows(String customerId) {
        return byKey(BrandEquityTopology.CUSTOMER_LEDGER_STORE, customerId, partition -> localCustomerWindows(customerId, partition));
    }

    /**
     * One customer: profile, equity (README §8, valued at its asOf), the windows of
     * {@link #customerWindows}, and the open at-risk alert or null.
     */
    public Located customer(String customerId) {
        return byKey(BrandEquityTopology.CUSTOMER_LEDGER_STORE, customerId, partition -> localCustomer(customerId, partition));
    }

    /** The segment's windows still in the store, newest first. */
    public Located segmentWindows(String segment) {
        return byKey(BrandEquityTopology.SEGMENT_WINDOW_STORE, segment, partition -> localSegmentWindows(segment, partition));
    }

    private Located byKey(String store, String key, IntFunction<Object> local) {
        KeyQueryMetadata owner = streams.queryMetadataForKey(store, key, KEYS);
        if (owner == null || owner.activeHost().equals(HostInfo.unavailable())) {
            throw new Unavailable("no instance owns " + store + " for this key yet");
        }
        if (owner.activeHost().equals(self)) return new Local(local.apply(owner.partition()));
        return new Remote(owner.activeHost());
    }

    private Object localEquity() {
        return plain(localEquityRecord());
    }

    private BrandEquity localEquityRecord() {
        ReadOnlyKeyValueStore<String, EquityLedger> store = store(BrandEquityTopology.BRAND_EQUITY_STORE, QueryableStoreTypes.keyValueStore());
        EquityLedger ledger = store.get(config.brandId());
        if (ledger == null) throw new NotFound("no equity yet for brand " + config.brandId());
        return ledgers.toBrandEquity(config.brandId(), ledger);
    }

    private Object localCustomerWindows(String customerId, int partition) {
        Long streamTime = store(BrandEquityTopology.STREAM_TIME_STORE, QueryableStoreTypes.<String, Long>keyValueStore(), partition)
                .get(BrandEquityTopology.STREAM_TIME_KEY);
        if (streamTime == null) throw new NotFound("no windows for customer " + customerId);
        CustomerLedger ledger = store(BrandEquityTopology.CUSTOMER_LEDGER_STORE,
                QueryableStoreTypes.<String, CustomerLedger>keyValueStore(), partition).get(customerId);
        List<Object> found = new ArrayList<>();
        CustomerLedgers.windowsOf(ledger, customerId, streamTime, windows).forEach(w -> found.add(plain(w)));
        if (found.isEmpty()) throw new NotFound("no windows for customer " + customerId);
        return found;
    }

    private Object localCustomer(String customerId, int partition) {
        CustomerLedger ledger = store(BrandEquityTopology.CUSTOMER_LEDGER_STORE,
                QueryableStoreTypes.<String, CustomerLedger>keyValueStore(), partition).get(customerId);
        if (ledger == null) throw new NotFound("no customer " + customerId);
        Long streamTime = store(BrandEquityTopology.STREAM_TIME_STORE, QueryableStoreTypes.<String, Long>keyValueStore(), partition)
                .get(BrandEquityTopology.STREAM_TIME_KEY);
        CustomerAlert alert = store(BrandEquityTopology.OPEN_CUSTOMER_ALERT_STORE,
                QueryableStoreTypes.<String, CustomerAlert>keyValueStore(), partition).get(customerId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("customerId", customerId);
        out.put("segment", ledger.getSegment());
        out.put("tier", ledger.getTier());
        out.put("valueWeight", ledger.getValueWeight());
        out.put("equity", equityOf(ledger));
        List<Object> windows = new ArrayList<>();
        if (streamTime != null) CustomerLedgers.windowsOf(ledger, customerId, streamTime, this.windows).forEach(w -> windows.add(plain(w)));
        out.put("windows", windows);
        out.put("alert", alert == null ? null : plain(alert));
        return out;
    }

    /** The customer's equity as the API shows it, or null before their first counted event (or once pruned). */
    private Map<String, Object> equityOf(CustomerLedger ledger) {
        if (ledger.getEquity() == null) return null;
        CustomerStock stock = new CustomerStock(ledger.getEquity().getAsOf(), ledger.getEquity().getSignal(),
                ledger.getEquity().getVolume(), ledger.getEquity().getEvents());
        Map<String, Object> equity = new LinkedHashMap<>();
        equity.put("asOf", Instant.ofEpochMilli(stock.asOf()).toString());
        equity.put("stock", stock.signal());
        equity.put("volume", stock.volume());
        equity.put("index", stock.index(config.closedLoop().customerIndexPrior()));
        equity.put("events", stock.events());
        return equity;
    }

    /**
     * The open at-risk alerts of this instance's active tasks (of {@code segment}, or all when null),
     * highest priority first, at most {@code limit}: read from each task's small open-alert store,
     * then each customer's ledger for their index now. Priority = value weight &times; shortfall,
     * shortfall = max(0, threshold - index) (README §8); ties by value weight, then customer id.
     */
    public List<Map<String, Object>> localAtRisk(String segment, int limit) {
        ReadOnlyKeyValueStore<String, CustomerAlert> alerts =
                store(BrandEquityTopology.OPEN_CUSTOMER_ALERT_STORE, QueryableStoreTypes.keyValueStore());
        ReadOnlyKeyValueStore<String, CustomerLedger> ledgers =
                store(BrandEquityTopology.CUSTOMER_LEDGER_STORE, QueryableStoreTypes.keyValueStore());
        ClosedLoopConfig loop = config.closedLoop();
        List<Map<String, Object>> found = new ArrayList<>();
        try (KeyValueIterator<String, CustomerAlert> it = alerts.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                if (segment != null && !segment.equals(kv.value.getSegment())) continue;
                CustomerLedger ledger = ledgers.get(kv.key);
                double index = CustomerLedgerIndex.of(ledger, loop.customerIndexPrior());
                double valueWeight = ledger == null ? kv.value.getValueWeight() : ledger.getValueWeight();
                double shortfall = Math.max(0, loop.indexThreshold() - index);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("customerId", kv.key);
                entry.put("segment", kv.value.getSegment());
                entry.put("valueWeight", valueWeight);
                entry.put("index", index);
                entry.put("shortfall", shortfall);
                entry.put("priority", valueWeight * shortfall);
                entry.put("alert", plain(kv.value));
                found.add(entry);
            }
        }
        return byPriority(found, limit);
    }

    /**
     * The open at-risk alerts of the whole cluster: the union of every instance's
     * {@link #localAtRisk} ({@code remotePart} asks the others for theirs), by priority, at most {@code limit}.
     */
    public List<Map<String, Object>> allAtRisk(String segment, int limit, Function<HostInfo, List<?>> remotePart) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (StreamsMetadata instance : streams.streamsMetadataForStore(BrandEquityTopology.OPEN_CUSTOMER_ALERT_STORE)) {
            if (!instance.stateStoreNames().contains(BrandEquityTopology.OPEN_CUSTOMER_ALERT_STORE)) continue; // standby only
            if (instance.hostInfo().equals(self)) {
                all.addAll(localAtRisk(segment, limit));
            } else {
                for (Object entry : remotePart.apply(instance.hostInfo())) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) entry;
                    all.add(m);
                }
            }
        }
        return byPriority(all, limit);
    }

    static List<Map<String, Object>> byPriority(List<Map<String, Object>> entries, int limit) {
        entries.sort(java.util.Comparator
                .comparingDouble((Map<String, Object> m) -> ((Number) m.get("priority")).doubleValue()).reversed()
                .thenComparing(m -> ((Number) m.get("valueWeight")).doubleValue(), java.util.Comparator.reverseOrder())
                .thenComparing(m -> (String) m.get("customerId")));
        return new ArrayList<>(entries.subList(0, Math.min(limit, entries.size())));
    }

    /** A customer's index now, from their ledger (0 when they have no equity). */
    private static final class CustomerLedgerIndex {
        static double of(CustomerLedger ledger, double indexPrior) {
            if (ledger == null || ledger.getEquity() == null) return 0.0;
            return new CustomerStock(ledger.getEquity().getAsOf(), ledger.getEquity().getSignal(), ledger.getEquity().getVolume(),
                    ledger.getEquity().getEvents()).index(indexPrior);
        }
    }

    /**
     * A scan of the partition's store: it holds a few segments times the windows within retention,
     * in order of window start ({@link SegmentWindowKey}).
     */
    private Object localSegmentWindows(String segment, int partition) {
        ReadOnlyKeyValueStore<String, SegmentWindowAggregate> store =
                store(BrandEquityTopology.SEGMENT_WINDOW_STORE, QueryableStoreTypes.keyValueStore(), partition);
        List<Object> found = new ArrayList<>();
        try (KeyValueIterator<String, SegmentWindowAggregate> it = store.all()) {
            it.forEachRemaining(kv -> {
                if (SegmentWindowKey.decode(kv.key).segment().equals(segment)) {
                    found.add(plain(BrandEquityTopology.segmentScore(segment, kv.value)));
                }
            });
        }
        if (found.isEmpty()) throw new NotFound("no windows for segment " + segment);
        Collections.reverse(found);
        return found;
    }

    /** The latest window of each segment whose partition is active on this instance. */
    public List<Object> localLatestSegmentWindows() {
        ReadOnlyKeyValueStore<String, SegmentWindowAggregate> store =
                store(BrandEquityTopology.SEGMENT_WINDOW_STORE, QueryableStoreTypes.keyValueStore());
        // In order of window start: the last window seen of a segment is its latest.
        Map<String, SegmentWindowAggregate> latest = new TreeMap<>();
        try (KeyValueIterator<String, SegmentWindowAggregate> it = store.all()) {
            it.forEachRemaining(kv -> latest.put(SegmentWindowKey.decode(kv.key).segment(), kv.value));
        }
        List<Object> out = new ArrayList<>();
        latest.forEach((segment, window) -> out.add(plain(BrandEquityTopology.segmentScore(segment, window))));
        return out;
    }

    /**
     * The latest window of every segment, by segment. Each segment lives on one partition, hence on
     * one instance: the union of every instance's local part, {@code remotePart} asking the others
     * for theirs ({@link #localLatestSegmentWindows} there).
     */
    public List<Object> allLatestSegmentWindows(Function<HostInfo, List<?>> remotePart) {
        Map<Object, Object> bySegment = new TreeMap<>();
        for (StreamsMetadata instance : streams.streamsMetadataForStore(BrandEquityTopology.SEGMENT_WINDOW_STORE)) {
            if (!instance.stateStoreNames().contains(BrandEquityTopology.SEGMENT_WINDOW_STORE)) continue; // standby only
            List<?> part = instance.hostInfo().equals(self) ? localLatestSegmentWindows() : remotePart.apply(instance.hostInfo());
            for (Object window : part) bySegment.put(((Map<?, ?>) window).get("segment"), window);
        }
        return new ArrayList<>(bySegment.values());
    }

    private <S> S store(String name, QueryableStoreType<S> type) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, type));
    }

    private <S> S store(String name, QueryableStoreType<S> type, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, type).withPartition(partition));
    }

    /**
     * An Avro record as maps and lists with the same field names as on the output topics, so a
     * query answer reads like the topic's record: timestamps as ISO-8601, enums by name.
     */
    static Object plain(Object value) {
        if (value instanceof IndexedRecord record) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Schema.Field f : record.getSchema().getFields()) map.put(f.name(), plain(record.get(f.pos())));
            return map;
        }
        if (value instanceof Collection<?> items) {
            List<Object> list = new ArrayList<>();
            items.forEach(i -> list.add(plain(i)));
            return list;
        }
        if (value instanceof CharSequence || value instanceof Enum<?> || value instanceof Instant) return value.toString();
        return value;
    }
}
