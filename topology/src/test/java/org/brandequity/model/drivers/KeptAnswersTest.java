package org.brandequity.model.drivers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeptAnswersTest {
    private static List<CustomerDrivers.Answer> random(Random r, int n) {
        List<CustomerDrivers.Answer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] p = new double[DriverSet.size()];
            for (int k = 0; k < p.length; k++) p[k] = r.nextInt(3) == 0 ? Double.NaN : r.nextDouble() * 2 - 1;
            out.add(new CustomerDrivers.Answer("id-" + i + "-" + Long.toHexString(r.nextLong()), 1_764_000_000_000L + r.nextInt(1_000_000),
                    r.nextInt(11), i % 2 == 0 ? "high-value" : "broad-base", p));
        }
        return out;
    }

    private static KeptAnswers appended(List<CustomerDrivers.Answer> answers) {
        KeptAnswers k = KeptAnswers.EMPTY;
        for (CustomerDrivers.Answer a : answers) k = k.append(a);
        return k;
    }

    @Test
    void everyAnswerComesBackWholeInOrder() {
        List<CustomerDrivers.Answer> answers = new ArrayList<>(random(new Random(1), 50));
        double[] all = new double[DriverSet.size()];
        java.util.Arrays.fill(all, -0.0);
        all[3] = Double.MIN_VALUE;
        answers.add(new CustomerDrivers.Answer("é-ü-✓-" + "x".repeat(300), Long.MIN_VALUE, 0, "s".repeat(200), all));
        answers.add(new CustomerDrivers.Answer("", Long.MAX_VALUE, 10, "", new double[DriverSet.size()]));
        assertEquals(answers, KeptAnswers.of(answers).all());
        assertEquals(answers, KeptAnswers.of(KeptAnswers.of(answers).packed()).all());
        assertEquals(answers.size(), KeptAnswers.of(answers).count());
    }

    @Test
    void appendingOneByOneGivesTheSameBytesAsPackingAllAtOnce() {
        List<CustomerDrivers.Answer> answers = random(new Random(2), 30);
        assertArrayEquals(KeptAnswers.of(answers).packed(), appended(answers).packed());
    }

    @Test
    void theTimesAloneSayWhetherAnyAnswerIsLaterAndWhichIsOldest() {
        List<CustomerDrivers.Answer> answers = random(new Random(3), 20);
        KeptAnswers k = KeptAnswers.of(answers);
        long newest = answers.stream().mapToLong(CustomerDrivers.Answer::time).max().orElseThrow();
        long oldest = answers.stream().mapToLong(CustomerDrivers.Answer::time).min().orElseThrow();
        assertTrue(k.anyAfter(newest - 1));
        assertFalse(k.anyAfter(newest));
        assertEquals(oldest, k.oldest());
        assertEquals(Long.MAX_VALUE, KeptAnswers.EMPTY.oldest());
    }

    @Test
    void keepingTheLaterAnswersKeepsThemInOrderAndForgetsTheRest() {
        List<CustomerDrivers.Answer> answers = random(new Random(4), 40);
        KeptAnswers k = KeptAnswers.of(answers);
        long cut = answers.get(17).time();
        List<CustomerDrivers.Answer> later = answers.stream().filter(a -> a.time() > cut).toList();
        assertEquals(later, k.laterThan(cut).all());
        assertArrayEquals(KeptAnswers.of(later).packed(), k.laterThan(cut).packed());
        assertSame(k, k.laterThan(Long.MIN_VALUE), "none at or before: the same list");
    }

    @Test
    void aByteStringShorterThanItsCountIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> KeptAnswers.of(new byte[] {1}));
        assertSame(KeptAnswers.EMPTY, KeptAnswers.of(new byte[0]));
    }
}
