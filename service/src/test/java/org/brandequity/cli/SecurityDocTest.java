package org.brandequity.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.brandequity.command.Cli;
import org.junit.jupiter.api.Test;

/** docs/security.md shows what the `acls` command prints for the default config, verbatim. */
class SecurityDocTest {
    /** The command the document shows, without the jar. */
    static final String[] COMMAND = {"acls", "--principal", "brand-equity", "--simulator-principal", "simulator",
            "--downstream-principal", "dashboard"};

    private static Path doc() {
        Path here = Path.of("docs", "security.md");
        return Files.exists(here) ? here : Path.of("..", "docs", "security.md");
    }

    @Test
    void theDocumentedAclListIsWhatTheAclsCommandPrintsForTheDefaultConfig() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Map.of());
        assertTrue(Main.commandLine("brand-equity.jar", cli).execute(COMMAND) == 0);
        String printed = out.toString(StandardCharsets.UTF_8);
        String shown = "$ java -jar brand-equity.jar " + String.join(" ", COMMAND) + "\n" + printed + "```";
        assertTrue(Files.readString(doc()).contains(shown),
                "docs/security.md must show, in a code block, exactly:\n" + shown);
    }
}
