package org.brandequity.embedded;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, stopping and restarting brokers; each test owns its broker. */
class EmbeddedKafkaBrokerLifecycleTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> RECORDS = List.of("interaction-1", "interaction-2", "interaction-3");

    @Test
    void restartOnTheSameDataDirectoryKeepsTheRecords(@TempDir Path dataDirectory) {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDirectory(dataDirectory).start()) {
            broker.createTopic("interactions", 2, Map.of());
            KafkaRecords.sendAll(broker, "interactions", RECORDS);

            broker.stop();
            assertFalse(broker.isRunning());
            broker.start();

            List<String> values = KafkaRecords.readValues(broker, "interactions", "read_committed", RECORDS.size(), READ_TIMEOUT);
            assertEquals(RECORDS.stream().sorted().toList(), values.stream().sorted().toList());
        }
    }

    @Test
    void newBrokerOnAnExistingDataDirectoryKeepsClusterIdAndRecords(@TempDir Path dataDirectory) {
        String firstClusterId;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.builder().dataDirectory(dataDirectory).start()) {
            first.createTopic("profiles", 1, Map.of("cleanup.policy", "compact"));
            KafkaRecords.sendAll(first, "profiles", RECORDS);
            firstClusterId = first.clusterId();
        }
        assertTrue(Files.isDirectory(dataDirectory), "a given data directory must survive close()");

        // New ports on purpose: the metadata log must not depend on where the old listeners were.
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.builder().dataDirectory(dataDirectory).start()) {
            assertEquals(firstClusterId, second.clusterId());
            assertEquals(RECORDS, KafkaRecords.readValues(second, "profiles", "read_committed", RECORDS.size(), READ_TIMEOUT));
        }
    }

    @Test
    void closeIsIdempotentAndDeletesTheTemporaryDataDirectory() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
        Path dataDirectory = broker.dataDirectory();
        assertTrue(Files.isDirectory(dataDirectory));

        broker.close();
        assertDoesNotThrow(broker::close);

        assertFalse(broker.isRunning());
        assertFalse(Files.exists(dataDirectory), dataDirectory + " should have been deleted");
        assertThrows(IllegalStateException.class, broker::start);
    }
}
