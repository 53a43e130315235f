package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.Touchpoint;
import org.junit.jupiter.api.Test;

class EquityStockTest {
    private static final long DAY = Duration.ofDays(1).toMillis();

    static ModelConfig defaults() {
        return org.brandequity.config.PipelineConfig.defaults().model();
    }

    /** docs/model.md §4's worked example, computed by the model; the page's bold totals are checked too. */
    @Test
    void theModelPagesWorkedExample() throws Exception {
        ModelConfig config = defaults();
        ScoringModel scoring = new ScoringModel(config);
        EquityStock stock = new EquityStock(new Decay(config.halfLife()));

        CustomerInteraction ana = event("ana", 0, Touchpoint.DELIVERY, LifecycleStage.PURCHASE).setRating(5).build();
        CustomerInteraction ben = event("ben", 30 * DAY, Touchpoint.SUPPORT_CONTACT, LifecycleStage.SERVICE)
                .setEffort(2).setOutcome(Outcome.FAILURE).build();
        ExperienceSignal a = scoring.score(ana);
        ExperienceSignal b = scoring.score(ben);
        double ca = EquityStock.equityWeight(config.weightOfSegment("high-value"), 2.0, a.weight());
        double cb = EquityStock.equityWeight(config.weightOfSegment("broad-base"), 1.0, b.weight());
        stock.add("high-value", Touchpoint.DELIVERY, LifecycleStage.PURCHASE, 0, Sums.of(a.value(), ca), 1);
        stock.add("broad-base", Touchpoint.SUPPORT_CONTACT, LifecycleStage.SERVICE, 30 * DAY, Sums.of(b.value(), cb), 1);

        assertEquals(1.0, a.value(), 1e-12);
        assertEquals(7.2, ca, 1e-12);
        assertEquals(-0.8333, b.value(), 1e-4);
        assertEquals(1.3, cb, 1e-12);
        Sums total = stock.total();
        assertEquals(2.5167, total.signal(), 1e-4);
        assertEquals(4.9, total.volume(), 1e-12);
        assertEquals(16.89, EquityStock.index(total, config.indexPrior()), 1e-2);
        assertEquals(3.6, stock.segments().get("high-value").signal(), 1e-12);
        assertEquals(-1.0833, stock.segments().get("broad-base").signal(), 1e-4);
        assertEquals(-0.2, 0.8 - stock.touchpoints().get(Touchpoint.DELIVERY).perceived(), 1e-12);
        assertEquals(1.4333, 0.6 - stock.touchpoints().get(Touchpoint.SUPPORT_CONTACT).perceived(), 1e-4);

        Path here = Path.of("docs", "model.md");
        String page = Files.readString(Files.exists(here) ? here : Path.of("..", "docs", "model.md"));
        Matcher day30 = Pattern.compile("\\*\\*BE = [^*]*= (-?[\\d.]+)\\*\\*, V = ([\\d.]+), \\*\\*index = [^*]*= (-?[\\d.]+)\\*\\*").matcher(page);
        assertTrue(day30.find(), "docs/model.md §4 has no '**BE = ... = n**, V = n, **index = ... = n**' line");
        assertShown(day30.group(1), total.signal(), "BE");
        assertShown(day30.group(2), total.volume(), "V");
        assertShown(day30.group(3), EquityStock.index(total, config.indexPrior()), "index");
    }

    /** A number as the page shows it equals the computed one rounded to as many decimals. */
    private static void assertShown(String shown, double computed, String what) {
        BigDecimal onPage = new BigDecimal(shown);
        assertEquals(onPage, BigDecimal.valueOf(computed).setScale(onPage.scale(), RoundingMode.HALF_UP), "docs/model.md's " + what);
    }

    @Test
    void mergingStocksGivesTheSameResultInEitherOrder() {
        Decay decay = new Decay(Duration.ofHours(1));
        EquityStock early = new EquityStock(decay).add("s", Touchpoint.AD, LifecycleStage.AWARENESS, 1_000, Sums.of(0.5, 2), 1);
        EquityStock late = new EquityStock(decay).add("t", Touchpoint.REVIEW, LifecycleStage.LOYALTY, 7_200_000, Sums.of(-1, 1), 1);

        Sums ab = new EquityStock(decay).addAll(early).addAll(late).total();
        Sums ba = new EquityStock(decay).addAll(late).addAll(early).total();
        assertEquals(ab.signal(), ba.signal(), 1e-12);
        assertEquals(ab.volume(), ba.volume(), 1e-12);
        assertEquals(0.5 * 2 * Math.pow(2, -(7_200_000 - 1_000) / 3_600_000.0) - 1, ab.signal(), 1e-12);
    }

    @Test
    void aCellKeyReadsBackToItsCellEvenWhenTheSegmentNameHoldsTheSeparator() {
        EquityStock.Cell cell = new EquityStock.Cell("retail|eu|", Touchpoint.SUPPORT_CONTACT, LifecycleStage.SERVICE);

        assertEquals("retail|eu||SUPPORT_CONTACT|SERVICE", cell.key());
        assertEquals(cell, EquityStock.Cell.parse(cell.key()));
    }

    @Test
    void twoEventsOfOneCellKeepOneCell() {
        EquityStock s = new EquityStock(new Decay(Duration.ofHours(1)))
                .add("s", Touchpoint.AD, LifecycleStage.AWARENESS, 0, Sums.of(1, 2), 1)
                .add("s", Touchpoint.AD, LifecycleStage.AWARENESS, 3_600_000, Sums.of(-1, 1), 1);

        assertEquals(1, s.cells().size());
        // 2·1·2^-1 - 1 = 0 and 2·2^-1 + 1 = 2, valued at the newer event.
        Sums cell = s.cells().get(new EquityStock.Cell("s", Touchpoint.AD, LifecycleStage.AWARENESS));
        assertEquals(0, cell.signal(), 1e-12);
        assertEquals(2, cell.volume(), 1e-12);
    }

    @Test
    void decayNeverMovesBackInTime() {
        EquityStock s = new EquityStock(new Decay(Duration.ofHours(1))).add("s", Touchpoint.AD, LifecycleStage.AWARENESS, 10_000, Sums.of(1, 1), 1);
        s.decayTo(5_000);
        assertEquals(10_000, s.asOf());
        assertEquals(1.0, s.total().signal(), 1e-12);
    }

    @Test
    void netExperienceMarginOfErrorShrinksWithTheSample() {
        NetExperience small = NetExperience.of(5, 2, 10);
        NetExperience large = NetExperience.of(500, 200, 1000);
        assertEquals(30.0, small.score(), 1e-12);
        assertEquals(30.0, large.score(), 1e-12);
        assertEquals(1.96 * 100 * Math.sqrt((0.7 - 0.09) / 10), small.marginOfError(), 1e-12);
        assertEquals(small.marginOfError() / 10, large.marginOfError(), 1e-12);
    }

    private static CustomerInteraction.Builder event(String customer, long t, Touchpoint tp, LifecycleStage stage) {
        return CustomerInteraction.newBuilder().setEventId(customer + t).setCustomerId(customer)
                .setEventTime(Instant.ofEpochMilli(t + 1)).setTouchpoint(tp).setStage(stage);
    }
}
