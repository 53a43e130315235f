package org.brandequity.demo;

import org.brandequity.config.ReadmeTables;
import org.brandequity.sim.SimulatorKeys;
import org.junit.jupiter.api.Test;

class ConfigReadmeTest {
    private static final String MODULES = "schemas,registry,local-cluster,topology,service,demo";

    @Test
    void theConfigurationPagesSimulatorTableIsTheOneTheDefinitionsGenerate() {
        ReadmeTables.assertUpToDate(SimulatorKeys.SECTION, MODULES, "org.brandequity.demo.ConfigReadmeTest");
    }

    @Test
    void theConfigurationPagesDemoTableIsTheOneTheDefinitionsGenerate() {
        ReadmeTables.assertUpToDate(DemoMain.DEMO_SECTION, MODULES, "org.brandequity.demo.ConfigReadmeTest");
    }
}
