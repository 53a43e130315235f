package org.brandequity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.brandequity.model.FieldLimits;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md's limits table is generated from {@link FieldLimits#ALL}, between
 * {@code <!-- field-limits begin -->} and {@code <!-- field-limits end -->}; regenerate it with
 * {@code -Dreadme.regenerate=true}, as docs/configuration.md's config tables.
 */
class FieldLimitsDocTest {
    private static final String BEGIN = "<!-- field-limits begin -->\n";
    private static final String END = "<!-- field-limits end -->";

    static String table() {
        StringBuilder sb = new StringBuilder("| value | at most | why |\n|---|---|---|\n");
        for (FieldLimits.Limit l : FieldLimits.ALL) {
            String unit = l.unit().label().isEmpty() ? "" : " " + l.unit().label();
            sb.append("| ").append(l.field()).append(" | ").append(l.max()).append(unit).append(" | ").append(l.why()).append(" |\n");
        }
        return sb.toString();
    }

    @Test
    void theSecurityDocsLimitsTableIsTheOneFieldLimitsGenerates() throws IOException {
        Path doc = Files.exists(Path.of("docs", "security.md")) ? Path.of("docs", "security.md") : Path.of("..", "docs", "security.md");
        String text = Files.readString(doc);
        int from = text.indexOf(BEGIN);
        int to = text.indexOf(END);
        assertTrue(from >= 0 && to > from, "docs/security.md has no " + BEGIN.trim() + " ... " + END + " markers");
        String generated = table();
        if (Boolean.getBoolean(ReadmeTables.REGENERATE)) {
            Files.writeString(doc, text.substring(0, from + BEGIN.length()) + generated + text.substring(to));
            return;
        }
        assertEquals(generated, text.substring(from + BEGIN.length(), to), "docs/security.md's limits table differs from FieldLimits.ALL. Regenerate it with\n"
                + "  mvn -B -pl topology -am test -Dtest=FieldLimitsDocTest -Dsurefire.failIfNoSpecifiedTests=false -D"
                + ReadmeTables.REGENERATE + "=true");
    }
}
