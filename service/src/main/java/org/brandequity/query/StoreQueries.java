package org.brandequity.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;
import org.brandequity.avro.BrandEquity;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.AtRiskPriority;
import org.brandequity.model.ClosedLoopConfig;
import org.brandequity.model.CustomerStock;
import org.brandequity.query.KeyOwnership.Located;
import org.brandequity.topology.PipelineStores.Keyed;
import org.brandequity.topology.PipelineStores;

/**
 * The answers of the interactive queries, without any transport: each asks {@link KeyOwnership}
 * where its key is answered, reads this instance's stores through {@link PipelineStores}, and renders
 * what it finds as maps and lists with the field names of the output topics' records (see
 * docs/queries.md). {@link QueryApi} serves them over HTTP and does the forwarding they ask for.
 */
final class StoreQueries {
    private final PipelineStores stores;
    private final KeyOwnership owners;
    private final String brandId;
    private final ClosedLoopConfig closedLoop;
    private final EquityHistoryQueries history;
    private final org.brandequity.model.WindowGrid grid;
    private final PipelineConfig config;

    StoreQueries(PipelineStores stores, KeyOwnership owners, PipelineConfig config) {
        this.stores = stores;
        this.owners = owners;
        this.brandId = config.brandId();
        this.closedLoop = config.closedLoop();
        this.history = new EquityHistoryQueries(config);
        this.grid = config.windows().grid();
        this.config = config;
    }

    /** The account of the brand's equity change between two history points ({@link EquityHistoryQueries#change}). */
    Located equityChange(EquityHistoryQueries.Change query) {
        return owners.locate(Keyed.BRAND_EQUITY, brandId, partition -> history.change(query, stores, partition));
    }

    /** A segment's NPS and CSAT change between two of its windows, as mix and rate ({@link SegmentChangeQuery}). */
    Located segmentChange(String segment, SegmentChangeQuery query) {
        return owners.locate(Keyed.SEGMENT_WINDOWS, segment, partition -> query.answer(segment, stores, partition, grid));
    }

    /** The brand's equity history as a series ({@link EquityHistoryQueries#series}). */
    Located equityHistory(EquityHistoryQueries.Series query) {
        return owners.locate(Keyed.BRAND_EQUITY, brandId, partition -> history.series(query, stores, partition));
    }

    /** The key drivers of a segment or the brand ({@link KeyDriverQuery}). */
    Located keyDrivers(KeyDriverQuery query) {
        String key = query.segment() == null ? PipelineStores.BRAND_DRIVERS_KEY : query.segment();
        return owners.locate(Keyed.KEY_DRIVERS, key, partition -> query.answer(stores.keyDrivers(query.segment(), partition), config));
    }

    /** The brand's equity, as on the equity topic. */
    Located equity() {
        return owners.locate(Keyed.BRAND_EQUITY, brandId, partition -> AvroJson.plain(localEquityRecord()));
    }

    /** The cells of the brand's equity that match {@code query}, and their sums ({@link EquityCellQuery#answer}). */
    Located equityCells(EquityCellQuery query) {
        return owners.locate(Keyed.BRAND_EQUITY, brandId, partition -> query.answer(localEquityRecord()));
    }

    /** Every window of the customer the store can still assemble whole, open ones too, newest first. */
    Located customerWindows(String customerId) {
        return owners.locate(Keyed.CUSTOMER, customerId, partition -> {
            List<Object> found = new ArrayList<>();
            stores.customerWindows(customerId, partition).forEach(w -> found.add(AvroJson.plain(w)));
            if (found.isEmpty()) throw new NotFound("no windows for customer " + customerId);
            return found;
        });
    }

    /**
     * One customer: profile, equity (docs/model.md §8, valued at its asOf), the windows of
     * {@link #customerWindows}, and the open at-risk alert or null.
     */
    Located customer(String customerId) {
        return owners.locate(Keyed.CUSTOMER, customerId, partition -> {
            PipelineStores.Customer customer = stores.customer(customerId, partition)
                    .orElseThrow(() -> new NotFound("no customer " + customerId));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("customerId", customerId);
            out.put("segment", customer.segment());
            out.put("tier", customer.tier());
            out.put("valueWeight", customer.valueWeight());
            out.put("equity", customer.equity().map(this::equity).orElse(null));
            out.put("windows", AvroJson.plain(stores.customerWindows(customerId, partition)));
            out.put("alert", stores.openAlert(customerId, partition).map(AvroJson::plain).orElse(null));
            return out;
        });
    }

