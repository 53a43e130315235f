package org.brandequity.config;

import org.junit.jupiter.api.Test;

class ConfigReadmeTest {

    @Test
    void theReadmesPipelineTableIsTheOneTheDefinitionsGenerate() {
        ReadmeTables.assertUpToDate(PipelineKeys.SECTION, "schemas,local-cluster,topology", "ConfigReadmeTest");
    }

    @Test
    void theReadmesIngestTableIsTheOneTheDefinitionsGenerate() {
        ReadmeTables.assertUpToDate(IngestKeys.SECTION, "schemas,local-cluster,topology", "ConfigReadmeTest");
    }
}
