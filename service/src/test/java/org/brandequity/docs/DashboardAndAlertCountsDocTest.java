package org.brandequity.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/operations.md's dashboards and alert rules are those of grafana/dashboards and deploy/prometheus/rules, in number and name. */
class DashboardAndAlertCountsDocTest {
    @Test
    void theDashboardsOperationsMdDescribesAreTheProvisionedOnes() throws IOException {
        Set<String> provisioned = new TreeSet<>();
        try (Stream<Path> files = Files.list(Docs.root().resolve("grafana/dashboards"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                // The dashboard's own uid, indented once; panels and data sources have theirs deeper.
                List<String> uids = Docs.all(Files.readString(f), "\\n  \"uid\": \"([^\"]+)\"");
                assertEquals(1, uids.size(), f + ": expected one top-level uid");
                provisioned.add(uids.get(0));
            }
        }
        String described = Docs.section("docs/operations.md", "## Dashboards");
        assertEquals(provisioned, new TreeSet<>(Docs.all(described, "\\n\\* \\*\\*[^*]+\\*\\* \\(`([a-z-]+)`")));
    }

    @Test
    void theAlertCountAndTableInOperationsMdMatchTheRulesFile() throws IOException {
        Set<String> rules = new TreeSet<>(Docs.all(Files.readString(Docs.root().resolve("deploy/prometheus/rules/brand-equity.rules.yml")),
                "\\n\\s*- alert: (\\w+)"));
        String section = Docs.section("docs/operations.md", "## Alerts");
        List<String> counts = Docs.all(section, "and (\\w+) alerts:");
        assertEquals(1, counts.size(), "operations.md no longer says 'and N alerts:'; update this test");
        assertEquals(rules.size(), Docs.number(counts.get(0)), "operations.md counts " + counts.get(0) + " alerts; the rules file has " + rules);
        assertEquals(rules, new TreeSet<>(Docs.all(section, "\\n\\| `(\\w+)` \\|")));
    }
}
