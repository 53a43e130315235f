package org.brandequity.topology;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.brandequity.model.drivers.DriverSet;

/**
 * A batch derivation of the key-driver observations (issue 26) from the list of counted events,
 * written from the definition without the ledger's incremental state: for each counted event with a
 * likelihood-to-recommend answer, for each driver k, the mean of x over the same customer's counted
 * events at k strictly before it, weighted w &middot; 2^(-(t_a - t_e) / H); NaN where there is none.
 * The observation belongs to the segment the customer had when the answer was counted.
 */
final class DriverBatch {
    record Expected(String segment, int outcome, double[] predictors) {}

    private DriverBatch() {}

    /** Answer event id -> its observation, from every counted event (in any order). */
    static Map<String, Expected> observations(List<ReferenceModel.Counted> counted, Duration halfLife) {
        double h = halfLife.toMillis();
        Map<String, Expected> out = new HashMap<>();
        for (ReferenceModel.Counted a : counted) {
            Integer y = a.event().getLikelihoodToRecommend();
            if (y == null) continue;
            double[] s = new double[DriverSet.size()];
            double[] w = new double[DriverSet.size()];
            for (ReferenceModel.Counted e : counted) {
                int k = DriverSet.indexOf(e.event().getTouchpoint());
                if (k < 0 || !e.event().getCustomerId().equals(a.event().getCustomerId()) || e.time() >= a.time()) continue;
                double f = Math.pow(2, -(a.time() - e.time()) / h);
                s[k] += e.w() * e.x() * f;
                w[k] += e.w() * f;
            }
            double[] p = new double[s.length];
            for (int k = 0; k < p.length; k++) p[k] = w[k] > 0 ? s[k] / w[k] : Double.NaN;
            out.put(a.event().getEventId(), new Expected(a.segment(), y, p));
        }
        return out;
    }
}
