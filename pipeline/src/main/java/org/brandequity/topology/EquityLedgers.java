package org.brandequity.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.SegmentContribution;
import org.brandequity.avro.StageContribution;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.TouchpointContribution;
import org.brandequity.avro.internal.DecayedSums;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.model.Decay;
import org.brandequity.model.EquityStock;
import org.brandequity.model.ModelConfig;
import org.brandequity.model.Sums;

/** Converts between the stored {@link EquityLedger} and the model's {@link EquityStock}, and renders {@link BrandEquity}. */
public final class EquityLedgers {
    private final Decay decay;
    private final ModelConfig model;

    public EquityLedgers(ModelConfig model) {
        this.model = model;
        this.decay = new Decay(model.halfLife());
    }

    EquityStock newStock() {
        return new EquityStock(decay);
    }

    /** The brand's running total folded with one more delta; the same in any order. */
    EquityLedger merge(EquityLedger total, EquityLedger delta) {
        return toLedger(toStock(total).addAll(toStock(delta)));
    }

    EquityStock toStock(EquityLedger l) {
        Map<String, Sums> segments = new HashMap<>();
        l.getSegments().forEach((k, v) -> segments.put(k, sums(v)));
        Map<Touchpoint, Sums> touchpoints = new HashMap<>();
        l.getTouchpoints().forEach((k, v) -> touchpoints.put(Touchpoint.valueOf(k), sums(v)));
        Map<LifecycleStage, Sums> stages = new HashMap<>();
        l.getStages().forEach((k, v) -> stages.put(LifecycleStage.valueOf(k), sums(v)));
        return newStock().restore(l.getAsOf(), l.getEvents(), segments, touchpoints, stages);
    }

    EquityLedger toLedger(EquityStock s) {
        Map<String, DecayedSums> segments = new HashMap<>();
        s.segments().forEach((k, v) -> segments.put(k, decayed(v)));
        Map<String, DecayedSums> touchpoints = new HashMap<>();
        s.touchpoints().forEach((k, v) -> touchpoints.put(k.name(), decayed(v)));
        Map<String, DecayedSums> stages = new HashMap<>();
        s.stages().forEach((k, v) -> stages.put(k.name(), decayed(v)));
        return new EquityLedger(s.asOf(), s.events(), segments, touchpoints, stages);
    }

    /** The output record for a stored ledger; the query API renders the same record as the equity topic. */
    public BrandEquity toBrandEquity(String brandId, EquityLedger ledger) {
        EquityStock s = toStock(ledger);
        Sums total = s.total();
        List<SegmentContribution> segments = new ArrayList<>();
        s.segments().forEach((name, v) -> segments.add(new SegmentContribution(
                name, model.weightOfSegment(name), v.signal(), v.volume(), v.perceived())));
        List<TouchpointContribution> touchpoints = new ArrayList<>();
        s.touchpoints().forEach((tp, v) -> {
            double promise = model.touchpointPromise().get(tp);
            touchpoints.add(new TouchpointContribution(tp, v.signal(), v.volume(), v.perceived(), promise, promise - v.perceived()));
        });
        List<StageContribution> stages = new ArrayList<>();
        s.stages().forEach((st, v) -> stages.add(new StageContribution(st, v.signal(), v.volume(), v.perceived())));
        return new BrandEquity(brandId, java.time.Instant.ofEpochMilli(s.asOf()), total.signal(), total.volume(),
                EquityStock.index(total, model.indexPrior()), s.events(), segments, touchpoints, stages);
    }

    private static Sums sums(DecayedSums d) {
        return new Sums(d.getSignal(), d.getVolume());
    }

    private static DecayedSums decayed(Sums s) {
        return new DecayedSums(s.signal(), s.volume());
    }
}
