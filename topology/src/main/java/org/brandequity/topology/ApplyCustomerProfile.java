package org.brandequity.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.model.DeadLetterReason;
import org.brandequity.model.ProfileValidator;
import org.brandequity.model.Violation;

/**
 * Keeps the customer's profile (segment and value weight) in their ledger, where each event reads
 * it with the rest of the customer's state: a table join would cost every event a second state
 * read.
 *
 * <p>A {@code null} value (a tombstone; the profiles topic is compacted) deletes the profile, as in a
 * table: the customer's later events count in segment {@code unassigned}. A record without a key,
 * or a profile that breaks {@link ProfileValidator} (a 600,000-character segment, an over-long id,
 * a negative value weight...), is dead-lettered with its reason and not applied: the customer keeps
 * the profile they had. Both are checked before the ledger is read, so nothing of them is kept; a
 * profile is never applied in part (issue 21: an unbounded segment grew the ledger's changelog record
 * past the broker's limit and stopped the pipeline).
 */
final class ApplyCustomerProfile implements Processor<String, CustomerProfile, Void, Void> {
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
            // Dead-lettered, not logged: a producer can write any number of them.
            throw new RejectedInteractionException(new Violation(DeadLetterReason.NULL_KEY, "profile record key (customer id) is null"));
        }
        if (record.value() != null) {
            Violation v = ProfileValidator.validate(record.value());
            if (v != null) throw new RejectedInteractionException(v);
        }
        CustomerLedger ledger = ledgers.get(record.key());
        if (ledger == null) ledger = CustomerLedgers.empty();
        CustomerLedgers.applyProfile(ledger, record.value());
        ledgers.put(record.key(), CustomerLedgers.isBlank(ledger) ? null : ledger);
    }
}
