package org.brandequity.model;

/** A reason an event is rejected, with a human-readable detail for the dead-letter header. */
public record Violation(DeadLetterReason reason, String detail) {}
