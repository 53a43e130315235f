package org.brandequity.query;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query string of a query-API request, for the endpoints that take parameters
 * ({@code /equity/cells}, {@code /customers/at-risk}). Hand-written because the JDK's HTTP server,
 * which the query API runs on, hands over the raw query string only.
 */
final class QueryParameters {
    private QueryParameters() {}

    /** A request the API cannot answer as asked: 400, the message saying what is accepted. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /**
     * Decodes a raw (still URL-encoded) query string; null or empty has no parameter. A parameter
     * without {@code =} has the empty value.
     *
     * @param rawQuery the request URI's raw query, or null
     * @param accepted the names the endpoint takes
     * @return each parameter's decoded value, in the order given
     * @throws BadRequest for a name not in {@code accepted}, or one given more than once
     */
    static Map<String, String> parse(String rawQuery, Set<String> accepted) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return values;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!accepted.contains(name)) {
                throw new BadRequest("unknown parameter '" + name + "'; accepted: " + String.join(", ", new TreeSet<>(accepted)));
            }
            if (values.put(name, value) != null) throw new BadRequest("parameter '" + name + "' is given more than once");
        }
        return values;
    }

    /**
     * A whole-number parameter in [{@code min}, {@code max}], {@code absent} when not given.
     *
     * @throws BadRequest naming the parameter and its range, for anything else
     */
    static int wholeNumber(String name, String text, int absent, int min, int max) {
        if (text == null) return absent;
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // below: too long, not a number
        }
        throw new BadRequest(name + " must be a whole number from " + min + " to " + max);
    }
}
