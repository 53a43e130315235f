package org.brandequity.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.brandequity.model.Durations;

/**
 * What the customer simulator produces and how fast. Read from {@code simulator.*} properties;
 * every key has a default.
 *
 * <table>
 *   <caption>Simulator keys</caption>
 *   <tr><th>Key</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@code simulator.seed}</td><td>42</td><td>Seed of every random choice; the same seed and config give the same events.</td></tr>
 *   <tr><td>{@code simulator.customers}</td><td>2000</td><td>Size of the simulated customer population.</td></tr>
 *   <tr><td>{@code simulator.high.value.share}</td><td>0.15</td><td>Share of customers in the high-value segment; the rest of those with a profile are broad-base.</td></tr>
 *   <tr><td>{@code simulator.unassigned.share}</td><td>0.02</td><td>Share of customers without a profile, which the pipeline counts as unassigned.</td></tr>
 *   <tr><td>{@code simulator.rate}</td><td>500</td><td>Interactions per second of wall-clock time; event time follows the wall clock. 0 = as fast as possible, event time then advances by {@code simulator.step} per event.</td></tr>
 *   <tr><td>{@code simulator.total.events}</td><td>0</td><td>Interactions to produce, duplicates included; 0 = until stopped.</td></tr>
 *   <tr><td>{@code simulator.step}</td><td>2ms</td><td>Event-time spacing of consecutive interactions when {@code simulator.rate} is 0 (2ms = the spacing at 500/s).</td></tr>
 *   <tr><td>{@code simulator.start}</td><td>now</td><td>Event time of the first interaction: {@code now}, {@code now-<duration>} (e.g. {@code now-2h}, so that a fast preload ends near the present) or an ISO-8601 instant.</td></tr>
 *   <tr><td>{@code simulator.duplicate.share}</td><td>0.01</td><td>Share of produced records that re-send an earlier interaction unchanged (same event id), to exercise deduplication.</td></tr>
 *   <tr><td>{@code simulator.late.share}</td><td>0.01</td><td>Share of interactions whose event time lies behind the simulation clock.</td></tr>
 *   <tr><td>{@code simulator.max.lateness}</td><td>5m</td><td>How far behind at most a late interaction is; above {@code window.grace} some become too-late dead letters.</td></tr>
 *   <tr><td>{@code simulator.incident.<n>}</td><td>none</td><td>A scripted incident, {@code name;segment=...;touchpoint=...;start=...;duration=...;failure=...;shift=...} (see {@link Incident}); several are applied in order of n.</td></tr>
 *   <tr><td>{@code simulator.incidents.default}</td><td>true</td><td>Without any {@code simulator.incident.<n>} key, run {@link Incident#defaultIncident()}: high-value deliveries fail 2m to 7m in. false = no incident.</td></tr>
 * </table>
 *
 * @param start fixed event time of the first interaction, or null to start {@code startBeforeNow}
 *     before the wall clock at the beginning of the run
 */
