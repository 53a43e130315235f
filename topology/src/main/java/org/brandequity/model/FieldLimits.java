package org.brandequity.model;

import java.util.List;

/**
 * The bound on every value a record can carry, in one place. Every door checks them: the HTTP
 * ingestion service and the file import answer a breach with a problem naming the field (400 or a
 * rejected row), and the pipeline checks them again for records that producers write to the topics
 * directly, dead-lettering a breach with {@link DeadLetterReason#TOO_LONG}. docs/security.md's
 * "Hostile input" limits table is generated from {@link #ALL} (its test fails when they differ).
 *
 * <p>Why bounds at all: each string ends up in state. A customer id is a state-store key and the
 * key of every output record; a segment name is a key of the equity record's cells, of the segment
 * windows and of metric labels; an unbounded one lets one request grow a changelog record past the
 * broker's {@code max.message.bytes} and stop the pipeline (issue 21). Ids are bounded in UTF-8
 * bytes, since they are keys on the wire; names a person types are bounded in characters (UTF-16
 * code units, Java's {@code String.length()}, which is never less than the code points).
 */
public final class FieldLimits {
    /** How a limit is counted. */
    public enum Unit {
        UTF8_BYTES("UTF-8 bytes"), CHARACTERS("characters"), COUNT("");

        private final String label;

