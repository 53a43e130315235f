package org.brandequity.model.drivers;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.brandequity.model.Decay;

/**
 * One customer's key-driver observations, kept exact under late events: what the customer's ledger
 * keeps for them, and the observation changes each counted event causes.
 *
 * <p><b>Observation.</b> Every counted event carrying a likelihood-to-recommend answer y (0–10), at
 * any touchpoint, is one observation (id = its event id, time t_a = its event time). Its predictor
 * for driver k ({@link DriverSet}) is the customer's decayed, experience-weighted mean experience at
 * k before it:
 * <pre>
 *   p_k(t_a) = S_k(t_a) / W_k(t_a)
 *   S_k(t_a) = &Sigma;_e w_e &middot; x_e &middot; 2^(-(t_a - t_e) / H)     W_k(t_a) = &Sigma;_e w_e &middot; 2^(-(t_a - t_e) / H)
 * </pre>
 * over the customer's counted events e at k with t_e &lt; t_a: strictly earlier, so an event at the
 * same instant as the answer (the answer's own event among them) is not a predictor of it; it is one
 * of every later answer. x and w are the event's experience signal and weight ({@code ScoringModel}),
 * H is {@code drivers.half.life}. A driver the customer never met before t_a (W_k = 0) is
 * {@code NaN}: missing, not zero. The reference time t_a cancels out of the ratio; it only keeps the
 * factors at or below 1.
 *
 * <p><b>Exact under lateness.</b> The state splits the customer's driver events at
 * {@link #settledBefore()} (the caller's stream time minus {@code late.horizon}, which no counted
 * event can be older than from then on):
 * <ul>
 *   <li>events before it are folded into one pair (S_k, W_k) per driver met, valued lazily at
 *       {@link #asOf()} as {@link Decay} does;</li>
 *   <li>events at or after it are kept one by one ({@link Experience}), and so are the answers after
 *       it ({@link Answer}), each with the predictors and the segment it was last emitted with.</li>
 * </ul>
 * An answer's predictors are the settled pairs valued at t_a plus the kept events before t_a; every
 * settled event is before every answer still kept or still to come, so no event is ever taken back
 * out of a sum (a subtraction would lose precision where recent experience dominates old). A late
 * answer thus gets the predictors it would have had in order; a late driver event re-derives each kept
 * answer after it and, where that answer's predictors changed, retracts the observation as emitted
 * and adds the corrected one. After all events the live observations (additions minus retractions)
 * are the same multiset, up to rounding, whatever order the events came in.
 *
 * <p><b>Segment.</b> An observation belongs to the segment the customer had when the answer was
 * counted; a re-derivation keeps it there, so a retraction always goes where its addition went,
 * even when the customer's segment changed in between. Why not move it to the new segment: a late
 * event corrects what the customer experienced before the answer, not who they were when answering.
 *
 * <p><b>Bounds.</b> At most {@link #MAX_KEPT_EXPERIENCES} events and {@link #MAX_KEPT_ANSWERS} answers
 * are kept (a flood of events within {@code late.horizon} must not grow the ledger record past the
 * broker's message size): beyond them the oldest are settled early, by raising
 * {@link #settledBefore()}. Only then, or after {@code late.horizon} was raised between runs, can an
 * event arrive older than {@link #settledBefore()}; it is counted approximately: a driver event joins
 * the settled sums (answers already forgotten keep their predictors), an answer gets predictors that
 * include the settled events at or after it.
 *
 * <p>Hand-written: no library keeps per-key decayed sums with retractions.
 */
public final class CustomerDrivers {
    /** Events kept one by one at most; beyond, the oldest are settled early. About 6 to 14 bytes each in the ledger ({@link KeptExperiences}). */
    public static final int MAX_KEPT_EXPERIENCES = 1_000;
    /** Answers kept at most; beyond, the oldest can no longer be corrected. At most about 450 bytes each in the ledger. */
    public static final int MAX_KEPT_ANSWERS = 100;

    /** A counted event at a driver touchpoint, kept while a late event or answer may still need it. */
    public record Experience(int driver, double value, double weight, long time) {}

    /** A counted answer that a late driver event may still change, as last emitted. */
    public record Answer(String id, long time, int outcome, String segment, double[] predictors) {
        public Answer {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(segment, "segment");
            predictors = predictors.clone();
        }

        @Override
        public double[] predictors() {
            return predictors.clone();
        }

