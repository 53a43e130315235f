package org.brandequity.sim;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.brandequity.config.ConfigSection;
import org.brandequity.config.KeyFamily;
import org.brandequity.config.Validators;

/**
 * The {@code simulator.*} keys of {@link SimulationConfig}, one definition each, and the numbered
 * family {@code simulator.incident.<n>}.
 */
public final class SimulatorKeys {
    public static final String SEED_CONFIG = "simulator.seed";
    public static final String CUSTOMERS_CONFIG = "simulator.customers";
    public static final String HIGH_VALUE_SHARE_CONFIG = "simulator.high.value.share";
    public static final String UNASSIGNED_SHARE_CONFIG = "simulator.unassigned.share";
    public static final String RATE_CONFIG = "simulator.rate";
    public static final String TOTAL_EVENTS_CONFIG = "simulator.total.events";
    public static final String STEP_CONFIG = "simulator.step";
    public static final String START_CONFIG = "simulator.start";
    public static final String DUPLICATE_SHARE_CONFIG = "simulator.duplicate.share";
    public static final String LATE_SHARE_CONFIG = "simulator.late.share";
    public static final String MAX_LATENESS_CONFIG = "simulator.max.lateness";
    public static final String INCIDENTS_DEFAULT_CONFIG = "simulator.incidents.default";
    public static final String INCIDENT_PREFIX = "simulator.incident.";

    /** {@code simulator.incident.<n>}, n a whole number; applied in numeric order. */
    public static final KeyFamily INCIDENT = new KeyFamily(INCIDENT_PREFIX, "<n>", n -> n.matches("\\d+"), n -> n,
            "A scripted incident, name;segment=...;touchpoint=...;start=...;duration=...;failure=...;shift=... "
                    + "(failure in [0, 1] and shift in [-2, 2] default to 0); several apply in numeric order of n. "
                    + "Environment: BRANDEQUITY_SIMULATOR_INCIDENT_<n>.");

    public static final ConfigSection SECTION = new ConfigSection("simulator", define(), List.of(INCIDENT));

    private SimulatorKeys() {}

    private static ConfigDef define() {
        return new ConfigDef()
                .define(SEED_CONFIG, Type.LONG, 42L, Importance.LOW,
                        "Seed of every random choice; the same seed and config give the same events.")
                .define(CUSTOMERS_CONFIG, Type.INT, 2000, Range.atLeast(1), Importance.MEDIUM,
                        "Size of the simulated customer population.")
                .define(HIGH_VALUE_SHARE_CONFIG, Type.DOUBLE, 0.15, Validators.between(0, 1), Importance.LOW,
                        "Share of customers in the high-value segment; the rest of those with a profile are broad-base.")
                .define(UNASSIGNED_SHARE_CONFIG, Type.DOUBLE, 0.02, Validators.between(0, 1), Importance.LOW,
                        "Share of customers without a profile, which the pipeline counts as unassigned.")
                .define(RATE_CONFIG, Type.DOUBLE, 500.0, Validators.atLeast(0), Importance.MEDIUM,
                        "Interactions per second of wall-clock time; event time follows the wall clock. 0 = as fast as possible, "
                                + "event time then advances by simulator.step per event.")
                .define(TOTAL_EVENTS_CONFIG, Type.LONG, 0L, Range.atLeast(0), Importance.MEDIUM,
                        "Interactions to produce, duplicates included; 0 = until stopped.")
                .define(STEP_CONFIG, Type.STRING, "2ms", Validators.durationAtLeast(1), Importance.LOW,
                        "Event-time spacing of consecutive interactions when simulator.rate is 0 (2ms = the spacing at 500/s).")
                .define(START_CONFIG, Type.STRING, "now", ConfigDef.LambdaValidator.with((name, value) -> start(name, (String) value),
                                () -> "now, now-<duration> or an ISO-8601 instant"), Importance.LOW,
                        "Event time of the first interaction: now, now-<duration> (e.g. now-2h, so that a fast preload ends near the present) "
                                + "or an ISO-8601 instant such as 2025-01-01T00:00:00Z.")
                .define(DUPLICATE_SHARE_CONFIG, Type.DOUBLE, 0.01, Validators.fromBelow(0, 1), Importance.LOW,
                        "Share of produced records that re-send an earlier interaction unchanged (same event id), to exercise deduplication.")
                .define(LATE_SHARE_CONFIG, Type.DOUBLE, 0.01, Validators.between(0, 1), Importance.LOW,
                        "Share of interactions whose event time lies behind the simulation clock.")
                .define(MAX_LATENESS_CONFIG, Type.STRING, "5m", Validators.durationAtLeast(1), Importance.LOW,
                        "How far behind at most a late interaction is; beyond window.grace they are counted late (revisions), beyond late.horizon TOO_LATE dead letters.")
                .define(INCIDENTS_DEFAULT_CONFIG, Type.BOOLEAN, true, Importance.LOW,
                        "Without any simulator.incident.<n> key, run the default incident: high-value deliveries fail 2m to 7m in. "
                                + "false = no incident.");
    }

    /**
     * {@code now}, {@code now-<duration>} or an instant: the fixed start, or null for a start
     * relative to the run's beginning.
     */
    static Instant start(String name, String text) {
        String t = text.trim();
        if (t.equals("now")) return null;
        if (t.startsWith("now-")) {
            org.brandequity.config.Validators.durationAtLeast(0).ensureValid(name, t.substring("now-".length()));
            return null;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new ConfigException(name, text, "not now, now-<duration> or an ISO-8601 instant such as 2025-01-01T00:00:00Z");
        }
    }
}
