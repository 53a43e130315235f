package org.brandequity.config;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.brandequity.model.Durations;

/**
 * Validators that {@link ConfigDef} does not ship: durations written {@code 30s}/{@code 1h}, doubles
 * that must be finite (Kafka's {@link ConfigDef.Range} lets NaN through, as every comparison with
 * NaN is false), strict lower bounds, and the {@code name:weight} list of segment weights.
 */
public final class Validators {
    private Validators() {}

    /** A duration ({@link Durations#parse}) of at least {@code minMillis} milliseconds. */
    public static ConfigDef.Validator durationAtLeast(long minMillis) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            long ms = duration(name, value).toMillis();
            if (ms < minMillis) throw new ConfigException(name, value, "must be at least " + Durations.format(java.time.Duration.ofMillis(minMillis)));
        }, () -> minMillis == 0 ? "a duration such as 500ms, 30s, 15m, 1h, 30d or PT1H" : "a duration >= " + Durations.format(java.time.Duration.ofMillis(minMillis)));
    }

    static java.time.Duration duration(String name, Object value) {
        try {
            return Durations.parse(name, (String) value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "not a duration (use e.g. 500ms, 30s, 15m, 1h, 30d or ISO-8601 PT1H)");
        }
    }

    /** A finite double in [min, max]. */
    public static ConfigDef.Validator between(double min, double max) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            double v = finite(name, value);
            if (v < min || v > max) throw new ConfigException(name, value, "must be in [" + num(min) + ", " + num(max) + "]");
        }, () -> "[" + num(min) + ", " + num(max) + "]");
    }

    /** Unset (null: the key is optional), or a finite double in [min, max]. */
    public static ConfigDef.Validator unsetOrBetween(double min, double max) {
        ConfigDef.Validator between = between(min, max);
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (value != null) between.ensureValid(name, value);
        }, () -> "unset or [" + num(min) + ", " + num(max) + "]");
    }

    /** A finite double >= min. */
    public static ConfigDef.Validator atLeast(double min) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (finite(name, value) < min) throw new ConfigException(name, value, "must be >= " + num(min));
        }, () -> ">= " + num(min));
    }

    /** A finite double > min. */
    public static ConfigDef.Validator greaterThan(double min) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (finite(name, value) <= min) throw new ConfigException(name, value, "must be > " + num(min));
        }, () -> "> " + num(min));
    }

    /** A finite double in (min, max]. */
    public static ConfigDef.Validator aboveUpTo(double min, double max) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            double v = finite(name, value);
            if (v <= min || v > max) throw new ConfigException(name, value, "must be in (" + num(min) + ", " + num(max) + "]");
        }, () -> "(" + num(min) + ", " + num(max) + "]");
    }

    /** A finite double in [min, max). */
    public static ConfigDef.Validator fromBelow(double min, double max) {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            double v = finite(name, value);
            if (v < min || v >= max) throw new ConfigException(name, value, "must be in [" + num(min) + ", " + num(max) + ")");
        }, () -> "[" + num(min) + ", " + num(max) + ")");
    }

    /** {@code off} or a finite number. */
    public static ConfigDef.Validator offOrNumber() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            String s = ((String) value).trim();
            if (s.toLowerCase(Locale.ROOT).equals("off")) return;
            try {
                if (!Double.isFinite(Double.parseDouble(s))) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new ConfigException(name, value, "must be off or a finite number");
            }
        }, () -> "off or a number");
    }

    /** A list of {@code name:weight} entries, names distinct and non-empty, weights finite and >= 0. */
    public static ConfigDef.Validator segmentWeights() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            @SuppressWarnings("unchecked")
            List<String> entries = (List<String>) value;
            Set<String> seen = new HashSet<>();
            for (String entry : entries) {
                int colon = entry.lastIndexOf(':');
                if (colon <= 0) throw new ConfigException(name, value, "entry '" + entry + "' is not name:weight");
                String segment = entry.substring(0, colon).trim();
                double weight;
                try {
                    weight = Double.parseDouble(entry.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new ConfigException(name, value, "entry '" + entry + "': the weight is not a number");
                }
                if (!Double.isFinite(weight) || weight < 0) throw new ConfigException(name, value, "entry '" + entry + "': the weight must be >= 0");
                if (!seen.add(segment)) throw new ConfigException(name, value, "segment '" + segment + "' is listed twice");
            }
        }, () -> "name:weight,... (weights >= 0)");
    }

    /** Segment names for metric labels: unset (null) or non-blank, distinct names. */
    public static ConfigDef.Validator segmentNames() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            if (value == null) return;
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) value;
            Set<String> seen = new HashSet<>();
            for (String segment : names) {
                if (segment.isBlank()) throw new ConfigException(name, value, "a segment name is empty");
                if (!seen.add(segment.trim())) throw new ConfigException(name, value, "segment '" + segment.trim() + "' is listed twice");
            }
        }, () -> "segment names, comma-separated");
    }

    /** Empty, or the path of a readable regular file (checked when the config is read, so a typo fails at start). */
    public static ConfigDef.Validator readableFileOrEmpty() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            String s = value == null ? "" : ((String) value).trim();
            if (s.isEmpty()) return;
            java.nio.file.Path p = java.nio.file.Path.of(s);
            if (!java.nio.file.Files.isRegularFile(p) || !java.nio.file.Files.isReadable(p)) {
                throw new ConfigException(name, value, "no readable file there");
            }
        }, () -> "empty or a readable file");
    }

    /** A basic auth user name: RFC 7617 forbids ':' in it; control characters would break the header. */
    public static ConfigDef.Validator basicAuthUser() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            String s = (String) value;
            if (s.indexOf(':') >= 0 || s.chars().anyMatch(Character::isISOControl)) {
                throw new ConfigException(name, value, "a basic auth user has no ':' and no control characters");
            }
        }, () -> "no ':'");
    }

    /** A secret sent in a header: no control characters (a line break would inject a header). The value is never echoed. */
    public static ConfigDef.Validator noControlCharacters() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            String s = secret(value);
            if (s.chars().anyMatch(Character::isISOControl)) {
                throw new ConfigException(name, value, "contains a control character");
            }
        }, () -> "no control characters");
    }

    /**
     * Comma-separated bearer tokens, each of RFC 6750's token characters (letters, digits,
     * {@code -._~+/}, trailing {@code =}); empty = none. The value is never echoed.
     */
    public static ConfigDef.Validator tokenList() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            String s = secret(value);
            if (s.isBlank()) return;
            int n = 0;
            for (String token : s.split(",", -1)) {
                n++;
                if (!BEARER_TOKEN.matcher(token.trim()).matches()) {
                    throw new ConfigException(name, value, "token " + n + " is empty or not of the bearer token characters "
                            + "(letters, digits, -._~+/ and trailing =)");
                }
            }
        }, () -> "token[,token...]");
    }

    /** Empty, or one bearer token of RFC 6750's token characters. The value is never echoed. */
    public static ConfigDef.Validator bearerToken() {
        return ConfigDef.LambdaValidator.with((name, value) -> {
            String s = secret(value).trim();
            if (!s.isEmpty() && !BEARER_TOKEN.matcher(s).matches()) {
                throw new ConfigException(name, value, "not a bearer token (letters, digits, -._~+/ and trailing =)");
            }
        }, () -> "empty or a token");
    }

    /** RFC 6750 section 2.1, b64token. */
    public static final java.util.regex.Pattern BEARER_TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private static String secret(Object value) {
        if (value == null) return "";
        return value instanceof org.apache.kafka.common.config.types.Password p ? p.value() : value.toString();
    }

    private static double finite(String name, Object value) {
        double v = ((Number) value).doubleValue();
        if (!Double.isFinite(v)) throw new ConfigException(name, value, "must be a finite number");
        return v;
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
