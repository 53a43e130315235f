package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serializer;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.avro.internal.CustomerDriverState;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.model.drivers.CustomerDrivers;
import org.brandequity.model.drivers.DriverConfig;
import org.brandequity.model.Decay;
import org.junit.jupiter.api.Test;

/**
 * What key drivers cost in a customer's ledger (issue 26), in serialized bytes (the ledger's
 * {@code AvroBinarySerde}, as in its store and changelog): a customer who met 5 driver touchpoints
 * in 20 events within {@code late.horizon} and answered twice, with and without the key-driver part,
 * and once everything has been settled. The figures are printed for docs/benchmark.md.
 */
class CustomerLedgerDriverCostTest {
    private static final Touchpoint[] MET = {Touchpoint.DELIVERY, Touchpoint.SUPPORT_CONTACT, Touchpoint.CHECKOUT,
            Touchpoint.APP_SESSION, Touchpoint.WEBSITE_VISIT};

    @Test
    void aTypicalCustomersKeyDriversCostSevenBytesAnEventAndTheirDistinctValuesWithinTheHorizonAndSeventeenATouchpointOnceSettled() {
        try (PipelineDriver p = new PipelineDriver(Map.of("late.horizon", "7d", "dedup.horizon", "2h"))) {
            p.profile(Events.profile("c1", "high-value", 2.5));
            for (int i = 0; i < 20; i++) {
                // One event an hour (the test driver's wall clock is a day after T0), with the ids a real source sends (UUIDs).
                CustomerInteraction e = Events.interaction("c1", Events.at(Duration.ofHours(i))).setEventId(UUID.randomUUID().toString())
                        .setTouchpoint(MET[i % MET.length]).setStage(LifecycleStage.USAGE).setRating(1 + i % 5).build();
                p.send(e);
                if (i == 9 || i == 19) {
                    p.send(Events.interaction("c1", Events.at(Duration.ofHours(i).plusMinutes(30))).setEventId(UUID.randomUUID().toString())
                            .setLikelihoodToRecommend(i % 11).build());
                }
            }
            CustomerLedger ledger = p.driver.<String, CustomerLedger>getKeyValueStore(BrandEquityTopology.CUSTOMER_LEDGER_STORE).get("c1");
            Serializer<CustomerLedger> bytes = p.serdes.customerLedger().serializer();
            CustomerDriverState drivers = ledger.getDrivers();
            assertEquals(20, CustomerDriverStates.of(drivers).kept().size());
            assertEquals(2, CustomerDriverStates.of(drivers).answers().size());

            int with = bytes.serialize("t", ledger).length;
            ledger.setDrivers(null);
            int without = bytes.serialize("t", ledger).length;
            CustomerDrivers settled = CustomerDriverStates.of(drivers);
            settled.settle(Long.MAX_VALUE, new Decay(DriverConfig.DEFAULTS.halfLife()));
            ledger.setDrivers(CustomerDriverStates.state(settled));
            int settledOnly = bytes.serialize("t", ledger).length;

            System.out.printf("customer ledger bytes (5 driver touchpoints met, 20 events and 2 answers within late.horizon): "
                            + "without key drivers %d, with %d (+%d), once all settled %d (+%d)%n",
                    without, with, with - without, settledOnly, settledOnly - without);
            // The kept events (KeptExperiences): a 19-byte header, a table of their 10 distinct values
            // (5 ratings' x, 5 touchpoints' w) at 8 bytes each, and per event 3 bytes and its time
            // difference (an hour: a 4-byte varint; the first, from 0: 6), behind a length; each
            // answer: a 36-byte id, time, outcome, segment, bit set and its 5 predictors; each
            // settled driver: 1 + 8 + 8.
            int keptEvents = 19 + 10 * 8 + 20 * (3 + 4) + 2 + 2;
            assertTrue(with - without <= keptEvents + 2 * (37 + 10 + 1 + 11 + 2 + 1 + 5 * 8 + 1) + 2 * 10 + 3 + 1, "in horizon: " + (with - without));
            assertTrue(settledOnly - without <= 5 * 17 + 2 * 10 + 4, "settled: " + (settledOnly - without));
        }
    }
}
