package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.brandequity.model.EquityChange.Account;
import org.brandequity.model.EquityChange.Group;
import org.brandequity.model.EquityChange.StockVolume;
import org.junit.jupiter.api.Test;

class EquityChangeTest {
    private static final double EXACT = 1e-9;
    private static final long HOUR = 3_600_000L;
    private static final Decay DECAY = new Decay(Duration.ofDays(30));

    /** One counted event of a random stream: its group, equity weight c, experience x, event and arrival time. */
    private record Event(String group, double c, double x, long eventTime, long arrival) {}

    @Test
    void everyGroupsPartsEqualABatchRecomputationAndSumToTheMeasuredIndexChange() {
        SplittableRandom random = new SplittableRandom(24);
        String[] groups = {"high-value|DELIVERY|PURCHASE", "high-value|SUPPORT|SERVICE", "broad-base|AD|AWARENESS",
                "broad-base|DELIVERY|PURCHASE", "unassigned|VISIT|CONSIDERATION"};
        for (int trial = 0; trial < 500; trial++) {
            List<Event> events = new ArrayList<>();
            int n = 1 + random.nextInt(200);
            for (int i = 0; i < n; i++) {
                long eventTime = random.nextLong(0, 200 * HOUR);
                // a third arrive late, within a horizon of 48 hours
                long arrival = random.nextInt(3) == 0 ? eventTime + random.nextLong(0, 48 * HOUR) : eventTime;
                events.add(new Event(groups[random.nextInt(groups.length)], 0.5 + 3 * random.nextDouble(),
                        2 * random.nextDouble() - 1, eventTime, arrival));
            }
            // T1 and T2 on an hourly grid; T1 first published at its boundary, T2 valued as known now
            long t1 = HOUR * random.nextLong(0, 200);
            long t2 = t1 + HOUR * random.nextLong(0, 100);
            double prior = random.nextInt(4) == 0 ? 0 : 10;

            Map<String, StockVolume> published = new HashMap<>();
            Map<String, StockVolume> fresh = new HashMap<>();
            Map<String, StockVolume> restated = new HashMap<>();
            for (Event e : events) {
                if (e.eventTime() <= t1 && e.arrival() <= t1) {
                    published.merge(e.group(), valued(e, t1), StockVolume::plus);
                } else if (e.eventTime() <= t1) {
                    restated.merge(e.group(), valued(e, t2), StockVolume::plus);
                } else if (e.eventTime() <= t2) {
                    fresh.merge(e.group(), valued(e, t2), StockVolume::plus);
                }
            }
            Account account = EquityChange.of(published, fresh, restated, DECAY.factor(t1, t2), prior);

            // the measured change, straight from the events: T1 as first published, T2 as known now
            double be1 = 0, v1 = 0, be2 = 0, v2 = 0;
            for (Event e : events) {
                if (e.eventTime() <= t1 && e.arrival() <= t1) {
                    be1 += valued(e, t1).stock();
                    v1 += valued(e, t1).volume();
                }
                if (e.eventTime() <= t2) {
                    be2 += valued(e, t2).stock();
                    v2 += valued(e, t2).volume();
                }
            }
            double measured = index(be2, v2, prior) - index(be1, v1, prior);
            assertEquals(measured, account.indexChange(), EXACT, "trial " + trial);
            assertEquals(measured, account.groups().stream().mapToDouble(g -> g.total().index()).sum(), EXACT,
                    "trial " + trial + ": the groups' contributions sum to the measured change");
            assertEquals(be2 - be1, account.groups().stream().mapToDouble(g -> g.total().stock()).sum(), EXACT);
            assertEquals(v2 - v1, account.groups().stream().mapToDouble(g -> g.total().volume()).sum(), EXACT);

            // every group's parts, recomputed event by event
            for (Group g : account.groups()) {
                double newStock = 0, decayStock = 0, restatedStock = 0, newVolume = 0, decayVolume = 0, restatedVolume = 0;
                for (Event e : events) {
                    if (!e.group().equals(g.key())) continue;
                    if (e.eventTime() <= t1 && e.arrival() <= t1) {
                        decayStock += valued(e, t2).stock() - valued(e, t1).stock();
                        decayVolume += valued(e, t2).volume() - valued(e, t1).volume();
                    } else if (e.eventTime() <= t1) {
                        restatedStock += valued(e, t2).stock();
                        restatedVolume += valued(e, t2).volume();
                    } else if (e.eventTime() <= t2) {
                        newStock += valued(e, t2).stock();
                        newVolume += valued(e, t2).volume();
                    }
                }
                assertEquals(newStock, g.newExperience().stock(), EXACT, g.key());
                assertEquals(newVolume, g.newExperience().volume(), EXACT, g.key());
                assertEquals(decayStock, g.decay().stock(), EXACT, g.key());
                assertEquals(decayVolume, g.decay().volume(), EXACT, g.key());
                assertEquals(restatedStock, g.restatement().stock(), EXACT, g.key());
                assertEquals(restatedVolume, g.restatement().volume(), EXACT, g.key());
            }
        }
    }

