package org.brandequity.topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.brandequity.topology.ReferenceModel.Counted;

/**
 * Customer equity (docs/model.md §8) recomputed in one batch from the list of counted events, straight
 * from the formulas and independently of the topology's incremental code: per customer, valued at
 * their newest counted event time, BE_c = Σ w·x·2^(−(asOf − t)/H), V_c = Σ w·2^(−(asOf − t)/H),
 * index_c = 100·BE_c/(V_c + K_c).
 */
final class CustomerEquityBatch {
    record Equity(long asOf, double stock, double volume, double index, long events) {}

    private CustomerEquityBatch() {}

    static Map<String, Equity> of(List<Counted> counted, double halfLifeMs, double indexPrior) {
        Map<String, Long> asOf = new HashMap<>();
        for (Counted c : counted) asOf.merge(c.event().getCustomerId(), c.time(), Math::max);
        Map<String, double[]> sums = new HashMap<>();
        for (Counted c : counted) {
            String customer = c.event().getCustomerId();
            double decay = Math.pow(2, -(asOf.get(customer) - c.time()) / halfLifeMs);
            double[] s = sums.computeIfAbsent(customer, k -> new double[3]);
            s[0] += c.w() * c.x() * decay;
            s[1] += c.w() * decay;
            s[2]++;
        }
        Map<String, Equity> out = new HashMap<>();
        sums.forEach((customer, s) -> out.put(customer,
                new Equity(asOf.get(customer), s[0], s[1], 100 * s[0] / (s[1] + indexPrior), (long) s[2])));
        return out;
    }
}
