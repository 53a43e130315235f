package org.brandequity.model;

/**
 * A pair of decayed sums valued at one time: {@code signal} = &Sigma; c&middot;x&middot;d and
 * {@code volume} = &Sigma; c&middot;d, where c is an event's equity weight and d its decay factor.
 * Their ratio is a decayed weighted mean experience in [-1, 1].
 */
public record Sums(double signal, double volume) {
    public static final Sums ZERO = new Sums(0, 0);

    /** One event's contribution: experience x with equity weight c. */
    public static Sums of(double x, double c) {
        return new Sums(c * x, c);
    }

    public Sums plus(Sums o) {
        return new Sums(signal + o.signal, volume + o.volume);
    }

    public Sums scaled(double f) {
        return new Sums(signal * f, volume * f);
    }

    /** The decayed weighted mean experience, or 0 when nothing has been seen. */
    public double perceived() {
        return volume > 0 ? signal / volume : 0.0;
    }
}
