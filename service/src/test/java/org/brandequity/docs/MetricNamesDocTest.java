package org.brandequity.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code brandequity_*} metric the docs, the dashboards and the alert rules name is one the code
 * registers: a meter name given to Micrometer in the main sources, as Prometheus shows it (a counter
 * with {@code _total}, a timer with {@code _seconds} and its {@code _bucket}, {@code _count}, {@code _sum},
 * {@code _max}). Partial names ({@code brandequity_segment_…}, {@code _csat_lower}) are not judged.
 */
class MetricNamesDocTest {
    private static final Pattern NAME = Pattern.compile("brandequity_[a-z_]*[a-z]\\b");
    private static final Pattern METER = Pattern.compile("\"(brandequity_[a-z_]*[a-z])\"");

    /** Meter names as the main sources give them to Micrometer's builders. */
    static Set<String> registered() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path sources : sourceRoots()) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = METER.matcher(Files.readString(f));
                    while (m.find()) names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** The main sources of every module. */
    private static Set<Path> sourceRoots() throws IOException {
        Set<Path> roots = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(Docs.root())) {
            for (Path d : dirs.toList()) if (Files.isDirectory(d.resolve("src/main/java"))) roots.add(d.resolve("src/main/java"));
        }
        return roots;
    }

    static boolean isRegistered(String shown, Set<String> meters) {
        for (String suffix : new String[] {"", "_total", "_seconds", "_seconds_bucket", "_seconds_count", "_seconds_sum", "_seconds_max"}) {
            if (shown.endsWith(suffix) && meters.contains(shown.substring(0, shown.length() - suffix.length()))) return true;
        }
        return false;
    }

    @Test
    void everyMetricTheDocsDashboardsAndRulesNameIsRegistered() throws IOException {
        Set<String> meters = registered();
        assertFalse(meters.isEmpty(), "no meter names found in the main sources");
        TreeMap<String, Set<String>> unknown = new TreeMap<>();
        int judged = 0;
        for (Path file : documents()) {
            Matcher m = NAME.matcher(Files.readString(file));
            while (m.find()) {
                judged++;
                if (!isRegistered(m.group(), meters)) unknown.computeIfAbsent(m.group(), k -> new TreeSet<>()).add(Docs.root().relativize(file).toString());
            }
        }
        assertTrue(judged > 0, "no metric names found in the docs");
        assertTrue(unknown.isEmpty(), "named but never registered (name: where): " + unknown + "; registered: " + meters);
    }

    private static Set<Path> documents() throws IOException {
        Set<Path> files = new TreeSet<>();
        Path root = Docs.root();
        files.add(root.resolve("README.md"));
        for (String dir : new String[] {"docs", "grafana/dashboards", "deploy"}) {
            try (Stream<Path> walk = Files.walk(root.resolve(dir))) {
                walk.filter(f -> f.toString().matches(".*\\.(md|json|ya?ml)$")).forEach(files::add);
            }
        }
        return files;
    }
}
