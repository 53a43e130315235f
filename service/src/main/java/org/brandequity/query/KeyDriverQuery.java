package org.brandequity.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.Durations;
import org.brandequity.model.FieldLimits;
import org.brandequity.model.drivers.DriverConfig;
import org.brandequity.model.drivers.KeyDriverAnalysis;
import org.brandequity.model.drivers.DriverSet;
import org.brandequity.topology.PipelineStores;

/**
 * {@code GET /drivers[?segment=S]}: the key drivers of segment S, or of the whole brand without it
 * (docs/model.md §9), read off the statistics the pipeline keeps for it ({@code key-driver-statistics-store})
 * as of its last fold ({@code drivers.emit.interval}). Every driver is listed: those in the analysis
 * by relative weight, then those left out with the reason; {@code ranking} is the single ranking,
 * insignificant drivers at zero.
 *
 * @param segment the segment, or null for the brand
 */
record KeyDriverQuery(String segment) {
    static final String SEGMENT = "segment";
    static final Set<String> PARAMETERS = Set.of(SEGMENT);

    /** @throws QueryParameters.BadRequest for an unknown or repeated parameter, or an empty or too long segment */
    static KeyDriverQuery parse(String rawQuery) {
        String segment = QueryParameters.parse(rawQuery, PARAMETERS).get(SEGMENT);
        if (segment != null && (segment.isEmpty() || segment.getBytes(StandardCharsets.UTF_8).length > FieldLimits.SEGMENT_MAX_BYTES)) {
            throw new QueryParameters.BadRequest("segment must be 1 to " + FieldLimits.SEGMENT_MAX_BYTES + " UTF-8 bytes (none: the whole brand)");
        }
        return new KeyDriverQuery(segment);
    }

    /** The answer for the state held, as the JSON of docs/queries.md. */
    Map<String, Object> answer(Optional<PipelineStores.Drivers> held, PipelineConfig config) {
        if (held.isEmpty()) {
            throw new NotFound("no key drivers " + (segment == null ? "for the brand" : "for segment " + segment)
                    + " yet: recommend answers are folded every drivers.emit.interval (" + Durations.format(config.drivers().emitInterval()) + ")");
        }
        DriverConfig drivers = config.drivers();
        PipelineStores.Drivers state = held.get();
        KeyDriverAnalysis.Result r = KeyDriverAnalysis.analyse(state.statistics(), state.bootstrap(), drivers.minObservations(),
                DriverSet.weights(config.model().touchpointWeight()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("brandId", config.brandId());
        out.put("segment", segment);
        out.put("asOf", Instant.ofEpochMilli(state.asOf()).toString());
        out.put("status", r.enoughData() ? "OK" : "NOT_ENOUGH_DATA");
        out.put("n", r.n());
        out.put("effectiveN", number(r.effectiveN()));
        out.put("rSquared", number(r.rSquared()));
        out.put("replicates", r.replicates());
        out.put("minObservations", drivers.minObservations());
        out.put("halfLife", Durations.format(drivers.halfLife()));
        List<KeyDriverAnalysis.Driver> ordered = new ArrayList<>(r.drivers());
        ordered.sort((a, b) -> a.status() != b.status() ? a.status().compareTo(b.status()) : Double.compare(b.relativeWeight(), a.relativeWeight()));
        List<Map<String, Object>> list = new ArrayList<>();
        for (KeyDriverAnalysis.Driver d : ordered) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("touchpoint", d.touchpoint().name());
            m.put("status", d.status().name());
            m.put("n", d.n());
            m.put("relativeWeight", number(d.relativeWeight()));
            m.put("shareOfRSquared", number(d.share()));
            m.put("lower", number(d.low()));
            m.put("upper", number(d.high()));
            m.put("coefficient", number(d.coefficient()));
            m.put("standardizedCoefficient", number(d.standardizedCoefficient()));
            m.put("pValue", number(d.pValue()));
            m.put("significant", d.significant());
            m.put("rankingWeight", number(d.rankingWeight()));
            m.put("configuredWeight", d.configuredWeight());
            m.put("suggestedWeight", number(d.suggestedWeight()));
            list.add(m);
        }
        out.put("drivers", list);
        List<String> ranking = new ArrayList<>();
        if (r.enoughData()) {
            for (KeyDriverAnalysis.Driver d : r.ranking()) if (d.status() == KeyDriverAnalysis.Status.IN) ranking.add(d.touchpoint().name());
        }
        out.put("ranking", ranking);
        return out;
    }

    /** NaN (no figure: not enough data, or a driver left out) as null. */
    private static Double number(double x) {
        return Double.isNaN(x) || Double.isInfinite(x) ? null : x;
    }
}
