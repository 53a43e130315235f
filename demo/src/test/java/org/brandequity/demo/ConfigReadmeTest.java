package org.brandequity.demo;

import org.brandequity.config.ReadmeTables;
import org.brandequity.sim.SimulatorKeys;
import org.junit.jupiter.api.Test;

class ConfigReadmeTest {
    private static final String MODULES = "schemas,local-cluster,topology,service,demo";

    @Test
    void theReadmesSimulatorTableIsTheOneTheDefinitionsGenerate() {
        ReadmeTables.assertUpToDate(SimulatorKeys.SECTION, MODULES, "org.brandequity.demo.ConfigReadmeTest");
    }

    @Test
    void theReadmesDemoTableIsTheOneTheDefinitionsGenerate() {
        ReadmeTables.assertUpToDate(DemoMain.DEMO_SECTION, MODULES, "org.brandequity.demo.ConfigReadmeTest");
    }
}
