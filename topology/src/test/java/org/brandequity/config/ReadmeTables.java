package org.brandequity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The config tables of docs/configuration.md are generated from the {@link ConfigSection}s: each sits between
 * {@code <!-- config-table:NAME begin -->} and {@code <!-- config-table:NAME end -->}. Run a test
 * with {@code -Dreadme.regenerate=true} to rewrite them from the definitions.
 */
public final class ReadmeTables {
    public static final String REGENERATE = "readme.regenerate";

    private ReadmeTables() {}

    /** docs/configuration.md, from a module directory (where surefire runs) or the root. */
    public static Path readme() {
        Path here = Path.of("docs", "configuration.md");
        Path up = Path.of("..", "docs", "configuration.md");
        return Files.exists(up) && Files.exists(Path.of("..", "pom.xml")) && !Files.exists(here) ? up : here;
    }

    /**
     * Asserts that docs/configuration.md's table of {@code section} is what its definition generates, or
     * rewrites it when {@code -Dreadme.regenerate=true}.
     */
    public static void assertUpToDate(ConfigSection section, String module, String testClass) {
        Path readme = readme();
        String begin = "<!-- config-table:" + section.name() + " begin -->\n";
        String end = "<!-- config-table:" + section.name() + " end -->";
        String text;
        try {
            text = Files.readString(readme);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertTrue(from >= 0 && to > from, "docs/configuration.md has no " + begin.trim() + " ... " + end + " markers");
        String current = text.substring(from + begin.length(), to);
        String generated = ConfigTable.markdown(section);
        if (Boolean.getBoolean(REGENERATE)) {
            try {
                Files.writeString(readme, text.substring(0, from + begin.length()) + generated + text.substring(to));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        assertEquals(generated, current, "docs/configuration.md's " + section.name() + " config table differs from its ConfigDef. Regenerate it with\n"
                + "  mvn -B -pl " + module + " test -Dtest=" + testClass + " -Dsurefire.failIfNoSpecifiedTests=false -D" + REGENERATE + "=true\n"
                + "(or paste the output of `java -jar service/target/brand-equity.jar config`, `java -jar demo/target/brand-equity-demo.jar config --for demo`)");
    }
}
