package org.brandequity.topology;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.model.InteractionValidator;
import org.brandequity.model.Violation;

/** Rejects events that cannot be counted (null key, tombstone, missing field, too long, out of range, far future). */
final class ValidateInteraction implements FixedKeyProcessor<String, CustomerInteraction, CustomerInteraction> {
    private final InteractionValidator validator;
    private FixedKeyProcessorContext<String, CustomerInteraction> context;

    ValidateInteraction(InteractionValidator validator) {
        this.validator = validator;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CustomerInteraction> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, CustomerInteraction> record) {
        Violation v = validator.validate(record.key(), record.value(), context.currentSystemTimeMs());
        if (v != null) throw new RejectedInteractionException(v);
        context.forward(record);
    }
}
