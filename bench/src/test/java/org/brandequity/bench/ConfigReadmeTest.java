package org.brandequity.bench;

import org.brandequity.config.ReadmeTables;
import org.junit.jupiter.api.Test;

/** Part of a plain `mvn -B verify` (the bench module is compiled and tested there); starts nothing. */
class ConfigReadmeTest {

    @Test
    void theReadmesBenchTableIsTheOneTheDefinitionsGenerate() {
        ReadmeTables.assertUpToDate(BenchKeys.SECTION, "schemas,local-cluster,topology,service,demo,bench", "org.brandequity.bench.ConfigReadmeTest");
    }
}
