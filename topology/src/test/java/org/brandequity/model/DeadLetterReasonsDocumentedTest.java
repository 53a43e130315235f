package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter reasons are a contract (dashboards and alert rules group by them): each one is
 * listed where consumers of the dead-letter topic look, and each one says in docs/model.md when it is given.
 */
class DeadLetterReasonsDocumentedTest {

    @Test
    void everyReasonIsListedInTheDeadLetterTopicsRowOfDownstreamMd() throws IOException {
        String row = lineContaining(Files.readString(doc("docs", "downstream.md")), "brandequity.dlq.reason");
        for (DeadLetterReason r : DeadLetterReason.values()) {
            assertTrue(row.contains("`" + r.name() + "`"), r + " is missing from docs/downstream.md's dead-letter row");
        }
    }

    @Test
    void everyReasonAppearsInTheModelPagesWhatIsCountedTable() throws IOException {
        String model = Files.readString(doc("docs", "model.md"));
        Matcher section = Pattern.compile("## 5\\. What is counted, and what is not(.*?)\\n## ", Pattern.DOTALL).matcher(model);
        assertTrue(section.find(), "docs/model.md section 5");
        for (DeadLetterReason r : DeadLetterReason.values()) {
            assertTrue(section.group(1).contains("`" + r.name() + "`"), r + " is missing from docs/model.md section 5");
        }
    }

    private static String lineContaining(String text, String needle) {
        for (String line : text.split("\n")) if (line.contains(needle)) return line;
        throw new AssertionError("no line with " + needle);
    }

    private static Path doc(String... parts) {
        Path here = Path.of("", parts);
        return Files.exists(here) ? here : Path.of("..", parts);
    }
}
