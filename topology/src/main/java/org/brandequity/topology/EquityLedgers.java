package org.brandequity.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.EquityCell;
import org.brandequity.avro.SegmentContribution;
import org.brandequity.avro.SegmentStageExperience;
import org.brandequity.avro.SegmentTouchpointExperience;
import org.brandequity.avro.StageContribution;
import org.brandequity.avro.TouchpointContribution;
import org.brandequity.avro.internal.DecayedSums;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.model.Decay;
import org.brandequity.model.EquityStock;
import org.brandequity.model.EquityStock.Cell;
import org.brandequity.model.ModelConfig;
import org.brandequity.model.Sums;

/**
 * Converts between the stored {@link EquityLedger} (one pair of decayed sums per cell, keyed
 * {@code segment|TOUCHPOINT|STAGE}, {@link Cell#key()}) and the model's {@link EquityStock}, and renders
 * {@link BrandEquity}: its segment, touchpoint, stage, segment &times; touchpoint and segment &times;
 * stage lists and its total are all sums of the same cells ({@link EquityStock}).
 */
public final class EquityLedgers {
    private final Decay decay;
    private final ModelConfig model;
    private final EquityStock.SegmentCap cap;

    /**
     * @param maxSegments {@code equity.max.segments}: segments beyond it fold into
     *     {@value EquityStock#OVERFLOW_SEGMENT} ({@link EquityStock.SegmentCap}); those with a
     *     configured weight and {@code unassigned} are exempt
     */
    public EquityLedgers(ModelConfig model, int maxSegments) {
        this.model = model;
        this.decay = new Decay(model.halfLife());
        this.cap = segmentCap(model, maxSegments);
    }

    /** The cap of {@code equity.max.segments}: the segments with a configured weight and {@code unassigned} are exempt. */
    public static EquityStock.SegmentCap segmentCap(ModelConfig model, int maxSegments) {
        java.util.Set<String> uncapped = new java.util.HashSet<>(model.segmentWeight().keySet());
        uncapped.add(BrandEquityTopology.UNASSIGNED_SEGMENT);
        return new EquityStock.SegmentCap(maxSegments, uncapped);
    }

    EquityStock newStock() {
        return new EquityStock(decay, cap);
    }

    /** The brand's running total folded with one more delta; the same in any order. */
    EquityLedger merge(EquityLedger total, EquityLedger delta) {
        return toLedger(toStock(total).addAll(toStock(delta)));
    }

    EquityStock toStock(EquityLedger l) {
        Map<Cell, Sums> cells = new HashMap<>();
        l.getCells().forEach((k, v) -> cells.put(Cell.parse(k), new Sums(v.getSignal(), v.getVolume())));
        return newStock().restore(l.getAsOf(), l.getEvents(), cells);
    }

    EquityLedger toLedger(EquityStock s) {
        Map<String, DecayedSums> cells = new HashMap<>();
        s.cells().forEach((k, v) -> cells.put(k.key(), new DecayedSums(v.signal(), v.volume())));
        return new EquityLedger(s.asOf(), s.events(), cells);
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
            touchpoints.add(new TouchpointContribution(tp, v.signal(), v.volume(), v.perceived(), promise, EquityStock.promiseGap(promise, v)));
        });
        List<StageContribution> stages = new ArrayList<>();
        s.stages().forEach((st, v) -> stages.add(new StageContribution(st, v.signal(), v.volume(), v.perceived())));
        List<EquityCell> cells = new ArrayList<>();
        s.cells().forEach((c, v) -> cells.add(new EquityCell(c.segment(), c.touchpoint(), c.stage(), v.signal(), v.volume())));
        List<SegmentTouchpointExperience> segmentTouchpoints = new ArrayList<>();
        s.segmentTouchpoints().forEach((k, v) -> {
            double promise = model.touchpointPromise().get(k.touchpoint());
            segmentTouchpoints.add(new SegmentTouchpointExperience(k.segment(), k.touchpoint(), v.signal(), v.volume(),
                    v.perceived(), promise, EquityStock.promiseGap(promise, v)));
        });
        List<SegmentStageExperience> segmentStages = new ArrayList<>();
        s.segmentStages().forEach((k, v) -> {
            Double promise = model.promiseOfStage(k.stage());
            segmentStages.add(new SegmentStageExperience(k.segment(), k.stage(), v.signal(), v.volume(), v.perceived(),
                    promise, promise == null ? null : EquityStock.promiseGap(promise, v)));
        });
        return new BrandEquity(brandId, java.time.Instant.ofEpochMilli(s.asOf()), total.signal(), total.volume(),
                EquityStock.index(total, model.indexPrior()), s.events(), segments, touchpoints, stages,
                cells, segmentTouchpoints, segmentStages);
    }
}
