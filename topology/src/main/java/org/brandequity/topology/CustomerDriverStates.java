package org.brandequity.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.brandequity.avro.internal.CustomerDriverState;
import org.brandequity.avro.internal.DriverAnswer;
import org.brandequity.avro.internal.DriverObservationChange;
import org.brandequity.avro.internal.SettledDriver;
import org.brandequity.model.drivers.CustomerDrivers;
import org.brandequity.model.drivers.DriverObservation;
import org.brandequity.model.drivers.DriverSet;
import org.brandequity.model.drivers.ObservationChange;

/**
 * The customer ledger's key-driver part ({@link CustomerDriverState}) to and from the model's
 * {@link CustomerDrivers}, and observation changes to their repartition record. Only met drivers
 * are written: a settled pair per driver met, and an answer's predictors behind a bit set of the
 * drivers that had one, so the ledger grows with the touchpoints a customer met, not with the 13.
 * The kept events travel packed, as {@link CustomerDrivers#packedKept()} lays them out.
 */
final class CustomerDriverStates {
    private CustomerDriverStates() {}

    static CustomerDrivers of(CustomerDriverState s) {
        if (s == null) return CustomerDrivers.empty();
        int n = DriverSet.size();
        double[] signal = new double[n];
        double[] volume = new double[n];
        for (SettledDriver d : s.getSettled()) {
            signal[d.getDriver()] = d.getSignal();
            volume[d.getDriver()] = d.getVolume();
        }
        byte[] kept = bytes(s.getKept());
        List<CustomerDrivers.Answer> answers = new ArrayList<>(s.getAnswers().size() + 1);
        for (DriverAnswer a : s.getAnswers()) {
            answers.add(new CustomerDrivers.Answer(a.getEventId(), a.getEventTime(), a.getOutcome(), a.getSegment(),
                    predictors(a.getMet(), a.getPredictors())));
        }
        return new CustomerDrivers(s.getSettledBefore(), s.getAsOf(), signal, volume, kept, answers);
    }

    /** The state to keep, or null when there is none. */
    static CustomerDriverState state(CustomerDrivers d) {
        if (d.isEmpty()) return null;
        List<SettledDriver> settled = new ArrayList<>();
        for (int k = 0; k < DriverSet.size(); k++) {
            if (d.volume(k) != 0 || d.signal(k) != 0) settled.add(new SettledDriver(k, d.signal(k), d.volume(k)));
        }
        ByteBuffer kept = d.packedKept();
        List<CustomerDrivers.Answer> given = d.answers();
        List<DriverAnswer> answers = new ArrayList<>(given.size() + 1);
        for (CustomerDrivers.Answer a : given) {
            double[] p = a.predictors();
            int met = 0;
            List<Double> values = new ArrayList<>(p.length);
            for (int k = 0; k < p.length; k++) {
                if (Double.isNaN(p[k])) continue;
                met |= 1 << k;
                values.add(p[k]);
            }
            answers.add(new DriverAnswer(a.id(), a.time(), a.outcome(), a.segment(), met, values));
        }
        return new CustomerDriverState(d.settledBefore(), d.asOf(), settled, kept, answers);
    }

    /** The bytes of a decoded byte string, without a copy when they are a whole array (as Avro decodes them). */
    private static byte[] bytes(ByteBuffer b) {
        if (b.hasArray() && !b.isReadOnly() && b.arrayOffset() == 0 && b.position() == 0 && b.limit() == b.array().length) {
            return b.array();
        }
        byte[] copy = new byte[b.remaining()];
        b.duplicate().get(copy);
        return copy;
    }

    private static double[] predictors(int met, List<Double> values) {
        double[] p = new double[DriverSet.size()];
        int next = 0;
        for (int k = 0; k < p.length; k++) p[k] = (met & 1 << k) != 0 ? values.get(next++) : Double.NaN;
        return p;
    }

    static DriverObservationChange record(ObservationChange c) {
        DriverObservation o = c.observation();
        List<Double> predictors = new ArrayList<>(DriverSet.size());
        for (double p : o.predictors()) predictors.add(p);
        return new DriverObservationChange(c.segment(), c.multiplier(), o.id(), o.time(), (int) o.outcome(), predictors);
    }

    static ObservationChange change(DriverObservationChange r) {
        double[] p = new double[r.getPredictors().size()];
        for (int k = 0; k < p.length; k++) p[k] = r.getPredictors().get(k);
        return new ObservationChange(new DriverObservation(r.getEventId(), r.getEventTime(), r.getOutcome(), p), r.getMultiplier(),
                r.getSegment());
    }
}
