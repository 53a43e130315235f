package org.brandequity.bench;

import org.brandequity.config.ReadmeTables;
import org.junit.jupiter.api.Test;

/** Runs only with -Pbench (the module is not in a plain build); starts nothing. */
class ConfigReadmeTest {

    @Test
    void theConfigurationPagesBenchTableIsTheOneTheDefinitionsGenerate() {
        ReadmeTables.assertUpToDate(BenchKeys.SECTION, "schemas,registry,local-cluster,topology,service,demo,bench", "org.brandequity.bench.ConfigReadmeTest");
    }
}
