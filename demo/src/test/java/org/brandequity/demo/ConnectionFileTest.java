package org.brandequity.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.brandequity.config.PipelineConfig;
import org.brandequity.config.PipelineKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionFileTest {
    @Test
    void importReadsTheDemosConnectionFileAsItsConfig(@TempDir Path dir) throws Exception {
        Properties props = new Properties();
        props.putAll(Map.of("bootstrap.servers", "localhost:40123", "schema.registry.url", "http://localhost:40124/apis/ccompat/v7",
                "topic.interactions", "demo-interactions", "window.size", "30s", "simulator.rate", "500",
                "kafka.security.protocol", "PLAINTEXT"));
        Path file = dir.resolve(".demo/connection.properties");

        ConnectionFile.write(file, props);
        // import's keys are the pipeline's: an unknown key would be refused here.
        PipelineConfig config = PipelineConfig.fromMap(PipelineKeys.KEYS.resolve(file, Map.of(), Map.of()));

        assertEquals("localhost:40123", config.bootstrapServers());
        assertEquals("http://localhost:40124/apis/ccompat/v7", config.schemaRegistryUrl());
        assertEquals("demo-interactions", config.topics().interactions());
        assertEquals("PLAINTEXT", config.kafka().getProperty("security.protocol"));
    }

    @Test
    void closingTheConnectionFileDeletesItAndItsEmptyDirectory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".demo/connection.properties");
        ConnectionFile written = ConnectionFile.write(file, new Properties());

        written.close();

        assertFalse(Files.exists(file.getParent()));
    }
}
