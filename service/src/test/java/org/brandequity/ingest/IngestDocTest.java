package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.config.ReadmeTables;
import org.junit.jupiter.api.Test;

/** docs/ingest.md shows the JSON Schemas the contracts derive, and its examples are accepted. */
class IngestDocTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static Path doc() {
        Path here = Path.of("docs", "ingest.md");
        return Files.exists(here) ? here : Path.of("..", "docs", "ingest.md");
    }

    @Test
    void theDocumentedInteractionSchemaIsTheOneTheContractDerives() throws IOException {
        assertSchemaUpToDate(CustomerInteraction.getClassSchema());
    }

    @Test
    void theDocumentedProfileSchemaIsTheOneTheContractDerives() throws IOException {
        assertSchemaUpToDate(CustomerProfile.getClassSchema());
    }

    @Test
    void theDocumentedInteractionExampleIsAccepted() throws IOException {
        List<Problem> problems = new ArrayList<>();
        // The example is a survey answer from the past: no clock skew bound matters.
        assertTrue(ContractCodec.interactions(Duration.ofDays(36_500)).decode(JSON.readTree(example("interactions")), 0,
                System.currentTimeMillis(), problems) != null, problems::toString);
    }

    @Test
    void theDocumentedProfileExampleIsAccepted() throws IOException {
        List<Problem> problems = new ArrayList<>();
        assertTrue(ContractCodec.profiles().decode(JSON.readTree(example("profiles")), 0, 0, problems) != null, problems::toString);
    }

    private static String example(String name) throws IOException {
        String text = Files.readString(doc());
        String marker = "<!-- example:" + name + " -->\n```json\n";
        int from = text.indexOf(marker);
        assertFalse(from < 0, "docs/ingest.md has no " + marker.trim());
        int start = from + marker.length();
        return text.substring(start, text.indexOf("```", start));
    }

    private static void assertSchemaUpToDate(Schema avro) throws IOException {
        Path doc = doc();
        String text = Files.readString(doc);
        String begin = "<!-- json-schema:" + avro.getName() + " begin -->\n";
        String end = "<!-- json-schema:" + avro.getName() + " end -->";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertTrue(from >= 0 && to > from, "docs/ingest.md has no " + begin.trim() + " ... " + end + " markers");
        String generated = "```json\n" + JSON.writeValueAsString(JsonSchemas.of(avro)) + "\n```\n";
        if (Boolean.getBoolean(ReadmeTables.REGENERATE)) {
            Files.writeString(doc, text.substring(0, from + begin.length()) + generated + text.substring(to));
            return;
        }
        assertEquals(generated, text.substring(from + begin.length(), to), "docs/ingest.md's JSON Schema of " + avro.getName()
                + " differs from what the contract derives; regenerate it with\n  mvn -B -pl service -am test"
                + " -Dtest=IngestDocTest -Dsurefire.failIfNoSpecifiedTests=false -D" + ReadmeTables.REGENERATE + "=true");
    }
}
