package org.brandequity.model;

/**
 * One customer's equity: the brand-equity stock (docs/model.md §4) restricted to the customer's own
 * events, valued at {@link #asOf} (the newest event time folded in).
 *
 * <pre>
 *   c_e     = w_e                                        (the event weight: see below)
 *   BE_c(t) = &Sigma;_e c_e &middot; x_e &middot; 2^(-(t - t_e) / H)        (stock)
 *   V_c(t)  = &Sigma;_e c_e &middot; 2^(-(t - t_e) / H)              (decayed volume)
 *   index_c = 100 &middot; BE_c(t) / (V_c(t) + K_c)                (K_c = model.customer.index.prior)
 * </pre>
 *
 * Why c = w and not the brand's &omega;(segment) &times; v(customer) &times; w: the segment and value
 * weights are constant for one customer, and a constant factor on every c scales stock and volume
 * alike, so it would change the index only through its ratio to K_c; with c = w, K_c means the same
 * for every customer ("K_c events of weight 1"), and the value weight ranks at-risk customers instead
 * (priority = value weight &times; shortfall). Same half-life H as the brand
 * ({@code model.equity.half.life}), same lazy decay ({@link Decay}): an event older than
 * {@code asOf}, a late one, is decayed to {@code asOf} when it is added, so the stock does not
 * depend on arrival order.
 *
 * @param asOf   the newest event time folded in ({@link Long#MIN_VALUE} when empty)
 * @param signal BE_c at asOf
 * @param volume V_c at asOf
 * @param events counted events behind it
 */
public record CustomerStock(long asOf, double signal, double volume, long events) {
    /** Nothing counted yet. */
    public static final CustomerStock EMPTY = new CustomerStock(Long.MIN_VALUE, 0, 0, 0);

    /**
     * A stock whose decayed volume at stream time is below this is dropped with the customer's
     * closed-loop state (when no alert is open and the cooldown is over): an event of weight 1 gets
     * there after log2(1000) ≈ 10 half-lives (300 days at H = 30 days). Dropping it moves the index
     * a later event sees by at most 100 · ε / (V + K_c) points.
     */
    public static final double PRUNE_VOLUME = 1e-3;

    public boolean isEmpty() {
        return events == 0;
    }

    /** This stock with one event of experience {@code x} and equity weight {@code c} at time {@code t} added. */
    public CustomerStock plus(long t, double x, double c, Decay decay) {
        if (isEmpty()) return new CustomerStock(t, c * x, c, 1);
        if (t >= asOf) {
            double f = decay.factor(asOf, t);
            return new CustomerStock(t, signal * f + c * x, volume * f + c, events + 1);
        }
        double f = decay.factor(t, asOf);
        return new CustomerStock(asOf, signal + c * x * f, volume + c * f, events + 1);
    }

    /** The same experience valued at {@code time} (only forward: experience never un-decays). */
    public CustomerStock valuedAt(long time, Decay decay) {
        if (isEmpty() || time <= asOf) return this;
        double f = decay.factor(asOf, time);
        return new CustomerStock(time, signal * f, volume * f, events);
    }

    /** index_c = 100 · BE_c / (V_c + K_c), in (-100, 100); 0 when nothing was counted. */
    public double index(double indexPrior) {
        double denominator = volume + indexPrior;
        return denominator > 0 ? 100.0 * signal / denominator : 0.0;
    }

    /** Whether its volume valued at {@code time} is below {@link #PRUNE_VOLUME}. */
    public boolean negligibleAt(long time, Decay decay) {
        return isEmpty() || valuedAt(time, decay).volume() < PRUNE_VOLUME;
    }
}
