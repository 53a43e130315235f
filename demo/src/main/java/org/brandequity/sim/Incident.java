package org.brandequity.sim;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.brandequity.avro.Touchpoint;
import org.brandequity.model.Durations;

/**
 * A scripted disruption: for one segment at one touchpoint, from {@code start} to
 * {@code start + duration} after the simulation start (in event time), interactions fail with
 * probability {@code failure} and every signal they carry is shifted by {@code shift} on the
 * experience scale [-1, 1].
 *
 * <p>Written in properties as {@code name;key=value;...}, e.g.
 * {@code delivery-failure-wave;segment=high-value;touchpoint=DELIVERY;start=60s;duration=120s;failure=0.8;shift=-0.6}.
 * Keys: {@code segment} (required), {@code touchpoint} (required, a {@link Touchpoint} symbol),
 * {@code start} and {@code duration} (required, durations like 90s, 5m, PT1H), {@code failure}
 * (0..1, default 0: the touchpoint's own failure rate) and {@code shift} (-2..2, default 0).
 *
 * @param failure probability that an affected interaction which reports an outcome fails; it
 *     only raises the touchpoint's normal failure rate, never lowers it
 * @param shift added to the customer's experience before it is turned into ratings, effort and
 *     sentiment, so -0.5 is roughly one CSAT point worse
 */
public record Incident(String name, String segment, Touchpoint touchpoint, Duration start, Duration duration,
                       double failure, double shift) {

    public Incident {
        require(name != null && !name.isBlank() && name.indexOf(';') < 0, "incident name must be non-empty and contain no ';'");
        require(segment != null && !segment.isBlank(), "incident " + name + ": segment is required");
        Objects.requireNonNull(touchpoint, "incident " + name + ": touchpoint is required");
        require(start != null && !start.isNegative(), "incident " + name + ": start must be >= 0");
        require(duration != null && duration.compareTo(Duration.ZERO) > 0, "incident " + name + ": duration must be > 0");
        require(failure >= 0 && failure <= 1, "incident " + name + ": failure must be in [0, 1]");
        require(shift >= -2 && shift <= 2, "incident " + name + ": shift must be in [-2, 2]");
    }

    /**
     * The incident a demo needs out of the box: a delivery failure wave that hits the high-value
     * segment two minutes in and lasts five, long enough to move its scores and the equity.
     */
    public static Incident defaultIncident() {
        return new Incident("delivery-failure-wave", CustomerJourneys.HIGH_VALUE, Touchpoint.DELIVERY,
                Duration.ofMinutes(2), Duration.ofMinutes(5), 0.8, -0.6);
    }

    /** Whether an interaction of {@code segment} at {@code touchpoint}, {@code sinceStart} into the simulation, is hit. */
    public boolean affects(String segment, Touchpoint touchpoint, Duration sinceStart) {
        return this.touchpoint == touchpoint
                && this.segment.equals(segment)
                && sinceStart.compareTo(start) >= 0
                && sinceStart.compareTo(end()) < 0;
    }

    /** Offset from the simulation start at which the incident is over (exclusive). */
    public Duration end() {
        return start.plus(duration);
    }

    /**
     * Parses {@code name;key=value;...}.
     *
     * @param key the property key, named in error messages
     * @throws IllegalArgumentException naming the key and the offending part
     */
    public static Incident parse(String key, String spec) {
        String[] parts = spec.split(";");
        String name = parts[0].trim();
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Config key '" + key + "': '" + part + "' is not key=value");
            }
            String field = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (fields.put(field, part.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("Config key '" + key + "': '" + field + "' is given twice");
            }
        }
        String segment = required(key, fields, "segment");
        Touchpoint touchpoint = touchpoint(key, required(key, fields, "touchpoint"));
        Duration start = Durations.parse(key, required(key, fields, "start"));
        Duration duration = Durations.parse(key, required(key, fields, "duration"));
        double failure = number(key, fields, "failure");
        double shift = number(key, fields, "shift");
        if (!fields.isEmpty()) {
            throw new IllegalArgumentException("Config key '" + key + "': unknown field(s) " + fields.keySet()
                    + " (known: segment, touchpoint, start, duration, failure, shift)");
        }
        try {
            return new Incident(name, segment, touchpoint, start, duration, failure, shift);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Config key '" + key + "': " + e.getMessage(), e);
        }
    }

    /** The properties form, which {@link #parse} reads back into an equal incident. */
    public String toSpec() {
        return name + ";segment=" + segment + ";touchpoint=" + touchpoint + ";start=" + Durations.format(start)
                + ";duration=" + Durations.format(duration) + ";failure=" + failure + ";shift=" + shift;
    }

    private static String required(String key, Map<String, String> fields, String field) {
        String value = fields.remove(field);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("Config key '" + key + "': '" + field + "' is required");
        }
        return value;
    }

    private static Touchpoint touchpoint(String key, String text) {
        try {
            return Touchpoint.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Config key '" + key + "': touchpoint '" + text + "' is not one of "
                    + Arrays.toString(Touchpoint.values()));
        }
    }

    private static double number(String key, Map<String, String> fields, String field) {
        String value = fields.remove(field);
        if (value == null) return 0;
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Config key '" + key + "': " + field + " '" + value + "' is not a number");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) throw new IllegalArgumentException(message);
    }
}
