package org.brandequity.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.Touchpoint;
import org.brandequity.ingest.ContractCodec;
import org.brandequity.ingest.ImportMapping;
import org.brandequity.ingest.FileImport;
import org.brandequity.ingest.Progress;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import java.io.OutputStream;
import java.io.PrintStream;
import org.brandequity.sim.CustomerJourneys;
import org.brandequity.sim.SimulationConfig;
import org.junit.jupiter.api.Test;

/** The files in examples/ are what their generator writes, and import them without a reject. */
class ExamplesTest {
    /** examples/ from the demo module's directory (where surefire runs) or the repository root. */
    private static Path examples(String name) {
        Path p = Path.of("..", "examples", name);
        return Files.exists(p) ? p : Path.of("examples", name);
    }

    @Test
    void theSurveyExportIsWhatItsGeneratorWrites() throws Exception {
        assertEquals(SurveyExportExample.csv(), Files.readString(examples("survey-export.csv"), StandardCharsets.UTF_8),
                "regenerate examples/survey-export.csv with SurveyExportExample.main");
    }

    @Test
    void everyRowOfTheSurveyExportImportsThroughItsMappingOntoASimulatedCustomerWithAProfile() throws Exception {
        List<CustomerInteraction> sent = new ArrayList<>();
        Serializer<CustomerInteraction> capture = (topic, e) -> {
            sent.add(e);
            return new byte[0];
        };
        FileImport<CustomerInteraction> fileImport = new FileImport<>(ImportMapping.load(examples("survey-export.mapping.yaml")),
                ContractCodec.interactions(Duration.ofHours(1)), capture, "interactions", System::currentTimeMillis, null);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        FileImport.Summary summary;
        try (MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer())) {
            summary = fileImport.run(new FileImport.Options(List.of(examples("survey-export.csv")), null,
                    Files.createTempFile("rejects", ".csv"), false, Progress.Mode.NONE), producer, quiet, quiet);
        }

        assertEquals(SurveyExportExample.ROWS, summary.imported(), "rejected: " + summary.rejected());
        CustomerJourneys population = new CustomerJourneys(SimulationConfig.defaults(), java.time.Instant.EPOCH);
        assertTrue(sent.stream().noneMatch(e -> population.segmentOf(e.getCustomerId()).equals(CustomerJourneys.UNASSIGNED)));
        assertTrue(sent.stream().anyMatch(e -> e.getTouchpoint() == Touchpoint.DELIVERY && e.getLikelihoodToRecommend() <= 6
                && population.segmentOf(e.getCustomerId()).equals(CustomerJourneys.HIGH_VALUE)), "the detractors at Delivery");
    }
}
