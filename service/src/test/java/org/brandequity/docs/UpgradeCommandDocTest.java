package org.brandequity.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The golden-file command of docs/operations.md ("Upgrading") and docs/releasing.md runs as written:
 * its modules exist, it names test classes that exist, with the switches those tests read, and it
 * tolerates the modules that hold none of them (without -Dsurefire.failIfNoSpecifiedTests=false
 * Maven stops at the first such module).
 */
class UpgradeCommandDocTest {
    private static final String RECORD_COMMAND = "mvn -B -pl ";

    static List<String> commands(String doc) {
        // A command may continue over lines with a backslash; one command per match.
        String text = Docs.read(doc).replace("\\\n", " ");
        return Docs.all(text, "(" + RECORD_COMMAND + "[^`\\n]*-Dtest=[^`\\n]*GoldenTopologyTest[^`\\n]*)");
    }

    @Test
    void theGoldenFileCommandInTheDocsNamesExistingModulesAndTestsAndTheSwitchesTheyRead() throws Exception {
        for (String doc : List.of("docs/operations.md", "docs/releasing.md")) {
            List<String> commands = commands(doc);
            assertFalse(commands.isEmpty(), doc + " shows no golden-file command; update this test");
            for (String command : commands) {
                List<String> words = List.of(command.trim().split("\\s+"));
                assertTrue(words.contains("-Dsurefire.failIfNoSpecifiedTests=false"),
                        doc + ": without -Dsurefire.failIfNoSpecifiedTests=false the command fails in the first module without these tests: " + command);
                String modules = words.get(words.indexOf("-pl") + 1);
                for (String module : modules.split(",")) {
                    assertTrue(Files.exists(Docs.root().resolve(module).resolve("pom.xml")), doc + ": no module " + module + " in: " + command);
                }
                Set<String> switches = new TreeSet<>();
                for (String w : words) if (w.startsWith("-D") && w.endsWith("=true")) switches.add(w.substring(2, w.length() - 5));
                Set<String> read = new TreeSet<>();
                String tests = words.stream().filter(w -> w.startsWith("-Dtest=")).findFirst().orElseThrow().substring(7);
                for (String test : tests.split(",")) {
                    Class<?> c = Class.forName("org.brandequity.topology." + test);
                    for (Field f : c.getDeclaredFields()) {
                        if (f.getType() == String.class && java.lang.reflect.Modifier.isStatic(f.getModifiers())
                                && List.of("REGENERATE", "RECORD").contains(f.getName())) {
                            f.setAccessible(true);
                            read.add((String) f.get(null));
                        }
                    }
                }
                assertEquals(read, switches, doc + ": the switches the named tests read vs those the command sets: " + command);
            }
        }
    }
}
