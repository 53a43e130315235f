package org.brandequity.topology;

import org.brandequity.model.DeadLetterReason;
import org.brandequity.model.Violation;

/**
 * Thrown by a processor for an event that must not be counted, or a profile that must not be
 * applied (the name predates profile validation; kept, since it names a class in the handlers' logs). The processing exception handler
 * ({@link DeadLetterProcessingHandler}) turns it into a dead letter and the task carries on: this
 * is how Kafka Streams routes a record to its dead-letter queue from inside a topology (KIP-1033,
 * KIP-1034).
 */
public final class RejectedInteractionException extends RuntimeException {
    private final DeadLetterReason reason;

    public RejectedInteractionException(Violation violation) {
        super(violation.reason() + ": " + violation.detail(), null, false, false);
        this.reason = violation.reason();
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
