package org.brandequity.model.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.Decay;
import org.brandequity.model.drivers.KeyDriverAnalysis.Driver;
import org.brandequity.model.drivers.KeyDriverAnalysis.Result;
import org.junit.jupiter.api.Test;

/** The worked example of docs/model.md, "Key drivers": every figure in bold there is asserted here. */
class KeyDriversWorkedExampleTest {
    private static final double SHOWN = 0.00005;
    private static final double NEVER = Double.NaN;
    private static final int WEBSITE = DriverSet.indexOf(Touchpoint.WEBSITE_VISIT);
    private static final int DELIVERY = DriverSet.indexOf(Touchpoint.DELIVERY);
    private static final int SUPPORT = DriverSet.indexOf(Touchpoint.SUPPORT_CONTACT);

    /** answer, WEBSITE_VISIT, DELIVERY, SUPPORT_CONTACT, likelihoodToRecommend; all on one day. */
    private static final double[][] TABLE = {
        {0.5, 1.0, 0.5, 10},
        {0.0, 0.5, NEVER, 9},
        {0.5, -0.5, 0.0, 6},
        {-0.5, 0.0, -0.5, 5},
        {1.0, 1.0, 0.0, 9},
        {0.0, -1.0, -0.5, 3},
        {-0.5, 0.5, 0.5, 8},
        {0.5, 0.0, -1.0, 6},
        {-1.0, -0.5, 0.0, 4},
    };

    private static Result example() {
        DriverStatistics statistics = DriverStatistics.empty(new Decay(Duration.ofDays(90)));
        for (int n = 0; n < TABLE.length; n++) {
            double[] x = new double[DriverSet.size()];
            Arrays.fill(x, Double.NaN);
            x[WEBSITE] = TABLE[n][0];
            x[DELIVERY] = TABLE[n][1];
            x[SUPPORT] = TABLE[n][2];
            statistics.add(new DriverObservation("a" + (n + 1), 0, TABLE[n][3], x), 1);
        }
        double[] configured = new double[DriverSet.size()];
        configured[WEBSITE] = 0.5;
        configured[DELIVERY] = 1.2;
        configured[SUPPORT] = 1.3;
        return KeyDriverAnalysis.analyse(statistics, null, 5, configured);
    }

    @Test
    void theCorrelationsWithTheAnswerArePairwiseComplete() {
        Result r = example();
        assertEquals(0.4959, r.drivers().get(WEBSITE).correlation(), SHOWN);
        assertEquals(0.9393, r.drivers().get(DELIVERY).correlation(), SHOWN);
        assertEquals(0.6066, r.drivers().get(SUPPORT).correlation(), SHOWN);
        assertEquals(8, r.drivers().get(SUPPORT).n());
    }

    @Test
    void theRelativeWeightsSumToRSquared() {
        Result r = example();
        assertEquals(0.9452, r.rSquared(), SHOWN);
        assertEquals(0.1545, r.drivers().get(WEBSITE).relativeWeight(), SHOWN);
        assertEquals(0.5695, r.drivers().get(DELIVERY).relativeWeight(), SHOWN);
        assertEquals(0.2212, r.drivers().get(SUPPORT).relativeWeight(), SHOWN);
        assertEquals(0.6025, r.drivers().get(DELIVERY).share(), SHOWN);
    }

    @Test
    void theCoefficientsAndTheirSignificanceUseEightObservationsAndFourDegreesOfFreedom() {
        Result r = example();
        assertEquals(8, r.effectiveN(), 1e-12);
        Driver delivery = r.drivers().get(DELIVERY);
        assertEquals(0.7137, delivery.standardizedCoefficient(), SHOWN);
        assertEquals(2.5074, delivery.coefficient(), SHOWN);
        assertEquals(0.0105, delivery.pValue(), SHOWN);
        assertTrue(delivery.significant());
        assertEquals(0.1755, r.drivers().get(WEBSITE).pValue(), SHOWN);
        assertEquals(0.1353, r.drivers().get(SUPPORT).pValue(), SHOWN);
        assertFalse(r.drivers().get(WEBSITE).significant());
        assertFalse(r.drivers().get(SUPPORT).significant());
    }

