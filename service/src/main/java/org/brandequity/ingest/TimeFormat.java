package org.brandequity.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import org.brandequity.model.FieldLimits;

/**
 * How a time column is written, compiled once per mapping: {@code iso} (ISO-8601, with or without
 * an offset), {@code epoch-millis}, {@code epoch-seconds} (fractions allowed), {@code auto}
 * (ISO-8601 with an offset, or epoch milliseconds: what the HTTP door accepts) or a {@link DateTimeFormatter}
 * pattern such as {@code yyyy-MM-dd HH:mm:ss}. A time without an offset is read in {@code zone}.
 */
public final class TimeFormat {
    private enum Kind { ISO, EPOCH_MILLIS, EPOCH_SECONDS, AUTO, PATTERN }

    /** ISO-8601 date-time with an optional offset or zone: 2026-11-28T14:03:12, ...Z, ...+01:00. */
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffsetId().optionalEnd()
            .optionalStart().appendLiteral('[').parseCaseSensitive().appendZoneRegionId().appendLiteral(']').optionalEnd()
            .toFormatter();

    private final Kind kind;
    private final String text;
    private final ZoneId zone;
    private final DateTimeFormatter formatter;

    private TimeFormat(Kind kind, String text, ZoneId zone, DateTimeFormatter formatter) {
        this.kind = kind;
        this.text = text;
        this.zone = zone;
        this.formatter = formatter;
    }

    /**
     * @param format iso, epoch-millis, epoch-seconds, auto or a java.time pattern
     * @param zone   a zone id (Europe/Berlin, UTC, +01:00) for times written without an offset
     * @throws IllegalArgumentException for an unknown zone or an invalid pattern
     */
    public static TimeFormat of(String format, String zone) {
        ZoneId z;
        try {
            z = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + zone + "' (e.g. UTC, Europe/Berlin, +01:00)");
        }
        return switch (format) {
            case "iso" -> new TimeFormat(Kind.ISO, format, z, ISO);
            case "epoch-millis" -> new TimeFormat(Kind.EPOCH_MILLIS, format, z, null);
            case "epoch-seconds" -> new TimeFormat(Kind.EPOCH_SECONDS, format, z, null);
            case "auto" -> new TimeFormat(Kind.AUTO, format, z, ISO);
            default -> {
                try {
                    yield new TimeFormat(Kind.PATTERN, format, z, DateTimeFormatter.ofPattern(format));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("time format '" + format + "' is neither iso, epoch-millis, epoch-seconds,"
                            + " auto nor a valid java.time pattern: " + e.getMessage());
                }
            }
        };
    }

    /**
     * Epoch milliseconds of {@code value}.
     *
     * @throws DateTimeException with a message naming the expected format
     */
    public long parse(String value) {
        // Bounded before any parse: a parse costs time in the length of the text, and the message
        // below would echo it whole.
        int max = kind == Kind.EPOCH_MILLIS || kind == Kind.EPOCH_SECONDS ? FieldLimits.NUMERIC_TEXT_MAX_CHARS : FieldLimits.TIME_TEXT_MAX_CHARS;
        if (value.length() > max) throw new DateTimeException("a time of more than " + max + " characters is not read (format " + text + ")");
        try {
            return switch (kind) {
                case EPOCH_MILLIS -> Long.parseLong(value);
                case EPOCH_SECONDS -> Math.round(Double.parseDouble(value) * 1000);
                case AUTO -> isDigits(value) ? Long.parseLong(value) : iso(value);
                case ISO -> iso(value);
                case PATTERN -> pattern(value);
            };
        } catch (NumberFormatException | DateTimeException e) {
            throw new DateTimeException("'" + value + "' is not a time in format " + text);
        }
    }

    @Override
    public String toString() {
        return text + " in " + zone;
    }

    private long iso(String value) {
        if (kind == Kind.ISO && value.length() == 10 && value.charAt(4) == '-') {
            return LocalDate.parse(value).atStartOfDay(zone).toInstant().toEpochMilli(); // a bare date
        }
        TemporalAccessor t = ISO.parse(value);
        if (t.isSupported(ChronoField.OFFSET_SECONDS)) return Instant.from(t).toEpochMilli();
        ZoneId z = t.query(java.time.temporal.TemporalQueries.zoneId());
        // auto is the JSON form's rule: a local time is refused, which zone it meant cannot be guessed.
        if (z == null && kind == Kind.AUTO) throw new DateTimeException("no offset");
        return LocalDateTime.from(t).atZone(z != null ? z : zone).toInstant().toEpochMilli();
    }

    private long pattern(String value) {
        // One parse, then ask what it holds: parseBest would try ZonedDateTime first and pay for a
        // thrown exception on every row of a pattern without an offset.
        TemporalAccessor t = formatter.parse(value);
        if (t.isSupported(ChronoField.OFFSET_SECONDS)) return Instant.from(t).toEpochMilli();
        ZoneId z = t.query(java.time.temporal.TemporalQueries.zoneId());
        if (t.isSupported(ChronoField.HOUR_OF_DAY)) return LocalDateTime.from(t).atZone(z != null ? z : zone).toInstant().toEpochMilli();
        return LocalDate.from(t).atStartOfDay(z != null ? z : zone).toInstant().toEpochMilli();
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) return false;
        for (int i = s.charAt(0) == '-' ? 1 : 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }
}
