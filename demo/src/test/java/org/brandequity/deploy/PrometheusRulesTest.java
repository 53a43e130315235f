package org.brandequity.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Prometheus and Alertmanager configuration under deploy/, checked by the real tools:
 * {@code promtool check rules}, {@code promtool test rules} (a firing and a non-firing case per
 * alert), {@code promtool check config}, {@code amtool check-config}, the documented routes, and
 * docs/operations.md's table of the alerts.
 * Needs the Debian packages prometheus and prometheus-alertmanager; fails without them.
 */
class PrometheusRulesTest {
    private static final Path PROMETHEUS = Tools.ROOT.resolve("deploy/prometheus");
    private static final Path RULES = PROMETHEUS.resolve("rules/brand-equity.rules.yml");
    private static final Path RULE_TESTS = PROMETHEUS.resolve("tests/brand-equity.test.yml");
    private static final Path ALERTMANAGER = Tools.ROOT.resolve("deploy/alertmanager/alertmanager.yml");

    @Test
    void rulesAreValid() throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        Tools.Result r = Tools.run(PROMETHEUS, 60, promtool.toString(), "check", "rules", RULES.toString());
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        Tools.Result r = Tools.run(PROMETHEUS, 120, promtool.toString(), "test", "rules", RULE_TESTS.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("SUCCESS"), r.output());
    }

    @Test
    void everyAlertHasAUnitTest() throws Exception {
        Set<String> alerts = matches(Files.readString(RULES), "(?m)^\\s*- alert: (\\w+)");
        Set<String> tested = matches(Files.readString(RULE_TESTS), "(?m)^\\s*alertname: (\\w+)");
        assertEquals(alerts, tested, "alerts in the rules vs alerts with a promtool test");
        assertTrue(alerts.size() >= 5, alerts.toString());
    }

    @Test
    void operationsGuideListsEveryAlertWithItsForDurationSeverityAndTeam() throws Exception {
        // docs/operations.md, "Alerts": | `Name` | fires when | for | severity / team |
        Map<String, String> documented = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `(BrandEquity\\w+)` \\| .* \\| (\\S+)[^|]* \\| (\\w+) / ([\\w-]+) \\|$")
                .matcher(Files.readString(Tools.ROOT.resolve("docs/operations.md")));
        while (row.find()) documented.put(row.group(1), row.group(2) + " " + row.group(3) + "/" + row.group(4));
        Map<String, String> rules = new TreeMap<>();
        Map<String, Object> doc = new Yaml().load(Files.readString(RULES));
        for (Object group : ComposeFileTest.list(doc.get("groups"))) {
            for (Object r : ComposeFileTest.list(ComposeFileTest.map(group).get("rules"))) {
                Map<String, Object> rule = ComposeFileTest.map(r);
                if (rule.get("alert") == null) continue;
                Map<String, Object> labels = ComposeFileTest.map(rule.get("labels"));
                rules.put((String) rule.get("alert"), (rule.get("for") == null ? "none" : rule.get("for")) + " "
                        + labels.get("severity") + "/" + labels.get("team"));
            }
        }
        assertEquals(rules, documented, "alert rules vs the Alerts table of docs/operations.md (for, severity/team)");
    }

    @Test
    void prometheusConfigIsValid() throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        // --syntax-only: the rule_files glob is where docker-compose mounts the rules, not here.
        Tools.Result r = Tools.run(PROMETHEUS, 60, promtool.toString(), "check", "config", "--syntax-only", "prometheus.yml");
        assertEquals(0, r.exitCode(), r.output());
    }

    @Test
    void alertmanagerConfigIsValidAndRoutesAsDocumented() throws Exception {
        Path amtool = Tools.require("amtool", "prometheus-alertmanager");
        Tools.Result check = Tools.run(ALERTMANAGER.getParent(), 60, amtool.toString(), "check-config", ALERTMANAGER.toString());
        assertEquals(0, check.exitCode(), check.output());
        assertEquals("pipeline-oncall", route(amtool, "alertname=BrandEquityPipelineStalled", "severity=page", "team=data-platform"));
        assertEquals("brand-insights", route(amtool, "alertname=BrandEquitySegmentScoreDrop", "severity=page", "team=brand-insights"));
        assertEquals("brand-insights", route(amtool, "alertname=BrandEquityHighValueAtRiskSpike", "severity=page", "team=brand-insights"));
        assertEquals("default", route(amtool, "alertname=BrandEquityDeadLetterSpike", "severity=ticket", "team=data-platform"));
    }

    private static String route(Path amtool, String... labels) throws Exception {
        String[] command = new String[5 + labels.length];
        command[0] = amtool.toString();
        command[1] = "config";
        command[2] = "routes";
        command[3] = "test";
        command[4] = "--config.file=" + ALERTMANAGER;
        System.arraycopy(labels, 0, command, 5, labels.length);
        Tools.Result r = Tools.run(ALERTMANAGER.getParent(), 60, command);
        assertEquals(0, r.exitCode(), r.output());
        // amtool prints the receiver without a newline and a warning about --alertmanager.url on
        // stderr, so in the merged output the two may share a line in either order.
        return r.output().replaceAll("Warning: [^\\n]*?--alertmanager\\.url\\.", "").trim();
    }

    private static Set<String> matches(String text, String regex) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
