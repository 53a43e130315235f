package org.brandequity.model;

/**
 * Why a record could not be counted. Written to the dead-letter topic's {@code brandequity.dlq.reason}
 * header; the names are part of the contract (dashboards and alert rules group by them).
 */
public enum DeadLetterReason {
    /** The bytes are not Avro in the Confluent wire format, or are truncated. */
    UNDECODABLE,
    /** The first byte is not the wire format's magic byte 0. */
    BAD_MAGIC_BYTE,
    /** The registry does not know the schema id in the record. */
    UNKNOWN_SCHEMA_ID,
    /** A required field is absent from the writer's schema or empty. */
    MISSING_FIELD,
    /** A signal or amount lies outside its scale. */
    OUT_OF_RANGE,
    /** The record has no key; keys (customer ids) decide partitioning and state. */
    NULL_KEY,
    /** The customer id contains a NUL character, which state-store keys reserve as a separator. */
    INVALID_ID,
    /** The record key is not the event's customer id, which would put state on the wrong partition. */
    KEY_MISMATCH,
    /** The event time is further in the future than the allowed clock skew. */
    FUTURE_EVENT_TIME,
    /** The event arrived more than the grace period behind stream time; its windows are closed. */
    TOO_LATE,
    /** A string is longer than its bound in {@link FieldLimits}. */
    TOO_LONG,
    /**
     * The record has a key and no value (a tombstone) on the interactions topic, where every record
     * must be an event. (On the compacted profiles topic a tombstone deletes the customer's profile.)
     */
    TOMBSTONE,
    /**
     * The value is larger than an input record may be (64 KiB, far above any legitimate record) and was
     * not decoded; the dead letter keeps only a prefix of it, with its size and SHA-256 digest.
     */
    OVERSIZED,
    /**
     * An output, repartition or dead-letter record that processing this input produced was refused for
     * good (larger than the topic's {@code max.message.bytes}, or not serializable); the input was
     * processed and its state kept, that one record is lost. Never for a changelog record: that fails
     * the task (see {@code DeadLetterProductionHandler}).
     */
    OUTPUT_REFUSED,
    /**
     * The customer's ledger already remembers the most event ids it may (2,000 within dedup.horizon):
     * a flood of distinct ids for one customer, which would grow the ledger's changelog record past
     * the broker's limit. Dropped, counted nowhere.
     */
    TOO_MANY_EVENTS
    // No reason for "anything else a processor failed on": such a failure fails the task, so that
    // exactly-once rolls the event back instead of committing it half-applied (DeadLetterProcessingHandler).
}