        public DriverObservation observation() {
            return new DriverObservation(id, time, outcome, predictors);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Answer a && id.equals(a.id) && time == a.time && outcome == a.outcome
                    && segment.equals(a.segment) && Arrays.equals(predictors, a.predictors);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, time, outcome, segment, Arrays.hashCode(predictors));
        }
    }

    private static final int N = DriverSet.size();
    private static final List<ObservationChange> NONE = List.of();
    /** What an empty list of kept events or answers packs to (both read it back as empty). */
    private static final byte[] NO_BYTES = new byte[0];

    private long settledBefore;
    private long asOf;
    private final double[] signal;
    private final double[] volume;
    /**
     * The kept events, packed: the ledger stores them as one byte string, so that reading and
     * writing it costs one copy instead of four fields per event, and few bytes per event.
     */
    private KeptExperiences kept;
    private KeptAnswers answers;

    /**
     * @param settledBefore every driver event before it is in {@code signal} and {@code volume}; every one at or after it is in {@code kept}
     * @param asOf          the time {@code signal} and {@code volume} are valued at ({@link Long#MIN_VALUE} when nothing is settled)
     * @param signal        S_k per driver, indexed as {@link DriverSet}
     * @param volume        W_k per driver (0 where never met)
     * @param kept          the driver events at or after {@code settledBefore}
     * @param answers       the answers after {@code settledBefore}, as last emitted
     */
    public CustomerDrivers(long settledBefore, long asOf, double[] signal, double[] volume, List<Experience> kept, List<Answer> answers) {
        this(settledBefore, asOf, signal, volume, pack(kept).packed(), KeptAnswers.of(answers).packed());
    }

    /** As above, with the kept events and answers packed as {@link #packedKept()} and {@link #packedAnswers()} give them; the arrays are not copied and never changed. */
    public CustomerDrivers(long settledBefore, long asOf, double[] signal, double[] volume, byte[] packedKept, byte[] packedAnswers) {
        if (signal.length != N || volume.length != N) throw new IllegalArgumentException("one sum per driver: " + N);
        this.settledBefore = settledBefore;
        this.asOf = asOf;
        this.signal = signal.clone();
        this.volume = volume.clone();
        this.kept = KeptExperiences.of(packedKept);
        this.answers = KeptAnswers.of(packedAnswers);
    }

    /** A customer with no driver event and no answer yet. */
    public static CustomerDrivers empty() {
        return new CustomerDrivers(Long.MIN_VALUE, Long.MIN_VALUE, new double[N], new double[N], KeptExperiences.EMPTY.packed(), KeptAnswers.EMPTY.packed());
    }

    private static KeptExperiences pack(List<Experience> events) {
        int n = events.size();
        int[] drivers = new int[n];
        double[] xs = new double[n];
        double[] ws = new double[n];
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            Experience e = events.get(i);
            drivers[i] = e.driver();
            xs[i] = e.value();
            ws[i] = e.weight();
            times[i] = e.time();
        }
        return KeptExperiences.pack(n, drivers, xs, ws, times);
    }

    public long settledBefore() {
        return settledBefore;
    }

    public long asOf() {
        return asOf;
    }

    /** S_k of the settled events, valued at {@link #asOf()}. */
    public double signal(int driver) {
        return signal[driver];
    }

    /** W_k of the settled events, valued at {@link #asOf()}; 0 when none is at driver k. */
    public double volume(int driver) {
        return volume[driver];
    }

    public List<Experience> kept() {
        List<Experience> out = new ArrayList<>(kept.count());
        kept.forEach((driver, x, w, t) -> out.add(new Experience(driver, x, w, t)));
        return out;
    }

    /** The kept events, packed as {@link KeptExperiences} lays them out (no bytes when none): read-only, and shared (no copy). */
    public ByteBuffer packedKept() {
        return ByteBuffer.wrap(kept.isEmpty() ? NO_BYTES : kept.packed()).asReadOnlyBuffer();
    }

    public List<Answer> answers() {
        return answers.all();
    }

    /** The answers, packed as {@link KeptAnswers} lays them out (no bytes when none): read-only, and shared (no copy). */
    public ByteBuffer packedAnswers() {
        return ByteBuffer.wrap(answers.isEmpty() ? NO_BYTES : answers.packed()).asReadOnlyBuffer();
    }

    /** Nothing settled, kept or answered: the ledger need not keep it. */
    public boolean isEmpty() {
        return asOf == Long.MIN_VALUE && kept.isEmpty() && answers.isEmpty();
    }

    /**
     * Counts one counted (deduplicated) event and returns the observation changes it causes, in the
     * order to apply them (each retraction right before its correction; the event's own answer last).
     *
     * @param eventId       the event's id (the observation's id when it is an answer)
     * @param time          its event time
     * @param driver        its touchpoint's index in {@link DriverSet}, or -1 when it is not a driver
     * @param value         its experience x
     * @param weight        its weight w
     * @param answer        its likelihood to recommend (0–10), or null when it carries none
     * @param segment       the customer's segment now: the segment of an answer counted now
     * @param settleBefore  the oldest event time a counted event can have from now on (stream time minus
     *                      {@code late.horizon}): older state is settled first
     */
    public List<ObservationChange> count(String eventId, long time, int driver, double value, double weight, Integer answer,
                                         String segment, long settleBefore, Decay decay) {
        if (driver < 0 && answer == null) return NONE;
        settle(settleBefore, decay);
        List<ObservationChange> changes = NONE;
        if (driver >= 0) {
            if (time >= settledBefore) append(driver, value, weight, time);
            else fold(driver, value, weight, time, decay); // older than the state can split: see Bounds
            // The common on-time event comes after every kept answer: their times alone say so.
            List<Answer> all = answers.anyAfter(time) ? answers.all() : List.of();
            boolean anyCorrected = false;
            for (int i = 0; i < all.size(); i++) {
                Answer a = all.get(i);
                if (a.time() <= time) continue; // strictly earlier events only: this one is not a predictor of a
                double[] corrected = predictorsBefore(a.time(), decay);
                if (Arrays.equals(corrected, a.predictors)) continue;
                Answer now = new Answer(a.id(), a.time(), a.outcome(), a.segment(), corrected);
                all.set(i, now);
                anyCorrected = true;
                if (changes == NONE) changes = new ArrayList<>();
                changes.add(ObservationChange.retraction(a.observation(), a.segment()));
                changes.add(ObservationChange.addition(now.observation(), now.segment()));
            }
            if (anyCorrected) answers = KeptAnswers.of(all);
        }
        if (answer != null) {
            Answer a = new Answer(eventId, time, answer, segment, predictorsBefore(time, decay));
            if (time > settledBefore) answers = answers.append(a);
            if (changes == NONE) changes = new ArrayList<>(1);
            changes.add(ObservationChange.addition(a.observation(), a.segment()));
        }
        bound(decay);
        return changes;
    }

    /**
     * The predictors of an answer at {@code time}: p_k = S_k / W_k over the driver events strictly
     * before it, {@code NaN} where there is none. Exact for {@code time >= settledBefore()}.
     */
    public double[] predictorsBefore(long time, Decay decay) {
        double[] s = new double[N];
        double[] w = new double[N];
        if (asOf != Long.MIN_VALUE) {
            double f = decay.factor(asOf, time);
            for (int k = 0; k < N; k++) {
                s[k] = signal[k] * f;
                w[k] = volume[k] * f;
            }
        }
        kept.forEach((k, x, weight, t) -> {
            if (t >= time) return;
            double f = decay.factor(t, time);
            s[k] += weight * x * f;
            w[k] += weight * f;
        });
        double[] p = new double[N];
        for (int k = 0; k < N; k++) p[k] = w[k] > 0 ? s[k] / w[k] : Double.NaN;
        return p;
    }

    /**
     * Folds the kept events before {@code before} into the settled sums and forgets the answers at
     * or before it (no event from then on is older than them, so none can change them).
     */
    public void settle(long before, Decay decay) {
        if (before <= settledBefore) return;
        settledBefore = before;
        kept = kept.keepFrom(before, (k, x, w, t) -> fold(k, x, w, t, decay));
        answers = answers.laterThan(before);
    }

    /** Appends one event to the kept ones. */
    private void append(int driver, double x, double w, long t) {
        kept = kept.append(driver, x, w, t);
    }

    /** Adds one event to the settled sums, valued lazily at the newest settled event time. */
    private void fold(int driver, double x, double w, long t, Decay decay) {
        if (asOf == Long.MIN_VALUE) {
            asOf = t;
        } else if (t > asOf) {
            double f = decay.factor(asOf, t);
            for (int k = 0; k < N; k++) {
                signal[k] *= f;
                volume[k] *= f;
            }
            asOf = t;
        }
        double f = decay.factor(t, asOf);
        signal[driver] += w * x * f;
        volume[driver] += w * f;
    }

    /** Settles the oldest kept events (and forgets the oldest answers) beyond the bounds. */
    private void bound(Decay decay) {
        while (kept.count() > MAX_KEPT_EXPERIENCES || answers.count() > MAX_KEPT_ANSWERS) {
            long oldest = Long.MAX_VALUE;
            if (kept.count() > MAX_KEPT_EXPERIENCES) oldest = kept.oldest();
            if (answers.count() > MAX_KEPT_ANSWERS) oldest = Math.min(oldest, answers.oldest());
            // Settling before oldest + 1 takes every event and answer at the oldest instant: at least one.
            settle(oldest + 1, decay);
        }
    }
}
