package org.brandequity.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana files: provisioning points at the dashboards' data source uid, panel ids are unique,
 * the template variables exist and are used, and each dashboard type-checks against
 * {@code @grafana/schema}'s {@code Dashboard} type (strict, excess properties rejected) through
 * grafana/typecheck (npm ci from the committed lockfile into target/, then tsc). Whether the
 * queries return data is {@code org.brandequity.runtime.DashboardQueriesTest}.
 */
class GrafanaDashboardsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GRAFANA = Tools.ROOT.resolve("grafana");
    private static final String DATASOURCE_UID = "brandequity-prometheus";
    private static final String QUERY_API_UID = "brandequity-query-api";

    @Test
    void panelsHaveUniqueIdsUseTheProvisionedDatasourceByUidAndTheVariables() throws Exception {
        String provisioning = Files.readString(GRAFANA.resolve("provisioning/datasources/brand-equity.yml"));
        assertTrue(provisioning.contains("uid: " + DATASOURCE_UID), "the provisioned Prometheus data source has uid " + DATASOURCE_UID);
        assertTrue(provisioning.contains("uid: " + QUERY_API_UID), "the provisioned query-API data source has uid " + QUERY_API_UID);
        assertTrue(Files.readString(GRAFANA.resolve("provisioning/dashboards/brand-equity.yml"))
                .contains("path: /var/lib/grafana/dashboards/brand-equity"));

        List<Path> files = dashboards();
        assertEquals(List.of("brand-equity.json", "closed-loop.json", "pipeline-health.json"),
                files.stream().map(f -> f.getFileName().toString()).toList());
        Set<String> uids = new HashSet<>();
        for (Path file : files) {
            JsonNode d = JSON.readTree(file.toFile());
            assertTrue(uids.add(d.path("uid").asText()), "duplicate dashboard uid in " + file);
            Set<Integer> ids = new HashSet<>();
            Set<String> variables = new HashSet<>();
            for (JsonNode v : d.path("templating").path("list")) {
                variables.add(v.path("name").asText());
                if (v.path("type").asText().equals("query")) {
                    assertEquals(DATASOURCE_UID, v.path("datasource").path("uid").asText(), file + " variable " + v.path("name"));
                }
            }
            assertTrue(variables.contains("instance"), file + " has an instance variable");
            StringBuilder exprs = new StringBuilder();
            for (JsonNode p : d.path("panels")) {
                String where = file.getFileName() + " panel '" + p.path("title").asText() + "'";
                assertTrue(ids.add(p.path("id").asInt()), "duplicate panel id " + p.path("id") + " in " + where);
                assertTrue(p.path("gridPos").path("w").asInt() > 0 && p.path("gridPos").path("h").asInt() > 0, where + " has a size");
                for (JsonNode t : p.path("targets")) {
                    assertEquals(p.path("datasource").path("uid").asText(), t.path("datasource").path("uid").asText(),
                            where + " target datasource is the panel's");
                    if (QUERY_API_UID.equals(t.path("datasource").path("uid").asText())) {
                        // The panels Prometheus cannot answer read the query API (DashboardQueriesTest calls each URL,
                        // with every value of a variable in it).
                        String url = t.path("url").asText();
                        exprs.append(url).append('\n');
                        List<String> urls = new ArrayList<>();
                        for (JsonNode v : d.path("templating").path("list")) {
                            if (!url.contains("${" + v.path("name").asText() + "}")) continue;
                            assertEquals("custom", v.path("type").asText(), where + ": a query-API URL takes custom variables only");
                            v.path("options").forEach(o -> urls.add(url.replace("${" + v.path("name").asText() + "}", o.path("value").asText())));
                        }
                        if (urls.isEmpty()) urls.add(url);
                        for (String u : urls) {
                            assertTrue(u.startsWith("/equity/") || u.equals("/drivers") || u.startsWith("/drivers?"), where + " reads a query-API endpoint: " + u);
                        }
                        continue;
                    }
                    assertEquals(DATASOURCE_UID, t.path("datasource").path("uid").asText(), where + " target datasource by uid");
                    assertTrue(!t.path("expr").asText().isBlank(), where + " has a query");
                    exprs.append(t.path("expr").asText()).append('\n');
                }
            }
            for (String v : variables) {
                assertTrue(exprs.toString().contains("$" + v) || exprs.toString().contains("${" + v + "}"), file + ": variable $" + v + " is used by no panel");
            }
        }
        for (String withSegments : List.of("brand-equity.json", "closed-loop.json")) {
            JsonNode dashboard = JSON.readTree(GRAFANA.resolve("dashboards").resolve(withSegments).toFile());
            List<String> names = new ArrayList<>();
            dashboard.path("templating").path("list").forEach(v -> names.add(v.path("name").asText()));
            assertTrue(names.contains("segment"), withSegments + " has a segment variable");
        }
    }

    @Test
    void dashboardsTypeCheckAgainstGrafanaSchema() throws Exception {
        Path npm = Tools.require("npm", "npm (or nodejs from a repository that bundles npm)");
        Path node = Tools.require("node", "nodejs");
        // npm ci into target/, from the committed lockfile: the source tree stays clean and the
        // versions are the reviewed ones.
        Path work = Path.of("target", "grafana-typecheck").toAbsolutePath();
        Files.createDirectories(work);
        for (String f : List.of("package.json", "package-lock.json", "check.mjs")) {
            Files.copy(GRAFANA.resolve("typecheck").resolve(f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(work.resolve("node_modules/@grafana/schema"))) {
            Tools.Result install = Tools.run(work, 300, npm.toString(), "ci", "--no-audit", "--no-fund", "--loglevel=error");
            assertEquals(0, install.exitCode(), "npm ci failed:\n" + install.output());
        }
        Tools.Result check = Tools.run(work, 180, node.toString(), "check.mjs", GRAFANA.resolve("dashboards").toString());
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("the canary with an unknown panel property was rejected"), check.output());
    }

    private static List<Path> dashboards() throws Exception {
        try (var s = Files.list(GRAFANA.resolve("dashboards"))) {
            return s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }
}