        Unit(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One bound: what it applies to, its maximum, how it is counted, and why it is that size. */
    public record Limit(String field, int max, Unit unit, String why) {}

    /** Event ids and customer ids: state-store keys and record keys. */
    public static final int ID_MAX_BYTES = 256;
    /**
     * Segment names: keys of equity cells, segment windows and metric labels. In bytes, since a
     * name is written once per equity cell (152 touchpoint x stage pairs) and per two-way view: with
     * {@code equity.max.segments} at its default, the worst-case equity record must stay under the
     * brokers' 1 MiB ({@code WorstCaseRecordSizeTest}).
     */
    public static final int SEGMENT_MAX_BYTES = 64;
    /** A profile's tier (e.g. gold, platinum). */
    public static final int TIER_MAX_CHARS = 64;
    /** An interaction's channel (web, app, store, phone...). */
    public static final int CHANNEL_MAX_CHARS = 64;
    /** spend.currency: ISO 4217 codes have 3 letters; room for codes a source system adds. */
    public static final int CURRENCY_MAX_CHARS = 16;
    /**
     * A number written as text (JSON numbers, CSV cells, times as epoch numbers): parsing a long
     * digit string costs time quadratic in its length, so it is refused before it is parsed.
     * 32 characters hold every long and every double's shortest form.
     */
    public static final int NUMERIC_TEXT_MAX_CHARS = 32;
    /**
     * A time written as text (ISO-8601, or an import's own pattern): the longest ISO-8601 instant,
     * with nanoseconds and an offset in seconds, has 38 characters; room for a spelt-out pattern.
     */
    public static final int TIME_TEXT_MAX_CHARS = 64;
    /**
     * Any one JSON string or CSV cell, and any JSON field name. Four times the longest bounded
     * field (ids, 256 bytes), so that a string a little over its bound still reaches the
     * validators and gets their exact answer; beyond this the parser stops reading it (Jackson's
     * {@code StreamReadConstraints}) before it holds a copy of a hostile string.
     */
    public static final int STRING_MAX_CHARS = 1024;
    /** Nesting of JSON arrays and objects; the contracts need 3 (array, item, spend). */
    public static final int NESTING_MAX_DEPTH = 16;
    /**
     * One line of an imported NDJSON file, or the fields of one CSV row (header included): a
     * row longer than this is a rejected row, read no further. Room for a wide survey export.
     */
    public static final int ROW_MAX_CHARS = 1 << 20;
    /** Columns of an imported CSV file's header (and so cells of any row). */
    public static final int CSV_COLUMNS_MAX = 4096;
    /** Fields in one JSON object of a request body; the contracts have at most 12. */
    public static final int FIELDS_PER_OBJECT_MAX = 64;
    /** Problems listed in one 400 answer or rejected row; the rest are counted, not listed. */
    public static final int PROBLEMS_LISTED_MAX = 100;

    /** Every limit, in the order docs/security.md lists them. */
    public static final List<Limit> ALL = List.of(
            new Limit("eventId", ID_MAX_BYTES, Unit.UTF8_BYTES, "state-store key (deduplication) and record key"),
            new Limit("customerId", ID_MAX_BYTES, Unit.UTF8_BYTES, "state-store key (the customer ledger) and record key"),
            new Limit("segment", SEGMENT_MAX_BYTES, Unit.UTF8_BYTES, "key of equity cells, segment windows and metric labels; written once per equity cell"),
            new Limit("tier", TIER_MAX_CHARS, Unit.CHARACTERS, "kept in the customer ledger"),
            new Limit("channel", CHANNEL_MAX_CHARS, Unit.CHARACTERS, "carried to consumers"),
            new Limit("spend.currency", CURRENCY_MAX_CHARS, Unit.CHARACTERS, "carried to consumers"),
            new Limit("numeric text (JSON number, CSV cell)", NUMERIC_TEXT_MAX_CHARS, Unit.CHARACTERS,
                    "parsing long digit strings costs quadratic time"),
            new Limit("time text (ISO-8601, import pattern)", TIME_TEXT_MAX_CHARS, Unit.CHARACTERS,
                    "the longest ISO-8601 instant has 38; refused before it is parsed"),
            new Limit("any JSON string or name, CSV cell", STRING_MAX_CHARS, Unit.CHARACTERS,
                    "the parser stops before it holds a copy of a longer one"),
            new Limit("JSON nesting depth", NESTING_MAX_DEPTH, Unit.COUNT, "the contracts need 3"),
            new Limit("imported row (NDJSON line, CSV row)", ROW_MAX_CHARS, Unit.CHARACTERS, "read no further: a rejected row"),
            new Limit("imported CSV columns", CSV_COLUMNS_MAX, Unit.COUNT, "cells of any one row"),
            new Limit("fields per JSON object", FIELDS_PER_OBJECT_MAX, Unit.COUNT, "the contracts have at most 12"),
            new Limit("problems listed per answer", PROBLEMS_LISTED_MAX, Unit.COUNT, "the rest are counted"));

    private FieldLimits() {}

    /**
     * A {@link DeadLetterReason#TOO_LONG} violation when {@code value} is longer than
     * {@code maxBytes} in UTF-8, otherwise null (also for null). Counts without encoding.
     */
    public static Violation checkBytes(String field, String value, int maxBytes) {
        if (value == null || value.length() <= maxBytes / 3) return null; // 3 bytes per UTF-16 unit at most
        long bytes = utf8Length(value, maxBytes);
        return bytes <= maxBytes ? null : tooLong(field, "is longer than " + maxBytes + " UTF-8 bytes");
    }

    /** A {@link DeadLetterReason#TOO_LONG} violation when {@code value} has more than {@code maxChars} characters, otherwise null. */
    public static Violation checkChars(String field, String value, int maxChars) {
        if (value == null || value.length() <= maxChars) return null;
        return tooLong(field, "is longer than " + maxChars + " characters (" + value.length() + ")");
    }

    /**
     * The UTF-8 length of {@code s}, counted until it passes {@code stopAfter} (then some value
     * above it): a hostile string is not walked to its end.
     */
    static long utf8Length(String s, int stopAfter) {
        long n = 0;
        for (int i = 0; i < s.length() && n <= stopAfter; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static Violation tooLong(String field, String what) {
        // The detail names the field and the bound, never the value: a dead letter's headers and a
        // 400's body stay small whatever was sent.
        return new Violation(DeadLetterReason.TOO_LONG, field, field + " " + what);
    }
}