public record SimulationConfig(
        long seed,
        int customers,
        double highValueShare,
        double unassignedShare,
        double rate,
        long totalEvents,
        Duration step,
        Instant start,
        Duration startBeforeNow,
        double duplicateShare,
        double lateShare,
        Duration maxLateness,
        List<Incident> incidents) {

    static final String INCIDENT_PREFIX = "simulator.incident.";

    public SimulationConfig {
        require(customers > 0, "simulator.customers must be > 0");
        require(share(highValueShare), "simulator.high.value.share must be in [0, 1]");
        require(share(unassignedShare), "simulator.unassigned.share must be in [0, 1]");
        require(highValueShare + unassignedShare <= 1, "simulator.high.value.share + simulator.unassigned.share must be <= 1");
        require(Double.isFinite(rate) && rate >= 0, "simulator.rate must be >= 0");
        require(totalEvents >= 0, "simulator.total.events must be >= 0");
        require(step != null && step.compareTo(Duration.ZERO) > 0, "simulator.step must be > 0");
        require(startBeforeNow != null && !startBeforeNow.isNegative(), "simulator.start: now-<duration> needs a duration >= 0");
        require(share(duplicateShare) && duplicateShare < 1, "simulator.duplicate.share must be in [0, 1)");
        require(share(lateShare), "simulator.late.share must be in [0, 1]");
        require(maxLateness != null && maxLateness.toMillis() >= 1, "simulator.max.lateness must be >= 1ms");
        incidents = List.copyOf(incidents);
    }

    /** Every default, including the default incident. */
    public static SimulationConfig defaults() {
        return fromProperties(new Properties());
    }

    /** Reads the {@code simulator.*} keys of {@code p}; keys not set take their default. */
    public static SimulationConfig fromProperties(Properties p) {
        String startText = p.getProperty("simulator.start", "now").trim();
        Instant start = null;
        Duration startBeforeNow = Duration.ZERO;
        if (startText.startsWith("now-")) {
            startBeforeNow = Durations.parse("simulator.start", startText.substring("now-".length()));
        } else if (!startText.equals("now")) {
            try {
                start = Instant.parse(startText);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("Config key 'simulator.start': '" + startText
                        + "' is not now, now-<duration> or an ISO-8601 instant such as 2025-01-01T00:00:00Z");
            }
        }
        return new SimulationConfig(
                longValue(p, "simulator.seed", 42),
                intValue(p, "simulator.customers", 2000),
                doubleValue(p, "simulator.high.value.share", 0.15),
                doubleValue(p, "simulator.unassigned.share", 0.02),
                doubleValue(p, "simulator.rate", 500),
                longValue(p, "simulator.total.events", 0),
                duration(p, "simulator.step", "2ms"),
                start,
                startBeforeNow,
                doubleValue(p, "simulator.duplicate.share", 0.01),
                doubleValue(p, "simulator.late.share", 0.01),
                duration(p, "simulator.max.lateness", "5m"),
                incidents(p));
    }

    /** The event time of the first interaction of a run that begins at {@code now}. */
    public Instant startAt(Instant now) {
        return start != null ? start : now.minus(startBeforeNow);
    }

    /** Event-time spacing of consecutive interactions: 1/rate when paced, the step otherwise. */
    public double eventSpacingMillis() {
        return rate > 0 ? 1000.0 / rate : step.toNanos() / 1e6;
    }

    public SimulationConfig withTotalEvents(long total) {
        return new SimulationConfig(seed, customers, highValueShare, unassignedShare, rate, total, step, start,
                startBeforeNow, duplicateShare, lateShare, maxLateness, incidents);
    }

    public SimulationConfig withRate(double eventsPerSecond) {
        return new SimulationConfig(seed, customers, highValueShare, unassignedShare, eventsPerSecond, totalEvents,
                step, start, startBeforeNow, duplicateShare, lateShare, maxLateness, incidents);
    }

    public SimulationConfig withIncidents(List<Incident> list) {
        return new SimulationConfig(seed, customers, highValueShare, unassignedShare, rate, totalEvents, step, start,
                startBeforeNow, duplicateShare, lateShare, maxLateness, list);
    }

    private static List<Incident> incidents(Properties p) {
        // Numeric order, so that incident.10 follows incident.9.
        Map<Long, Incident> byNumber = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith(INCIDENT_PREFIX)) continue;
            String suffix = key.substring(INCIDENT_PREFIX.length());
            long n;
            try {
                n = Long.parseLong(suffix);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Config key '" + key + "': incidents are numbered, e.g. simulator.incident.1");
            }
            byNumber.put(n, Incident.parse(key, p.getProperty(key)));
        }
        if (!byNumber.isEmpty()) {
            return List.copyOf(byNumber.values());
        }
        String useDefault = p.getProperty("simulator.incidents.default", "true").trim();
        if (!useDefault.equals("true") && !useDefault.equals("false")) {
            throw new IllegalArgumentException("Config key 'simulator.incidents.default': '" + useDefault + "' is not true or false");
        }
        return useDefault.equals("true") ? List.of(Incident.defaultIncident()) : List.of();
    }

    private static long longValue(Properties p, String key, long defaultValue) {
        String text = p.getProperty(key);
        if (text == null) return defaultValue;
        try {
            return Long.parseLong(text.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Config key '" + key + "': '" + text + "' is not a whole number");
        }
    }

    private static int intValue(Properties p, String key, int defaultValue) {
        long value = longValue(p, key, defaultValue);
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw new IllegalArgumentException("Config key '" + key + "': " + value + " is too large");
        }
        return (int) value;
    }

    private static double doubleValue(Properties p, String key, double defaultValue) {
        String text = p.getProperty(key);
        if (text == null) return defaultValue;
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Config key '" + key + "': '" + text + "' is not a number");
        }
    }

    private static Duration duration(Properties p, String key, String defaultValue) {
        return Durations.parse(key, p.getProperty(key, defaultValue));
    }

    private static boolean share(double x) {
        return x >= 0 && x <= 1;
    }

    private static void require(boolean condition, String message) {
        if (!condition) throw new IllegalArgumentException(message);
    }
}
