package org.brandequity.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.internal.CustomerLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the customer's profile (segment and value weight) in their ledger, where each event reads
 * it with the rest of the customer's state: a table join would cost every event a second state
 * read. A {@code null} value deletes the profile, as in a table; a record without a key is skipped,
 * as a table source skips it.
 */
final class ApplyCustomerProfile implements Processor<String, CustomerProfile, Void, Void> {
    private static final Logger log = LoggerFactory.getLogger(ApplyCustomerProfile.class);

    private final String ledgerStoreName;
    private KeyValueStore<String, CustomerLedger> ledgers;

    ApplyCustomerProfile(String ledgerStoreName) {
        this.ledgerStoreName = ledgerStoreName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.ledgers = context.getStateStore(ledgerStoreName);
    }

    @Override
    public void process(Record<String, CustomerProfile> record) {
        if (record.key() == null) {
            log.warn("Skipping a customer profile without a key");
            return;
        }
        CustomerLedger ledger = ledgers.get(record.key());
        if (ledger == null) ledger = CustomerLedgers.empty();
        CustomerLedgers.applyProfile(ledger, record.value());
        ledgers.put(record.key(), CustomerLedgers.isBlank(ledger) ? null : ledger);
    }
}
