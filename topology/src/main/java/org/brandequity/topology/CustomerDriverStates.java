package org.brandequity.topology;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.brandequity.avro.internal.CustomerDriverState;
import org.brandequity.avro.internal.DriverObservationChange;
import org.brandequity.model.drivers.CustomerDrivers;
import org.brandequity.model.drivers.DriverObservation;
import org.brandequity.model.drivers.DriverSet;
import org.brandequity.model.drivers.ObservationChange;

/**
 * The customer ledger's key-driver part ({@link CustomerDriverState}) to and from the model's
 * {@link CustomerDrivers}, and observation changes to their repartition record. Every list in it is
 * one byte string, so that the ledger's read and write, on every event, decode and encode no object
 * per driver, event or answer: the settled pairs of the drivers met (17 bytes each, below), the kept
 * events as {@link CustomerDrivers#packedKept()} and the answers as
 * {@link CustomerDrivers#packedAnswers()} lay them out.
 */
final class CustomerDriverStates {
    /** A settled pair: the driver's index (1 byte), S_k and W_k (IEEE 754 doubles, big-endian). */
    private static final int SETTLED_BYTES = 1 + 8 + 8;

    private CustomerDriverStates() {}

    static CustomerDrivers of(CustomerDriverState s) {
        if (s == null) return CustomerDrivers.empty();
        int n = DriverSet.size();
        double[] signal = new double[n];
        double[] volume = new double[n];
        ByteBuffer settled = s.getSettled().duplicate();
        if (settled.remaining() % SETTLED_BYTES != 0) throw new IllegalArgumentException("settled pairs are " + SETTLED_BYTES + " bytes each");
        while (settled.hasRemaining()) {
            int k = settled.get();
            signal[k] = settled.getDouble();
            volume[k] = settled.getDouble();
        }
        return new CustomerDrivers(s.getSettledBefore(), s.getAsOf(), signal, volume, bytes(s.getKept()), bytes(s.getAnswers()));
    }

    /** The state to keep, or null when there is none. */
    static CustomerDriverState state(CustomerDrivers d) {
        if (d.isEmpty()) return null;
        int met = 0;
        for (int k = 0; k < DriverSet.size(); k++) if (d.volume(k) != 0 || d.signal(k) != 0) met++;
        ByteBuffer settled = ByteBuffer.allocate(met * SETTLED_BYTES);
        for (int k = 0; k < DriverSet.size(); k++) {
            if (d.volume(k) != 0 || d.signal(k) != 0) settled.put((byte) k).putDouble(d.signal(k)).putDouble(d.volume(k));
        }
        return new CustomerDriverState(d.settledBefore(), d.asOf(), settled.flip(), d.packedKept(), d.packedAnswers());
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
