package org.brandequity.config;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The keys one component defines (the pipeline, the simulator, the demo, the benchmark): one
 * section of docs/configuration.md and a building block of what a command reads.
 *
 * @param name       short name, also the docs/configuration.md marker of its table ({@code config-table:<name>})
 * @param definition one definition per key: type, default, validator, importance, documentation
 * @param families   documented families of keys beyond the definition
 */
public record ConfigSection(String name, ConfigDef definition, List<KeyFamily> families) {
    public ConfigSection {
        families = List.copyOf(families);
    }
}
