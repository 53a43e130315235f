package org.brandequity.config;

import org.junit.jupiter.api.Test;

class ConfigReadmeTest {

    @Test
    void theConfigurationPagesPipelineTableIsTheOneTheDefinitionsGenerate() {
        ReadmeTables.assertUpToDate(PipelineKeys.SECTION, "schemas,registry,local-cluster,topology", "ConfigReadmeTest");
    }

    @Test
    void theConfigurationPagesIngestTableIsTheOneTheDefinitionsGenerate() {
        ReadmeTables.assertUpToDate(IngestKeys.SECTION, "schemas,registry,local-cluster,topology", "ConfigReadmeTest");
    }
}
