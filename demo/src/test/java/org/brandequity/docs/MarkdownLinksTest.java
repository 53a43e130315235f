package org.brandequity.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.brandequity.deploy.Tools;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the project's markdown (README.md, docs/, the other *.md files outside
 * build output) resolves: to an existing file or directory, and, when it names an anchor in a
 * markdown file, to a heading of that file, with GitHub's heading ids.
 */
class MarkdownLinksTest {

    private static final Parser PARSER = Parser.builder().build();

    @Test
    void everyRelativeLinkInTheMarkdownResolvesToAFileAndItsHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> files = markdownFiles();
        assertTrue(files.contains(Tools.ROOT.resolve("README.md")), "README.md is among " + files);
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (Path file : files) {
            for (String target : links(parse(file))) {
                if (target.isEmpty() || target.contains("://") || target.startsWith("mailto:")) continue;
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(Tools.ROOT.relativize(file) + ": " + target + " (no such file)");
                } else if (anchor != null && resolved.toString().endsWith(".md")
                        && !anchors.computeIfAbsent(resolved, MarkdownLinksTest::headingIds).contains(anchor)) {
                    broken.add(Tools.ROOT.relativize(file) + ": " + target + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken, "broken relative links");
    }

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> all = Files.walk(Tools.ROOT)) {
            return all.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> {
                        for (Path part : Tools.ROOT.relativize(p)) {
                            String name = part.toString();
                            if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) return false;
                        }
                        return true;
                    })
                    .sorted().toList();
        }
    }

    private static Node parse(Path file) {
        try {
            return PARSER.parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> links(Node document) {
        List<String> out = new ArrayList<>();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
                out.add(link.getDestination());
                visitChildren(link);
            }

            @Override
            public void visit(Image image) {
                out.add(image.getDestination());
            }
        });
        return out;
    }

    /** GitHub's ids: the heading's text in lower case, punctuation dropped, spaces as '-', repeats numbered. */
    private static Set<String> headingIds(Path file) {
        Set<String> ids = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        parse(file).accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                StringBuilder text = new StringBuilder();
                heading.accept(new AbstractVisitor() {
                    @Override
                    public void visit(Text t) {
                        text.append(t.getLiteral());
                    }

                    @Override
                    public void visit(Code c) {
                        text.append(c.getLiteral());
                    }
                });
                String id = text.toString().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                int n = seen.merge(id, 1, Integer::sum) - 1;
                ids.add(n == 0 ? id : id + "-" + n);
            }
        });
        return ids;
    }
}