    /** The segment's windows still in the store, newest first. */
    Located segmentWindows(String segment) {
        return owners.locate(Keyed.SEGMENT_WINDOWS, segment, partition -> {
            List<?> found = (List<?>) AvroJson.plain(stores.segmentWindows(segment, partition));
            if (found.isEmpty()) throw new NotFound("no windows for segment " + segment);
            return found;
        });
    }

    private BrandEquity localEquityRecord() {
        return stores.brandEquity().orElseThrow(() -> new NotFound("no equity yet for brand " + brandId));
    }

    /** A customer's equity as the API shows it. */
    private Map<String, Object> equity(CustomerStock stock) {
        Map<String, Object> equity = new LinkedHashMap<>();
        equity.put("asOf", Instant.ofEpochMilli(stock.asOf()).toString());
        equity.put("stock", stock.signal());
        equity.put("volume", stock.volume());
        equity.put("index", stock.index(closedLoop.customerIndexPrior()));
        equity.put("events", stock.events());
        return equity;
    }

    /**
     * The open at-risk alerts of this instance's active tasks (of {@code segment}, or all when null),
     * highest priority first ({@link AtRiskPriority}), at most {@code limit}: read from each task's
     * small open-alert store, then each customer's ledger for their index now (0 without equity).
     */
    List<Map<String, Object>> localAtRisk(String segment, int limit) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (PipelineStores.OpenAlert open : stores.openAlerts(segment)) {
            double index = open.equity().map(s -> s.index(closedLoop.customerIndexPrior())).orElse(0.0);
            AtRiskPriority priority = AtRiskPriority.of(open.valueWeight(), index, closedLoop.indexThreshold());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("customerId", open.customerId());
            entry.put("segment", open.alert().getSegment());
            entry.put("valueWeight", open.valueWeight());
            entry.put("index", priority.index());
            entry.put("shortfall", priority.shortfall());
            entry.put("priority", priority.priority());
            entry.put("alert", AvroJson.plain(open.alert()));
            found.add(entry);
        }
        return byPriority(found, limit);
    }

    /**
     * The open at-risk alerts of the whole cluster: the union of every instance's
     * {@link #localAtRisk} ({@code remotePart} asks the others for theirs), by priority, at most {@code limit}.
     */
    List<Map<String, Object>> allAtRisk(String segment, int limit, Function<HostInfo, List<?>> remotePart) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (HostInfo instance : owners.instances(Keyed.OPEN_CUSTOMER_ALERTS)) {
            if (instance.equals(owners.self())) {
                all.addAll(localAtRisk(segment, limit));
            } else {
                for (Object entry : remotePart.apply(instance)) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) entry;
                    all.add(m);
                }
            }
        }
        return byPriority(all, limit);
    }

    /** The first {@code limit} entries (this instance's or another's, as JSON maps) in {@link AtRiskPriority#ranking} order. */
    static List<Map<String, Object>> byPriority(List<Map<String, Object>> entries, int limit) {
        entries.sort(AtRiskPriority.<Map<String, Object>>ranking(m -> ((Number) m.get("priority")).doubleValue(),
                m -> ((Number) m.get("valueWeight")).doubleValue(), m -> (String) m.get("customerId")));
        return new ArrayList<>(entries.subList(0, Math.min(limit, entries.size())));
    }

    /** The latest window of each segment whose partition is active on this instance. */
    List<Object> localLatestSegmentWindows() {
        return new ArrayList<>((List<?>) AvroJson.plain(stores.latestSegmentWindows().values()));
    }

    /**
     * The latest window of every segment, by segment. Each segment lives on one partition, hence on
     * one instance: the union of every instance's local part, {@code remotePart} asking the others
     * for theirs ({@link #localLatestSegmentWindows} there).
     */
    List<Object> allLatestSegmentWindows(Function<HostInfo, List<?>> remotePart) {
        Map<Object, Object> bySegment = new TreeMap<>();
        for (HostInfo instance : owners.instances(Keyed.SEGMENT_WINDOWS)) {
            List<?> part = instance.equals(owners.self()) ? localLatestSegmentWindows() : remotePart.apply(instance);
            for (Object window : part) bySegment.put(((Map<?, ?>) window).get("segment"), window);
        }
        return new ArrayList<>(bySegment.values());
    }
}
