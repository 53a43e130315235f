package org.brandequity.deploy;

import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.brandequity.config.PipelineConfig;
import org.brandequity.sim.SimulationConfig;

/**
 * The config keys the application really reads, so deployment files cannot set a key that is
 * silently ignored: every key of brand-equity-defaults.properties, the simulator.* keys
 * SimulationConfig reads, and the kafka.* pass-through.
 */
final class ConfigKeys {
    private static final String MARKER = "\u0000config-keys-marker";

    private ConfigKeys() {}

    /** True when the application reads {@code key}. */
    static boolean known(String key) {
        return defaults().contains(key) || simulatorKeys().contains(key)
                || key.startsWith("kafka.") && key.length() > "kafka.".length()
                || key.startsWith("simulator.incident.");
    }

    /**
     * The key a BRANDEQUITY_* variable sets, found by loading the configuration the way the
     * application does (PipelineConfig.loadProperties) with only that variable in the environment.
     */
    static String keyOfEnv(String variable) {
        Properties p = PipelineConfig.loadProperties(null, Map.of(variable, MARKER), Map.of());
        for (String key : p.stringPropertyNames()) {
            if (MARKER.equals(p.getProperty(key))) return key;
        }
        return null;
    }

    static Set<String> defaults() {
        return PipelineConfig.loadProperties(null, Map.of(), Map.of()).stringPropertyNames();
    }

    /** The keys SimulationConfig.fromProperties looks up, recorded as it reads them. */
    static Set<String> simulatorKeys() {
        Set<String> read = new HashSet<>();
        Properties recording = new Properties() {
            @Override
            public String getProperty(String key) {
                read.add(key);
                return super.getProperty(key);
            }

            @Override
            public String getProperty(String key, String defaultValue) {
                read.add(key);
                return super.getProperty(key, defaultValue);
            }
        };
        SimulationConfig.fromProperties(recording);
        return read;
    }
}
