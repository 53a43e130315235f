package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueStore;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.model.CustomerStock;
import org.brandequity.topology.ReferenceModel.Fate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random streams, out of order, late (up to two days behind stream time, with the 7-day horizon),
 * with re-sent copies and a few events beyond the horizon, through the topology: every customer's
 * equity in their ledger (stock, volume, index, event count, asOf) equals the batch recomputation
 * ({@link CustomerEquityBatch}) over the events the reference model ({@link ReferenceModel}) counts.
 * Three days of event time with a half-life of one day: no customer's volume gets near the pruning
 * epsilon, so no equity is dropped (asserted through the event counts).
 */
class CustomerEquityReferenceTest {
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final double TOLERANCE = 1e-9;

    @ParameterizedTest(name = "seed {0}, {1} customers, {2} events")
    @CsvSource({"7, 40, 1500", "19, 120, 2500"})
    void everyCustomersEquityEqualsABatchRecomputation(long seed, int customers, int events) {
        Map<String, String> config = Map.of(
                "window.size", "1h", "window.advance", "30m", "window.grace", "10m", "dedup.horizon", "2h",
                "late.horizon", "7d", "event.max.future.skew", "7d", "model.equity.half.life", "1d", "model.customer.index.prior", "1.5",
                "closedloop.segments", "high-value,mid-market");
        try (PipelineDriver p = new PipelineDriver(config)) {
            ReferenceModel ref = new ReferenceModel(p.config);
            Random random = new Random(seed);
            List<String> segments = List.of("broad-base", "high-value", "mid-market");
            for (int c = 0; c < customers; c++) {
                if (c % 4 != 3) {
                    var profile = Events.profile("c" + c, segments.get(c % 3), 0.5 + c % 5);
                    p.profile(profile);
                    ref.profile(profile);
                }
            }
            List<CustomerInteraction> sent = new ArrayList<>();
            int late = 0, copies = 0, tooLate = 0;
            long clock = Events.T0.toEpochMilli();
            for (int i = 0; i < events; i++) {
                clock += random.nextInt((int) (2 * 3 * DAY / events));
                double roll = random.nextDouble();
                CustomerInteraction e;
                if (roll < 0.08 && !sent.isEmpty()) {
                    e = sent.get(random.nextInt(sent.size())); // a re-sent copy
                } else {
                    long t = clock;
                    if (roll < 0.25) t = clock - (long) (random.nextDouble() * 2 * DAY);    // late
                    else if (roll < 0.35) t = clock - random.nextInt((int) (10 * MINUTE)); // within grace
                    else if (roll < 0.36) t = clock - 8 * DAY;                              // beyond the horizon
                    e = event(random, "c" + random.nextInt(customers), t);
                    sent.add(e);
                }
                if (ref.behindGrace(e.getEventTime().toEpochMilli())) late++;
                p.send(e);
                Fate fate = ref.interaction(e);
                if (fate == Fate.DUPLICATE) copies++;
                if (fate == Fate.TOO_LATE) tooLate++;
            }

            Map<String, CustomerEquityBatch.Equity> expected = CustomerEquityBatch.of(ref.counted(),
                    p.config.model().halfLife().toMillis(), p.config.closedLoop().customerIndexPrior());
            KeyValueStore<String, CustomerLedger> ledgers = p.driver.getKeyValueStore(BrandEquityTopology.CUSTOMER_LEDGER_STORE);
            Map<String, String> mismatches = new TreeMap<>();
            for (Map.Entry<String, CustomerEquityBatch.Equity> x : expected.entrySet()) {
                CustomerStock actual = CustomerClosedLoop.stock(ledgers.get(x.getKey()));
                CustomerEquityBatch.Equity e = x.getValue();
                double index = actual.index(p.config.closedLoop().customerIndexPrior());
                if (actual.asOf() != e.asOf() || actual.events() != e.events() || Math.abs(actual.signal() - e.stock()) > TOLERANCE
                        || Math.abs(actual.volume() - e.volume()) > TOLERANCE || Math.abs(index - e.index()) > TOLERANCE) {
                    mismatches.put(x.getKey(), "expected " + e + ", got " + actual + " index " + index);
                }
            }
            System.out.printf("customer equity reference, seed %d: %d customers, %d counted, %d late, %d copies, %d too late%n",
                    seed, expected.size(), ref.counted().size(), late, copies, tooLate);
            assertEquals(Map.of(), mismatches);
            assertEquals(customers, expected.size(), "every customer had counted events");
            assertTrue(late > events / 10 && copies > 0 && tooLate > 0, "the stream exercised late events, copies and the horizon");
        }
    }

    private static CustomerInteraction event(Random random, String customer, long t) {
        Touchpoint[] touchpoints = Touchpoint.values();
        LifecycleStage[] stages = LifecycleStage.values();
        CustomerInteraction.Builder b = Events.interaction(customer, Instant.ofEpochMilli(t))
                .setTouchpoint(touchpoints[random.nextInt(touchpoints.length)])
                .setStage(stages[random.nextInt(stages.length)]);
        switch (random.nextInt(5)) {
            case 0 -> b.setRating(1 + random.nextInt(5));
            case 1 -> b.setLikelihoodToRecommend(random.nextInt(11));
            case 2 -> b.setEffort(1 + random.nextInt(7)).setOutcome(random.nextBoolean() ? Outcome.FAILURE : Outcome.SUCCESS);
            case 3 -> b.setSentiment(random.nextDouble() * 2 - 1);
            default -> { } // no signal: the touchpoint's prior
        }
        return b.build();
    }
}