    @Test
    void theRankingShowsOnlyDeliveryAndTheInsignificantDriversAsZero() {
        List<Driver> ranking = example().ranking();
        assertEquals(Touchpoint.DELIVERY, ranking.get(0).touchpoint());
        assertEquals(0.5695, ranking.get(0).rankingWeight(), SHOWN);
        assertEquals(0.0, ranking.get(1).rankingWeight());
    }

    @Test
    void theSuggestedWeightsShareTheConfiguredThreePointZeroAsTheDriversShareRSquared() {
        Result r = example();
        assertEquals(0.4904, r.drivers().get(WEBSITE).suggestedWeight(), SHOWN);
        assertEquals(1.8075, r.drivers().get(DELIVERY).suggestedWeight(), SHOWN);
        assertEquals(0.7021, r.drivers().get(SUPPORT).suggestedWeight(), SHOWN);
    }

    private static String pageExample() throws IOException {
        Path here = Path.of("docs", "model.md");
        String page = Files.readString(Files.exists(here) ? here : Path.of("..", "docs", "model.md"));
        int begin = page.indexOf("<!-- key-drivers-example begin -->");
        int end = page.indexOf("<!-- key-drivers-example end -->");
        assertTrue(begin >= 0 && end > begin, "docs/model.md has no key-drivers-example markers");
        return page.substring(begin, end);
    }

    private static List<String[]> rows(String example, String firstCell) {
        List<String[]> rows = new ArrayList<>();
        for (String line : example.split("\n")) {
            if (!line.startsWith("| " + firstCell)) continue;
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            for (int c = 0; c < cells.length; c++) cells[c] = cells[c].trim().replace('\u2212', '-');
            rows.add(cells);
        }
        return rows;
    }

    @Test
    void thePagesAnswersAreThisExample() throws IOException {
        List<String[]> rows = rows(pageExample(), "a").stream().filter(cells -> cells[0].matches("a\\d+")).toList();
        assertEquals(TABLE.length, rows.size());
        for (int n = 0; n < TABLE.length; n++) {
            String[] cells = rows.get(n);
            assertEquals("a" + (n + 1), cells[0]);
            for (int c = 0; c < 4; c++) {
                double shown = cells[c + 1].equals("\u2013") ? NEVER : Double.parseDouble(cells[c + 1]);
                assertEquals(TABLE[n][c], shown, 0, "a" + (n + 1) + " column " + (c + 1));
            }
        }
    }

    @Test
    void everyFigureInBoldOnThePageIsTheComputedOneRounded() throws IOException {
        String example = pageExample();
        Result r = example();
        Matcher r2 = Pattern.compile("\\*\\*R\u00b2 = ([\\d.]+)\\.\\*\\*").matcher(example);
        assertTrue(r2.find(), "no **R\u00b2 = n.** in the example");
        assertShown(r2.group(1), r.rSquared(), "R\u00b2");
        List<ToDoubleFunction<Driver>> columns = List.of(
                d -> d.n(), Driver::correlation, Driver::relativeWeight, Driver::share, Driver::standardizedCoefficient,
                Driver::coefficient, Driver::pValue, Driver::rankingWeight, Driver::configuredWeight, Driver::suggestedWeight);
        int bold = 0;
        for (String name : List.of("WEBSITE_VISIT", "DELIVERY", "SUPPORT_CONTACT")) {
            List<String[]> rows = rows(example, name);
            assertEquals(1, rows.size(), name);
            Driver driver = r.drivers().get(DriverSet.indexOf(Touchpoint.valueOf(name)));
            for (int c = 0; c < columns.size(); c++) {
                String cell = rows.get(0)[c + 1];
                if (!cell.startsWith("**")) continue;
                assertShown(cell.replace("**", ""), columns.get(c).applyAsDouble(driver), name + " column " + (c + 1));
                bold++;
            }
        }
        assertEquals(24, bold, "bold figures in the drivers' table");
    }

    /** A number as the page shows it equals the computed one rounded to as many decimals. */
    private static void assertShown(String shown, double computed, String what) {
        BigDecimal onPage = new BigDecimal(shown);
        assertEquals(onPage, BigDecimal.valueOf(computed).setScale(onPage.scale(), RoundingMode.HALF_UP), "docs/model.md's " + what);
    }
}
