package org.brandequity.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.model.drivers.Bootstrap;
import org.brandequity.model.drivers.DriverStatistics;
import org.brandequity.avro.internal.SegmentWindowAggregate;
import org.brandequity.config.PipelineConfig;
import org.brandequity.avro.internal.EquityHistoryEntry;
import org.brandequity.model.CustomerStock;
import org.brandequity.model.EquityHistory;
import org.brandequity.model.StandardMetrics;
import org.brandequity.model.WindowGrid;

/**
 * The state of a running topology as its readers see it: which instance owns a key, and this
 * instance's stores read as the public records of the output topics ({@link BrandEquity},
 * {@link CustomerExperienceScore}, {@link SegmentExperienceScore}, {@link CustomerAlert}) and the
 * model's {@link CustomerStock}. The store names, the internal state records and how a ledger becomes
 * a customer's stock stay inside this package: a reader (the query API) depends on this class only.
 *
 * <p>Reads go through {@link KafkaStreams#store}, so they throw
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while a store is not queryable
 * (not running, rebalancing).
 */
public final class PipelineStores {
    private static final Serializer<String> KEYS = new StringSerializer();

    /** The stores a reader can ask about, by what they are keyed on. */
    public enum Keyed {
        /** The brand's equity, keyed by brand id. */
        BRAND_EQUITY(BrandEquityTopology.BRAND_EQUITY_STORE),
        /** One ledger per customer, keyed by customer id. */
        CUSTOMER(BrandEquityTopology.CUSTOMER_LEDGER_STORE),
        /** Segment windows, keyed (for ownership) by segment. */
        SEGMENT_WINDOWS(BrandEquityTopology.SEGMENT_WINDOW_STORE),
        /** Each task's open at-risk alerts, keyed by customer id. */
        OPEN_CUSTOMER_ALERTS(BrandEquityTopology.OPEN_CUSTOMER_ALERT_STORE),
        /** Key-driver statistics, keyed by segment ({@link KeyDriverStates#BRAND_KEY} for the brand). */
        KEY_DRIVERS(BrandEquityTopology.KEY_DRIVER_STORE);

        private final String storeName;

        Keyed(String storeName) {
            this.storeName = storeName;
        }

        /** The state store's name (also that of its changelog topic's suffix). */
        public String storeName() {
            return storeName;
        }
    }

    /** A customer as their ledger holds them; {@code equity} is empty before their first counted event (or once pruned). */
    public record Customer(String customerId, String segment, String tier, double valueWeight, Optional<CustomerStock> equity) {}

    /** An open at-risk alert with its customer's value weight and equity now (the ledger's, or the alert's when the ledger is gone). */
    public record OpenAlert(String customerId, CustomerAlert alert, double valueWeight, Optional<CustomerStock> equity) {}

    private final KafkaStreams streams;
    private final String brandId;
    private final EquityLedgers ledgers;
    private final WindowGrid windows;
    private final KeyDriverStates driverStates;

    public PipelineStores(KafkaStreams streams, PipelineConfig config) {
        this.streams = streams;
        this.brandId = config.brandId();
        this.ledgers = new EquityLedgers(config.model(), config.equityMaxSegments());
        this.windows = config.windows().grid();
        this.driverStates = new KeyDriverStates(new org.brandequity.model.Decay(config.drivers().halfLife()), config.drivers().replicates());
    }

    /** The instance and partition that own {@code key} in {@code store}, or null before any instance does. */
    public KeyQueryMetadata ownerOf(Keyed store, String key) {
        return streams.queryMetadataForKey(store.storeName(), key, KEYS);
    }

    /** Every instance holding active tasks of {@code store} (standby-only instances left out). */
    public List<HostInfo> instancesServing(Keyed store) {
        List<HostInfo> hosts = new ArrayList<>();
        streams.streamsMetadataForStore(store.storeName()).forEach(instance -> {
            if (instance.stateStoreNames().contains(store.storeName())) hosts.add(instance.hostInfo());
        });
        return hosts;
    }

    /** The brand's equity from this instance's store, as on the equity topic. */
    public Optional<BrandEquity> brandEquity() {
        EquityLedger ledger = this.<EquityLedger>local(BrandEquityTopology.BRAND_EQUITY_STORE).get(brandId);
        return ledger == null ? Optional.empty() : Optional.of(ledgers.toBrandEquity(brandId, ledger));
    }

    /** The first and last boundary of the equity history (inclusive); empty before the first point. */
    public record HistoryRange(long oldest, long newest) {}

    /** The equity history's range in {@code partition}'s store (the brand's: {@link Keyed#BRAND_EQUITY}). */
    public Optional<HistoryRange> historyRange(int partition) {
        ReadOnlyKeyValueStore<Long, EquityHistoryEntry> store = history(partition);
        Long oldest = null;
        Long newest = null;
        try (KeyValueIterator<Long, EquityHistoryEntry> it = store.all()) {
            if (it.hasNext()) oldest = EquityHistories.boundary(it.next().key);
        }
        try (KeyValueIterator<Long, EquityHistoryEntry> it = store.reverseAll()) {
            if (it.hasNext()) newest = EquityHistories.boundary(it.next().key);
        }
        return oldest == null ? Optional.empty() : Optional.of(new HistoryRange(oldest, newest));
    }

