package org.brandequity.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's files as the doc-claim tests read them, from a module directory (tests run there) or the top. */
final class Docs {
    private Docs() {}

    /** The repository's top directory: the one holding {@code docs/}. */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.exists(p.resolve("pom.xml"))) return p;
        }
        throw new IllegalStateException("no docs/ above " + here);
    }

    static String read(String relative) {
        try {
            return Files.readString(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of {@code doc} from the heading {@code heading} (a whole line) to the next heading of its level or higher. */
    static String section(String doc, String heading) {
        String text = read(doc);
        int start = text.indexOf("\n" + heading + "\n");
        if (start < 0) throw new AssertionError(doc + " has no heading '" + heading + "'");
        int level = heading.indexOf(' ');
        Matcher next = Pattern.compile("\n#{1," + level + "} ").matcher(text);
        int end = next.find(start + heading.length() + 1) ? next.start() : text.length();
        return text.substring(start, end);
    }

    private static final Map<String, Integer> WORDS = Map.ofEntries(Map.entry("one", 1), Map.entry("two", 2),
            Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
            Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12));

    /** A count as the docs write it: a word up to twelve, or digits. */
    static int number(String text) {
        Integer word = WORDS.get(text.toLowerCase());
        return word != null ? word : Integer.parseInt(text);
    }

    /** Every match of {@code regex}'s first group in {@code text}. */
    static List<String> all(String text, String regex) {
        return Pattern.compile(regex).matcher(text).results().map(m -> m.group(1)).toList();
    }
}
