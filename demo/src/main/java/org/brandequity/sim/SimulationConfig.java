package org.brandequity.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.brandequity.config.CommandKeys;
import org.brandequity.model.Durations;

/**
 * What the customer simulator produces and how fast: the {@code simulator.*} keys, defined with
 * their defaults and documentation in {@link SimulatorKeys} (and listed in docs/configuration.md).
 *
 * @param start fixed event time of the first interaction, or null to start {@code startBeforeNow}
 *     before the wall clock at the beginning of the run
 * @param drivers the known key-driver model customers' recommend answers are drawn from
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
        List<Incident> incidents,
        DriverModel drivers) {

    static final String INCIDENT_PREFIX = SimulatorKeys.INCIDENT_PREFIX;

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
        require(drivers != null, "the driver model (simulator.drivers.*) is required");
    }

    /** Every default, including the default incident. */
    public static SimulationConfig defaults() {
        return fromProperties(new Properties());
    }

    /** Reads the {@code simulator.*} keys of {@code p}; keys not set take their default, other keys are left to their readers. */
    public static SimulationConfig fromProperties(Properties p) {
        Map<String, String> m = new java.util.HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return fromMap(m);
    }

    /**
     * Reads the {@code simulator.*} keys of {@code values}.
     *
     * @throws IllegalArgumentException naming the key, for an invalid value
     */
    public static SimulationConfig fromMap(Map<String, String> values) {
        AbstractConfig c = CommandKeys.parse(SimulatorKeys.SECTION.definition(), values);
        String startText = c.getString(SimulatorKeys.START_CONFIG).trim();
        Duration startBeforeNow = startText.startsWith("now-")
                ? Durations.parse(SimulatorKeys.START_CONFIG, startText.substring("now-".length()))
                : Duration.ZERO;
        try {
            return new SimulationConfig(
                    c.getLong(SimulatorKeys.SEED_CONFIG),
                    c.getInt(SimulatorKeys.CUSTOMERS_CONFIG),
                    c.getDouble(SimulatorKeys.HIGH_VALUE_SHARE_CONFIG),
                    c.getDouble(SimulatorKeys.UNASSIGNED_SHARE_CONFIG),
                    c.getDouble(SimulatorKeys.RATE_CONFIG),
                    c.getLong(SimulatorKeys.TOTAL_EVENTS_CONFIG),
                    Durations.parse(SimulatorKeys.STEP_CONFIG, c.getString(SimulatorKeys.STEP_CONFIG)),
                    SimulatorKeys.start(SimulatorKeys.START_CONFIG, startText),
                    startBeforeNow,
                    c.getDouble(SimulatorKeys.DUPLICATE_SHARE_CONFIG),
                    c.getDouble(SimulatorKeys.LATE_SHARE_CONFIG),
                    Durations.parse(SimulatorKeys.MAX_LATENESS_CONFIG, c.getString(SimulatorKeys.MAX_LATENESS_CONFIG)),
                    incidents(values, c.getBoolean(SimulatorKeys.INCIDENTS_DEFAULT_CONFIG)),
                    new DriverModel(
                            SimulatorKeys.driverCoefficients(SimulatorKeys.DRIVERS_HIGH_VALUE_CONFIG,
                                    c.getString(SimulatorKeys.DRIVERS_HIGH_VALUE_CONFIG)),
                            SimulatorKeys.driverCoefficients(SimulatorKeys.DRIVERS_BROAD_BASE_CONFIG,
                                    c.getString(SimulatorKeys.DRIVERS_BROAD_BASE_CONFIG)),
                            c.getDouble(SimulatorKeys.DRIVERS_NOISE_CONFIG)));
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
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
                startBeforeNow, duplicateShare, lateShare, maxLateness, incidents, drivers);
    }

    public SimulationConfig withRate(double eventsPerSecond) {
        return new SimulationConfig(seed, customers, highValueShare, unassignedShare, eventsPerSecond, totalEvents,
                step, start, startBeforeNow, duplicateShare, lateShare, maxLateness, incidents, drivers);
    }

    public SimulationConfig withIncidents(List<Incident> list) {
        return new SimulationConfig(seed, customers, highValueShare, unassignedShare, rate, totalEvents, step, start,
                startBeforeNow, duplicateShare, lateShare, maxLateness, list, drivers);
    }

    public SimulationConfig withDrivers(DriverModel model) {
        return new SimulationConfig(seed, customers, highValueShare, unassignedShare, rate, totalEvents, step, start,
                startBeforeNow, duplicateShare, lateShare, maxLateness, incidents, model);
    }

    private static List<Incident> incidents(Map<String, String> values, boolean useDefault) {
        // Numeric order, so that incident.10 follows incident.9.
        Map<Long, Incident> byNumber = new TreeMap<>();
        values.forEach((key, spec) -> {
            if (!key.startsWith(INCIDENT_PREFIX)) return;
            if (!SimulatorKeys.INCIDENT.contains(key)) {
                throw new IllegalArgumentException("Config key '" + key + "': incidents are numbered, e.g. simulator.incident.1");
            }
            byNumber.put(Long.parseLong(key.substring(INCIDENT_PREFIX.length())), Incident.parse(key, spec));
        });
        if (!byNumber.isEmpty()) {
            return List.copyOf(byNumber.values());
        }
        return useDefault ? List.of(Incident.defaultIncident()) : List.of();
    }

    private static boolean share(double x) {
        return x >= 0 && x <= 1;
    }

    private static void require(boolean condition, String message) {
        if (!condition) throw new IllegalArgumentException(message);
    }
}