    /** The history point at {@code boundary} in {@code partition}'s store, if kept. */
    public Optional<EquityHistory.Point> historyPoint(long boundary, int partition) {
        EquityHistoryEntry e = history(partition).get(EquityHistories.storeKey(boundary));
        return e == null ? Optional.empty() : Optional.of(EquityHistories.point(boundary, e));
    }

    /** The history points from {@code from} to {@code to} (inclusive), oldest first, every {@code step} ms from {@code from}. */
    public List<EquityHistory.Point> historyPoints(long from, long to, long step, int partition) {
        List<EquityHistory.Point> found = new ArrayList<>();
        try (KeyValueIterator<Long, EquityHistoryEntry> it =
                     history(partition).range(EquityHistories.storeKey(from), EquityHistories.storeKey(to))) {
            it.forEachRemaining(kv -> {
                long b = EquityHistories.boundary(kv.key);
                if (Math.floorMod(b - from, step) == 0) found.add(EquityHistories.point(b, kv.value));
            });
        }
        return found;
    }

    private ReadOnlyKeyValueStore<Long, EquityHistoryEntry> history(int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(BrandEquityTopology.EQUITY_HISTORY_STORE,
                QueryableStoreTypes.<Long, EquityHistoryEntry>keyValueStore()).withPartition(partition));
    }

    /** The key under which the brand's key drivers are kept (and owned): no segment is empty. */
    public static final String BRAND_DRIVERS_KEY = KeyDriverStates.BRAND_KEY;

    /** A segment's (or the brand's) key-driver statistics and bootstrap as stored, valued at {@code asOf}. */
    public record Drivers(long asOf, DriverStatistics statistics, Bootstrap bootstrap) {}

    /** The key drivers of {@code segment} (null: the brand) in {@code partition}'s store, if any answer was folded. */
    public Optional<Drivers> keyDrivers(String segment, int partition) {
        org.brandequity.avro.internal.KeyDriverState s = this.<org.brandequity.avro.internal.KeyDriverState>local(
                BrandEquityTopology.KEY_DRIVER_STORE, partition).get(segment == null ? KeyDriverStates.BRAND_KEY : segment);
        if (s == null) return Optional.empty();
        KeyDriverStates.Held held = driverStates.read(s);
        return Optional.of(new Drivers(s.getAsOf(), held.statistics(), held.bootstrap()));
    }

    /** The customer of {@code partition}'s ledger store, if it holds them. */
    public Optional<Customer> customer(String customerId, int partition) {
        CustomerLedger ledger = this.<CustomerLedger>local(BrandEquityTopology.CUSTOMER_LEDGER_STORE, partition).get(customerId);
        if (ledger == null) return Optional.empty();
        return Optional.of(new Customer(customerId, ledger.getSegment(), ledger.getTier(), ledger.getValueWeight(), equity(ledger)));
    }

    /**
     * Every window of the customer the store can still assemble whole at the partition's stream
     * time, open ones too, newest first; empty before the partition has seen an event.
     */
    public List<CustomerExperienceScore> customerWindows(String customerId, int partition) {
        Long streamTime = this.<Long>local(BrandEquityTopology.STREAM_TIME_STORE, partition).get(BrandEquityTopology.STREAM_TIME_KEY);
        if (streamTime == null) return List.of();
        CustomerLedger ledger = this.<CustomerLedger>local(BrandEquityTopology.CUSTOMER_LEDGER_STORE, partition).get(customerId);
        return CustomerLedgers.windowsOf(ledger, customerId, streamTime, windows);
    }

    /** The customer's open at-risk alert in {@code partition}'s store, if any. */
    public Optional<CustomerAlert> openAlert(String customerId, int partition) {
        return Optional.ofNullable(this.<CustomerAlert>local(BrandEquityTopology.OPEN_CUSTOMER_ALERT_STORE, partition).get(customerId));
    }

    /** The open at-risk alerts of this instance's active tasks, of {@code segment} (every one when null). */
    public List<OpenAlert> openAlerts(String segment) {
        ReadOnlyKeyValueStore<String, CustomerAlert> alerts = local(BrandEquityTopology.OPEN_CUSTOMER_ALERT_STORE);
        ReadOnlyKeyValueStore<String, CustomerLedger> customers = local(BrandEquityTopology.CUSTOMER_LEDGER_STORE);
        List<OpenAlert> found = new ArrayList<>();
        try (KeyValueIterator<String, CustomerAlert> it = alerts.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                if (segment != null && !segment.equals(kv.value.getSegment())) continue;
                CustomerLedger ledger = customers.get(kv.key);
                double valueWeight = ledger == null ? kv.value.getValueWeight() : ledger.getValueWeight();
                found.add(new OpenAlert(kv.key, kv.value, valueWeight, ledger == null ? Optional.empty() : equity(ledger)));
            }
        }
        return found;
    }

    /**
     * The segment's windows in {@code partition}'s store, newest first. A scan: the store holds a few
     * segments times the windows within retention, in order of window start ({@link SegmentWindowKey}).
     */
    public List<SegmentExperienceScore> segmentWindows(String segment, int partition) {
        List<SegmentExperienceScore> found = new ArrayList<>();
        try (KeyValueIterator<String, SegmentWindowAggregate> it =
                     this.<SegmentWindowAggregate>local(BrandEquityTopology.SEGMENT_WINDOW_STORE, partition).all()) {
            it.forEachRemaining(kv -> {
                if (SegmentWindowKey.decode(kv.key).segment().equals(segment)) {
                    found.add(OutputRecords.segmentScore(segment, kv.value));
                }
            });
        }
        Collections.reverse(found);
        return found;
    }

    /**
     * One segment window's survey answers, in total and per touchpoint, as the model's NPS and CSAT
     * ({@link StandardMetrics}); touchpoints without an NPS (or CSAT) answer are left out of that map.
     */
    public record WindowAnswers(long windowStart, long windowEnd, StandardMetrics.Nps nps, StandardMetrics.Csat csat,
                                Map<String, StandardMetrics.Nps> npsByTouchpoint, Map<String, StandardMetrics.Csat> csatByTouchpoint) {}

    /** The segment's window starting at {@code windowStart} in {@code partition}'s store, if it is still kept. */
    public Optional<WindowAnswers> segmentWindowAnswers(String segment, long windowStart, int partition) {
        SegmentWindowAggregate w = this.<SegmentWindowAggregate>local(BrandEquityTopology.SEGMENT_WINDOW_STORE, partition)
                .get(new SegmentWindowKey(segment, windowStart).encode());
        if (w == null) return Optional.empty();
        Map<String, StandardMetrics.Nps> nps = new TreeMap<>();
        Map<String, StandardMetrics.Csat> csat = new TreeMap<>();
        for (org.brandequity.avro.internal.TouchpointResponses t : w.getTouchpointResponses()) {
            var c = t.getCounts();
            StandardMetrics.Nps n = StandardMetrics.nps(c.getNpsPromoters(), c.getNpsPassives(), c.getNpsDetractors());
            if (n.responses() > 0) nps.put(t.getTouchpoint().name(), n);
            StandardMetrics.Csat s = StandardMetrics.csat(c.getCsatResponses(), c.getCsatSatisfied());
            if (s.responses() > 0) csat.put(t.getTouchpoint().name(), s);
        }
        var r = w.getResponses();
        return Optional.of(new WindowAnswers(w.getWindowStart(), w.getWindowEnd(),
                StandardMetrics.nps(r.getNpsPromoters(), r.getNpsPassives(), r.getNpsDetractors()),
                StandardMetrics.csat(r.getCsatResponses(), r.getCsatSatisfied()), nps, csat));
    }

    /** The starts of the segment's windows in {@code partition}'s store, newest first. */
    public List<Long> segmentWindowStarts(String segment, int partition) {
        List<Long> starts = new ArrayList<>();
        try (KeyValueIterator<String, SegmentWindowAggregate> it =
                     this.<SegmentWindowAggregate>local(BrandEquityTopology.SEGMENT_WINDOW_STORE, partition).all()) {
            it.forEachRemaining(kv -> {
                SegmentWindowKey k = SegmentWindowKey.decode(kv.key);
                if (k.segment().equals(segment)) starts.add(k.windowStart());
            });
        }
        Collections.reverse(starts);
        return starts;
    }

    /** The latest window of each segment whose partition is active on this instance, by segment. */
    public Map<String, SegmentExperienceScore> latestSegmentWindows() {
        // In order of window start: the last window seen of a segment is its latest.
        Map<String, SegmentWindowAggregate> latest = new TreeMap<>();
        try (KeyValueIterator<String, SegmentWindowAggregate> it =
                     this.<SegmentWindowAggregate>local(BrandEquityTopology.SEGMENT_WINDOW_STORE).all()) {
            it.forEachRemaining(kv -> latest.put(SegmentWindowKey.decode(kv.key).segment(), kv.value));
        }
        Map<String, SegmentExperienceScore> out = new TreeMap<>();
        latest.forEach((segment, window) -> out.put(segment, OutputRecords.segmentScore(segment, window)));
        return out;
    }

    /** The customer's equity as stored in their ledger ({@link CustomerClosedLoop#stock}), empty when none was counted. */
    private static Optional<CustomerStock> equity(CustomerLedger ledger) {
        return ledger.getEquity() == null ? Optional.empty() : Optional.of(CustomerClosedLoop.stock(ledger));
    }

    private <V> ReadOnlyKeyValueStore<String, V> local(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }

    private <V> ReadOnlyKeyValueStore<String, V> local(String name, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition));
    }
}
