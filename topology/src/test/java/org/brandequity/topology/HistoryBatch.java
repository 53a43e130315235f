package org.brandequity.topology;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.brandequity.config.PipelineConfig;
import org.brandequity.model.EquityChange.StockVolume;
import org.brandequity.topology.ReferenceModel.Counted;

/**
 * The equity history recomputed from scratch over the reference model's counted events (docs/model.md
 * "Equity history"): sums of c&middot;x&middot;2^(-(T - t)/H) and c&middot;2^(-(T - t)/H) over a
 * chosen set of events, valued at a chosen time, per group. Written from the formulas, sharing no
 * code with the topology or the model's EquityHistory.
 */
final class HistoryBatch {
    private final ReferenceModel ref;
    private final PipelineConfig config;

    HistoryBatch(ReferenceModel ref, PipelineConfig config) {
        this.ref = ref;
        this.config = config;
    }

    /** The sums of the counted events {@code which} selects, valued at {@code at}, per {@code group}. */
    Map<String, StockVolume> sums(Predicate<Counted> which, long at, Function<Counted, String> group) {
        double halfLife = config.model().halfLife().toMillis();
        Map<String, double[]> acc = new TreeMap<>();
        for (Counted e : ref.counted()) {
            if (!which.test(e)) continue;
            double c = config.model().weightOfSegment(e.segment()) * e.valueWeight() * e.w();
            double decay = Math.pow(2, -(at - e.time()) / halfLife);
            double[] a = acc.computeIfAbsent(group.apply(e), k -> new double[2]);
            a[0] += c * e.x() * decay;
            a[1] += c * decay;
        }
        Map<String, StockVolume> out = new TreeMap<>();
        acc.forEach((k, a) -> out.put(k, new StockVolume(a[0], a[1])));
        return out;
    }

    /** The total of {@link #sums} over every group. */
    StockVolume total(Predicate<Counted> which, long at) {
        StockVolume t = StockVolume.ZERO;
        for (StockVolume s : sums(which, at, e -> "").values()) t = t.plus(s);
        return t;
    }
}