    @Test
    void theModelPagesChangeAccountExample() throws Exception {
        double ana = 3 * 2 * 1.2;           // c of Ana's delivery, x = 1 (model.md §4's first worked example)
        double benC = 1.3;
        double benX = -5.0 / 6;
        Map<String, StockVolume> published = Map.of("ana", new StockVolume(ana, ana));
        Map<String, StockVolume> fresh = Map.of("ben", new StockVolume(benC * benX, benC));
        Map<String, StockVolume> restated = Map.of("late", new StockVolume(0.5 * 1 * 0.5, 1 * 0.5));
        Account account = EquityChange.of(published, fresh, restated, DECAY.factor(0, 30 * 24 * HOUR), 10);

        Map<String, Group> byKey = new HashMap<>();
        account.groups().forEach(g -> byKey.put(g.key(), g));
        List<Double> computed = List.of(byKey.get("ana").decay().index(), byKey.get("ben").newExperience().index(),
                byKey.get("late").restatement().index(), account.indexT1(), account.indexT2(), account.indexChange());
        assertEquals(-23.895, account.indexChange(), 1e-3);

        Path here = Path.of("docs", "model.md");
        String page = Files.readString(Files.exists(here) ? here : Path.of("..", "docs", "model.md"));
        String section = page.substring(page.indexOf("**Why it moved: the change account.**"), page.indexOf("## 5."));
        Matcher bold = Pattern.compile("\\*\\*(?:[^*=]*= )?([−-]?[\\d.]+)\\*\\*").matcher(section);
        List<String> shown = new ArrayList<>();
        while (bold.find()) shown.add(bold.group(1).replace('−', '-'));
        assertEquals(computed.size(), shown.size(), "bold numbers in docs/model.md's change account: " + shown);
        for (int i = 0; i < computed.size(); i++) {
            BigDecimal onPage = new BigDecimal(shown.get(i));
            assertEquals(onPage, BigDecimal.valueOf(computed.get(i)).setScale(onPage.scale(), RoundingMode.HALF_UP),
                    "docs/model.md's change account, bold number " + (i + 1));
        }
    }

    @Test
    void theGroupsComeLargestIndexContributionFirstAndTopFoldsTheRestIntoOtherWithTheSameSums() {
        Map<String, StockVolume> published = Map.of("a", new StockVolume(1, 2), "b", new StockVolume(-3, 4),
                "c", new StockVolume(0.5, 1), "d", new StockVolume(2, 2));
        Map<String, StockVolume> fresh = Map.of("b", new StockVolume(-4, 5), "e", new StockVolume(0.1, 0.2));
        Account all = EquityChange.of(published, fresh, Map.of(), 0.5, 10);
        for (int i = 1; i < all.groups().size(); i++) {
            assertEquals(true, Math.abs(all.groups().get(i - 1).total().index())
                    >= Math.abs(all.groups().get(i).total().index()), "sorted at " + i);
        }
        assertEquals("b", all.groups().get(0).key());

        Account top = all.top(2);
        assertEquals(3, top.groups().size());
        assertEquals(EquityChange.OTHER, top.groups().get(2).key());
        assertEquals(all.groups().stream().mapToDouble(g -> g.total().index()).sum(),
                top.groups().stream().mapToDouble(g -> g.total().index()).sum(), EXACT);
        assertEquals(all.groups().stream().mapToDouble(g -> g.decay().stock()).sum(),
                top.groups().stream().mapToDouble(g -> g.decay().stock()).sum(), EXACT);
        assertEquals(all, all.top(5), "no other line when nothing is left over");
    }

    @Test
    void aDecayFactorOutsideZeroToOneOrANegativePriorIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EquityChange.of(Map.of(), Map.of(), Map.of(), 0, 10));
        assertThrows(IllegalArgumentException.class, () -> EquityChange.of(Map.of(), Map.of(), Map.of(), 1.5, 10));
        assertThrows(IllegalArgumentException.class, () -> EquityChange.of(Map.of(), Map.of(), Map.of(), 0.5, -1));
        assertThrows(IllegalArgumentException.class, () -> EquityChange.of(Map.of(), Map.of(), Map.of(), 0.5, 10).top(-1));
    }

    private static StockVolume valued(Event e, long at) {
        double f = DECAY.factor(e.eventTime(), at);
        return new StockVolume(e.c() * e.x() * f, e.c() * f);
    }

    private static double index(double stock, double volume, double prior) {
        return volume + prior == 0 ? 0 : 100 * stock / (volume + prior);
    }
}
