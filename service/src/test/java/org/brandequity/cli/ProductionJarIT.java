package org.brandequity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production artifact ({@code service/target/brand-equity.jar}, what the Docker image runs)
 * carries no broker, registry or demo code: a broker in the production jar means a larger attack
 * surface, dependency conflicts with the cluster's own version, and a demo path that a wrong
 * command line could start in production. Runs after {@code package} (failsafe), on the real jar.
 */
class ProductionJarIT {
    /**
     * Broker, controller and storage code (Scala {@code kafka.*} and the server-side Java modules),
     * the registry and the demo.
     */
    private static final List<String> FORBIDDEN = List.of(
            "kafka/", "scala/",
            "org/apache/kafka/server/", "org/apache/kafka/controller/", "org/apache/kafka/metadata/",
            "org/apache/kafka/raft/", "org/apache/kafka/storage/", "org/apache/kafka/coordinator/",
            "org/apache/kafka/image/", "org/apache/kafka/security/",
            "io/apicurio/", "io/quarkus/",
            "org/brandequity/embedded/", "org/brandequity/sim/", "org/brandequity/demo/");
    /**
     * Plugin interfaces that kafka-clients itself ships under {@code org.apache.kafka.server} (the
     * authorizer, policy, quota and telemetry SPIs a broker loads); they come with the client
     * library every Kafka application uses, not with a broker.
     */
    private static final List<String> SHIPPED_BY_KAFKA_CLIENTS = List.of(
            "org/apache/kafka/server/authorizer/", "org/apache/kafka/server/policy/",
            "org/apache/kafka/server/quota/", "org/apache/kafka/server/telemetry/");

    private static Path jar;

    @BeforeAll
    static void locateJar() {
        String configured = System.getProperty("brandequity.production.jar");
        assertNotNull(configured, "system property brandequity.production.jar is not set (see service/pom.xml)");
        jar = Path.of(configured);
        assertTrue(Files.isRegularFile(jar), jar + " does not exist: run `mvn -B verify`, which packages it first");
    }

    @Test
    void theProductionJarHoldsNoBrokerRegistryOrDemoClasses() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> offending = file.stream().map(ZipEntry::getName)
                    .filter(name -> name.endsWith(".class"))
                    .filter(name -> FORBIDDEN.stream().anyMatch(name::startsWith))
                    .filter(name -> SHIPPED_BY_KAFKA_CLIENTS.stream().noneMatch(name::startsWith))
                    .toList();
            assertEquals(List.of(), offending.stream().limit(20).toList(),
                    offending.size() + " broker, registry or demo classes in " + jar
                            + "; the service module must not depend on them (only the local-cluster and demo modules do)");
        }
    }

    @Test
    void theProductionJarStartsThePipelineCommandLine() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            assertEquals(Main.class.getName(), file.getManifest().getMainAttributes().getValue("Main-Class"));
            assertNotNull(file.getEntry("org/brandequity/topology/BrandEquityTopology.class"));
            assertNotNull(file.getEntry("org/apache/kafka/streams/KafkaStreams.class"));
        }
    }
}
