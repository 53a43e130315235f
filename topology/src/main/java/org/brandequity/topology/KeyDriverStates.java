package org.brandequity.topology;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.brandequity.avro.KeyDriver;
import org.brandequity.avro.KeyDriverStatus;
import org.brandequity.avro.KeyDrivers;
import org.brandequity.avro.internal.DriverObservationChange;
import org.brandequity.avro.internal.KeyDriverState;
import org.brandequity.model.Decay;
import org.brandequity.model.drivers.Bootstrap;
import org.brandequity.model.drivers.DriverObservation;
import org.brandequity.model.drivers.DriverStatistics;
import org.brandequity.model.drivers.KeyDriverAnalysis;

/**
 * Between the model's key-driver statistics ({@link DriverStatistics}, {@link Bootstrap}) and their
 * stored form ({@link KeyDriverState}), and from an analysis to the public {@link KeyDrivers}.
 */
public final class KeyDriverStates {
    /** The statistics' and bootstrap's store key of the whole brand: no segment is empty (ProfileValidator). */
    public static final String BRAND_KEY = "";

    private final Decay decay;
    private final int replicates;

    public KeyDriverStates(Decay decay, int replicates) {
        this.decay = decay;
        this.replicates = replicates;
    }

    /** Statistics and bootstrap of one segment, folded together. */
    public record Held(DriverStatistics statistics, Bootstrap bootstrap) {
        public void add(DriverObservation o, double multiplier) {
            statistics.add(o, multiplier);
            bootstrap.add(o, multiplier);
        }
    }

    public Held empty() {
        return new Held(DriverStatistics.empty(decay), Bootstrap.empty(decay, replicates));
    }

    /** The held statistics, or empty ones when none are stored (or the replicates' count changed: they start again). */
    public Held read(KeyDriverState s) {
        if (s == null || s.getReplicates() != replicates) return empty();
        return new Held(DriverStatistics.fromArray(decay, s.getAsOf(), doubles(s.getStatistics())),
                Bootstrap.fromArray(decay, s.getReplicates(), s.getAsOf(), doubles(s.getBootstrap())));
    }

    public KeyDriverState write(Held h) {
        return new KeyDriverState(h.statistics().asOf(), bytes(h.statistics().toArray()), h.bootstrap().replicates(),
                bytes(h.bootstrap().toArray()));
    }

    public static DriverObservation observation(DriverObservationChange c) {
        List<Double> p = c.getPredictors();
        double[] x = new double[p.size()];
        for (int i = 0; i < x.length; i++) x[i] = p.get(i);
        return new DriverObservation(c.getEventId(), c.getEventTime(), c.getOutcome(), x);
    }

    /** The public record of an analysis; {@code segment} null for the brand. */
    public static KeyDrivers toPublic(String brandId, String segment, long asOf, KeyDriverAnalysis.Result r) {
        List<KeyDriver> drivers = new ArrayList<>();
        if (r.enoughData()) {
            for (KeyDriverAnalysis.Driver d : r.drivers()) {
                if (d.status() != KeyDriverAnalysis.Status.IN) continue;
                drivers.add(new KeyDriver(d.touchpoint(), d.relativeWeight(), d.share(), d.low(), d.high(), d.coefficient(),
                        d.standardizedCoefficient(), d.pValue(), d.significant(), d.n(), d.configuredWeight(), d.suggestedWeight()));
            }
            drivers.sort((a, b) -> Double.compare(b.getRelativeWeight(), a.getRelativeWeight()));
        }
        return new KeyDrivers(brandId, segment, Instant.ofEpochMilli(asOf), r.n(), r.replicates(),
                r.enoughData() ? KeyDriverStatus.OK : KeyDriverStatus.NOT_ENOUGH_DATA,
                r.enoughData() ? r.rSquared() : null, r.enoughData() ? r.effectiveN() : null, drivers);
    }

    private static double[] doubles(ByteBuffer b) {
        ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[le.remaining() / Double.BYTES];
        le.asDoubleBuffer().get(out);
        return out;
    }

    private static ByteBuffer bytes(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return b;
    }
}
