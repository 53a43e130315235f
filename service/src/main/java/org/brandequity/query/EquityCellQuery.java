package org.brandequity.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.EquityCell;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.Sums;

/**
 * {@code GET /equity/cells?segment=&touchpoint=&stage=}: the cells of the brand's current equity that
 * match every filter given (each optional), and the sums of the matching cells. With one filter the
 * sums are a one-way view (a segment's, a touchpoint's or a stage's contribution and volume), with
 * two a two-way view, with all three one cell: the same numbers as the {@code BrandEquity} lists,
 * since those are sums of the same cells.
 *
 * @param segment    exact segment name, or null for every segment
 * @param touchpoint or null for every touchpoint
 * @param stage      or null for every stage
 */
record EquityCellQuery(String segment, Touchpoint touchpoint, LifecycleStage stage) {
    static final String SEGMENT = "segment";
    static final String TOUCHPOINT = "touchpoint";
    static final String STAGE = "stage";
    private static final Set<String> PARAMETERS = Set.of(SEGMENT, TOUCHPOINT, STAGE);

    /**
     * Parses a raw (still URL-encoded) query string; null or empty means no filter. An empty value
     * ({@code segment=}) is no filter either. Touchpoint and stage symbols are matched ignoring case;
     * segment names exactly, as everywhere else.
     *
     * @throws QueryParameters.BadRequest for an unknown parameter, a repeated one, or an unknown touchpoint or stage symbol
     */
    static EquityCellQuery parse(String rawQuery) {
        Map<String, String> values = QueryParameters.parse(rawQuery, PARAMETERS);
        return new EquityCellQuery(blankToNull(values.get(SEGMENT)),
                symbol(TOUCHPOINT, values.get(TOUCHPOINT), Touchpoint.class),
                symbol(STAGE, values.get(STAGE), LifecycleStage.class));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static <E extends Enum<E>> E symbol(String parameter, String value, Class<E> type) {
        if (blankToNull(value) == null) return null;
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new QueryParameters.BadRequest("unknown " + parameter + " '" + value + "'; accepted: "
                    + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
        }
    }

    boolean matches(EquityCell c) {
        return (segment == null || segment.equals(c.getSegment()))
                && (touchpoint == null || touchpoint == c.getTouchpoint())
                && (stage == null || stage == c.getStage());
    }

    /**
     * The answer: {@code brandId}, {@code asOf} (the time every figure is valued at), the filters,
     * the matching {@code cells} as {@code EquityCell} fields, and their sums {@code contribution},
     * {@code volume} and {@code perceived} = contribution / volume (0 when nothing matches).
     */
    Map<String, Object> answer(BrandEquity equity) {
        List<EquityCell> matching = new ArrayList<>();
        Sums sum = Sums.ZERO;
        for (EquityCell c : equity.getCells()) {
            if (!matches(c)) continue;
            matching.add(c);
            sum = sum.plus(new Sums(c.getContribution(), c.getVolume()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("brandId", equity.getBrandId());
        out.put("asOf", equity.getAsOf().toString());
        out.put(SEGMENT, segment);
        out.put(TOUCHPOINT, touchpoint == null ? null : touchpoint.name());
        out.put(STAGE, stage == null ? null : stage.name());
        out.put("contribution", sum.signal());
        out.put("volume", sum.volume());
        out.put("perceived", sum.perceived());
        out.put("cells", AvroJson.plain(matching));
        return out;
    }
}
