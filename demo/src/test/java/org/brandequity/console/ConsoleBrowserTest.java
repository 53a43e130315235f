package org.brandequity.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.cluster.ClientProperties;
import org.brandequity.config.PipelineConfig;
import org.brandequity.deploy.Tools;
import org.brandequity.runtime.Pipeline;
import org.brandequity.runtime.RealCluster;
import org.brandequity.sim.SimulationConfig;
import org.brandequity.sim.Simulator;
import org.brandequity.topology.AppSerdes;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live console in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium), against a running pipeline on the real broker and registry with simulated customers:
 * a bad token gets the sign-in prompt and no data; the page loads with no console error; dropping the
 * event stream and reconnecting loses and repeats no update; a detractor answer of a high-value
 * customer tops the at-risk list within 3 s without a reload; and, once the input stops, every figure
 * on the page equals the API's answer. Screenshots go to target/console/.
 */
class ConsoleBrowserTest {
    private static final String TOKEN = "console-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path SHOTS = Path.of("target", "console");

    @Test
    void theConsoleShowsTheApisFiguresLiveAndResumesItsStreamWithoutLossOrRepeat() throws Exception {
        Path chromium = Tools.require("chromium", "chromium");
        Path chromedriver = Tools.require("chromedriver", "chromium-driver");
        Files.createDirectories(SHOTS);
        Simulator simulator = null;
        WebDriver browser = null;
        try (RealCluster cluster = new RealCluster()) {
            Map<String, String> overrides = Map.of(
                    "window.size", "10s", "window.advance", "5s", "window.grace", "2s", "segment.window.grace", "30s",
                    "model.equity.half.life", "10m", "simulator.rate", "200", "simulator.customers", "300",
                    "simulator.max.lateness", "2s", "simulator.incidents.default", "false");
            Properties props = PipelineConfig.loadProperties(null, Map.of(), Map.of());
            props.putAll(overrides);
            Map<String, String> settings = new HashMap<>(overrides);
            settings.keySet().removeIf(k -> k.startsWith("simulator."));
            settings.putAll(Map.of("equity.history.interval", "5s", "equity.history.retention", "1h", "api.auth.tokens", TOKEN));
            // Key drivers folded every 2 s, in the analysis from 10 answers per driver pair: the brand's 300
            // simulated customers reach OK in the test's first minute, so the chart (not only the
            // not-enough-data line) is checked against the API.
            settings.putAll(Map.of("drivers.emit.interval", "2s", "drivers.min.observations", "10"));
            PipelineConfig config = cluster.config("console", settings);
            try (Pipeline pipeline = new Pipeline(config).start()) {
                simulator = new Simulator(SimulationConfig.fromProperties(props), ClientProperties.producer(config), cluster.registry,
                        config.topics().interactions(), config.topics().profiles());
                Thread producer = new Thread(simulator::run, "simulator");
                producer.setDaemon(true);
                producer.start();

                ChromeOptions options = new ChromeOptions();
                options.setBinary(chromium.toFile());
                options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800");
                LoggingPreferences logs = new LoggingPreferences();
                logs.enable(LogType.BROWSER, Level.ALL);
                options.setCapability("goog:loggingPrefs", logs);
                browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).build(), options);
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
                String base = pipeline.apiUrl();

                // A bad token: the sign-in prompt, and no data.
                browser.get(base + "/");
                wait.until(b -> b.findElement(By.id("signin")).isDisplayed());
                browser.findElement(By.id("token")).sendKeys("not-the-token");
                browser.findElement(By.cssSelector("#signin-form button")).click();
                wait.until(b -> b.findElement(By.id("signin-error")).isDisplayed());
                assertTrue(!browser.findElement(By.id("console")).isDisplayed(), "no data without an accepted token");
                assertEquals("–", browser.findElement(By.id("equity-index")).getAttribute("textContent"));
                shot(browser, "signin");

                // The right token: the console, live.
                WebElement token = browser.findElement(By.id("token"));
                token.clear();
                token.sendKeys(TOKEN);
                browser.findElement(By.cssSelector("#signin-form button")).click();
                wait.until(b -> "live".equals(b.findElement(By.id("status")).getText()));
                wait.until(b -> !"–".equals(b.findElement(By.id("equity-index")).getText())
                        && b.findElement(By.cssSelector("#segments-table tbody")).findElements(By.tagName("tr")).size() > 0);

                // Drop the stream, reconnect: the ids carry on one by one, none lost, none twice.
                JavascriptExecutor js = (JavascriptExecutor) browser;
                long before = ((Number) js.executeScript("return window.__console.updates.length")).longValue();
                wait.until(b -> ((Number) js.executeScript("return window.__console.updates.length")).longValue() > before + 3);
                long cut = ((Number) js.executeScript("window.__console.disconnect(); return window.__console.updates.length")).longValue();
                wait.until(b -> ((Number) js.executeScript("return window.__console.updates.length")).longValue() > cut + 5);
                List<Long> ids = new ArrayList<>();
                for (Object id : (List<?>) js.executeScript("return window.__console.updates")) ids.add(((Number) id).longValue());
                int firstLive = (int) before;
                for (int i = firstLive + 1; i < ids.size(); i++) {
                    assertEquals(ids.get(i - 1) + 1, ids.get(i), "update ids after the snapshot, across the reconnect at " + cut + ": " + ids);
                }

                // A detractor answer of a high-value customer: at the top of the at-risk list within 3 s, no reload.
                AppSerdes serdes = new AppSerdes(cluster.registry);
                try (KafkaProducer<String, byte[]> p = cluster.producer()) {
                    CustomerProfile vip = CustomerProfile.newBuilder().setCustomerId("vip-console").setSegment("high-value")
                            .setValueWeight(50.0).setTier("platinum").setCustomerSince(null).build();
                    p.send(new ProducerRecord<>(config.topics().profiles(), vip.getCustomerId(),
                            serdes.profile().serializer().serialize(config.topics().profiles(), vip))).get();
                    Thread.sleep(500);
                    CustomerInteraction bad = CustomerInteraction.newBuilder().setEventId("vip-console-1").setCustomerId("vip-console")
                            .setEventTime(Instant.now()).setTouchpoint(Touchpoint.DELIVERY).setStage(LifecycleStage.PURCHASE)
                            .setRating(1).setLikelihoodToRecommend(0).build();
                    long sent = System.nanoTime();
                    p.send(new ProducerRecord<>(config.topics().interactions(), bad.getCustomerId(),
                            serdes.interaction().serializer().serialize(config.topics().interactions(), bad))).get();
                    new WebDriverWait(browser, Duration.ofSeconds(3)).until(b -> {
                        List<String> rows = atRiskIds(b);
                        return !rows.isEmpty() && "vip-console".equals(rows.get(0));
                    });
                    System.out.printf("console: detractor to the top of the at-risk list in %d ms%n", (System.nanoTime() - sent) / 1_000_000);
                }
                shot(browser, "live");

                // The input stops; once the figures settle, the page shows exactly the API's answers.
                simulator.stop();
                JsonNode equity = settled(base + "/equity");
                wait.until(b -> b.findElement(By.id("equity-events")).getText().equals(String.format(Locale.ROOT, "%,d", equity.get("events").asLong())));
                assertEquals(index(equity.get("index").asDouble()), browser.findElement(By.id("equity-index")).getText());
                assertEquals(String.format(Locale.ROOT, "%.1f", equity.get("stock").asDouble()), browser.findElement(By.id("equity-stock")).getText());
                JsonNode segments = settled(base + "/segments");
                wait.until(b -> segmentRows(b).equals(expectedSegmentRows(segments)));
                JsonNode atRisk = settled(base + "/customers/at-risk?limit=20");
                wait.until(b -> atRiskIds(b).equals(ids(atRisk)));
                // The charts: each one's data equals the API's answer for the same query.
                wait.withMessage(() -> "the history chart differs from /equity/history").until(b -> historyChartEqualsTheApi(b, base));
                wait.withMessage(() -> "the promise gap or the heat map differs from /equity").until(b -> promiseGapAndHeatMapEqualTheApi(b, base));
                // The brand's drivers: the chart equals /drivers, or, below the minimum, the not-enough-data line does.
                wait.withMessage(() -> "the key-driver chart differs from /drivers: " + lastDrivers).until(b -> driversChartEqualsTheApi(b, base, null));
                // A segment picked: the page asks for its drivers itself. High-value's 300-customer share has
                // fewer answers than the minimum in the test's minute (seen: n 5), so this checks the
                // not-enough-data line against the API, or the chart once it is OK.
                js.executeScript("const s = document.getElementById('drivers-segment'); s.value = 'high-value';"
                        + " s.dispatchEvent(new Event('change'));");
                wait.withMessage(() -> "the key-driver chart differs from /drivers?segment=high-value: " + lastDrivers)
                        .until(b -> driversChartEqualsTheApi(b, base, "high-value"));
                // A range the user picks (whole minutes, in the browser's time zone), around the history drawn.
                String series = "echarts.getInstanceByDom(document.getElementById('history-chart')).getOption().series[0].data";
                String from = (String) js.executeScript("const p = " + series + "; return localInput(new Date(p[0][0]));");
                String to = (String) js.executeScript("const p = " + series + "; return localInput(new Date(new Date(p[p.length - 1][0]).getTime() + 60000));");
                js.executeScript("document.getElementById('change-from').value = arguments[0];"
                        + " document.getElementById('change-to').value = arguments[1];"
                        + " document.querySelector('#change-form button[type=submit]').click();", from, to);
                wait.withMessage(() -> "the waterfall differs from /equity/change for the range picked").until(b -> waterfallEqualsTheApi(b, base));
                shot(browser, "settled");

                // Keyboard: Tab alone reaches the range picker, its buttons and the live switch, each with a visible focus.
                browser.findElement(By.tagName("body")).click();
                List<String> reached = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.TAB).perform();
                    String focused = (String) js.executeScript("const e = document.activeElement;"
                            + " return e && e !== document.body && getComputedStyle(e).outlineStyle !== 'none' ? (e.id || e.textContent.trim()) : null");
                    if (focused != null && !reached.contains(focused)) reached.add(focused);
                }
                assertTrue(reached.containsAll(List.of("change-from", "change-to", "Explain this range", "change-live")), "reached by Tab: " + reached);
                // The whole page, for docs/console.md and the README (-Dconsole.screenshot=<path> copies it there).
                browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 2600));
                Thread.sleep(1_500);
                shot(browser, "page");
                String copyTo = System.getProperty("console.screenshot");
                if (copyTo != null) Files.copy(SHOTS.resolve("page.png"), Path.of(copyTo), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

                List<String> errors = new ArrayList<>();
                for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) if (e.getLevel().intValue() >= Level.SEVERE.intValue()) errors.add(e.getMessage());
                // The stream's 401 before sign-in (the page asks once without a token: the demo needs none) and the
                // bad token's 403 are logged by the browser as failed resource loads: expected, and the only ones.
                errors.removeIf(m -> m.contains("/console/events") && (m.contains("401") || m.contains("403")));
                assertEquals(List.of(), errors, "console errors");
                assertEquals(List.of(), js.executeScript("return window.__console.errors"), "the page's own errors");
            }
        } finally {
            if (browser != null) browser.quit();
            if (simulator != null) {
                simulator.stop();
                simulator.close();
            }
        }
    }

    private static void shot(WebDriver browser, String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** The API's answer once two readings a second apart agree (the pipeline has drained its input). */
    private static JsonNode settled(String url) throws Exception {
        JsonNode previous = null;
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode now = JSON.readTree(r.body());
            if (r.statusCode() == 200 && now.equals(previous)) return now;
            previous = now;
            Thread.sleep(1_000);
        }
        throw new AssertionError(url + " did not settle: " + previous);
    }

    /** The history chart's two series equal the API's points (index as known now, as first published) over the chart's range. */
    private static boolean historyChartEqualsTheApi(WebDriver b, String base) {
        JsonNode series = chart(b, "history-chart");
        if (series.get(0).size() < 2) return false;
        String from = series.get(0).get(0).get(0).asText();
        String to = series.get(0).get(series.get(0).size() - 1).get(0).asText();
        JsonNode h = get(base + "/equity/history?from=" + from + "&to=" + to);
        List<String> known = new ArrayList<>();
        List<String> first = new ArrayList<>();
        for (JsonNode p : h.get("points")) {
            known.add(p.get("boundary").asText() + " " + two(p.get("index")));
            first.add(p.get("boundary").asText() + " " + two(p.get("firstPublishedIndex")));
        }
        return known.equals(pairs(series.get(0))) && first.equals(pairs(series.get(1)));
    }

    /** The promise-gap bars (touchpoints with volume, largest gap first) and the heat map's cells equal /equity's. */
    private static boolean promiseGapAndHeatMapEqualTheApi(WebDriver b, String base) {
        JsonNode e = get(base + "/equity");
        List<JsonNode> tps = new ArrayList<>();
        e.get("touchpoints").forEach(t -> { if (t.get("volume").asDouble() > 0) tps.add(t); });
        tps.sort((x, y) -> Double.compare(y.get("promiseGap").asDouble(), x.get("promiseGap").asDouble()));
        List<String> bars = new ArrayList<>();
        for (JsonNode t : tps) bars.add(t.get("touchpoint").asText() + " " + two(t.get("promiseGap")));
        JsonNode axis = JSON.valueToTree(((JavascriptExecutor) b).executeScript(
                "return echarts.getInstanceByDom(document.getElementById('gap-chart')).getOption().yAxis[0].data"));
        JsonNode gap = chart(b, "gap-chart").get(0);
        List<String> drawnBars = new ArrayList<>();
        for (int i = 0; i < gap.size(); i++) drawnBars.add(axis.get(i).asText() + " " + two(gap.get(i).get("value")));
        List<String> cells = new ArrayList<>();
        for (JsonNode c : e.get("segmentTouchpoints")) {
            cells.add(c.get("segment").asText() + " " + c.get("touchpoint").asText() + " " + two(c.get("perceived")) + " " + two(c.get("promiseGap")));
        }
        List<String> drawnCells = new ArrayList<>();
        for (JsonNode c : chart(b, "heat-chart").get(0)) {
            drawnCells.add(c.get(3).asText() + " " + c.get(4).asText() + " " + two(c.get(2)) + " " + two(c.get(5)));
        }
        cells.sort(null);
        drawnCells.sort(null);
        return bars.equals(drawnBars) && cells.equals(drawnCells);
    }

    /**
     * The key-driver chart equals {@code /drivers}'s OK answer (of the brand, or of {@code segment}):
     * the drivers in the analysis in the API's order, each bar its relative weight with "n.s." on the
     * label of an insignificant one, its 95 % interval, and its configured weight scaled to R²
     * (c_j × R² / Σ c over the drivers in); the not-enough-data line hidden. For a segment below
     * drivers.min.observations: the page's not-enough-data line names it, its n and the minimum.
     */
    private static boolean driversChartEqualsTheApi(WebDriver b, String base, String segment) {
        JsonNode d = get(base + "/drivers" + (segment == null ? "" : "?segment=" + segment));
        lastDrivers = "API status " + d.get("status").asText() + ", n " + d.get("n") + "; ";
        JavascriptExecutor js = (JavascriptExecutor) b;
        if ("NOT_ENOUGH_DATA".equals(d.get("status").asText())) {
            String says = (String) js.executeScript("const s = document.getElementById('drivers-state'); return s.hidden ? '' : s.textContent");
            lastDrivers += "the page says: " + says;
            // The test's minute of 300 simulated customers may leave the brand below the minimum too (seen in CI: n 50).
            return says.startsWith(segment == null ? "Not enough data for the whole brand " : "Not enough data for segment " + segment + " ")
                    && says.contains(": " + String.format(Locale.ROOT, "%,d", d.get("n").asLong()) + " answers")
                    && says.contains("minimum of " + String.format(Locale.ROOT, "%,d", d.get("minObservations").asLong()) + " ");
        }
        double total = 0;
        for (JsonNode x : d.get("drivers")) if ("IN".equals(x.get("status").asText())) total += x.get("configuredWeight").asDouble();
        List<String> expected = new ArrayList<>();
        for (JsonNode x : d.get("drivers")) {
            if (!"IN".equals(x.get("status").asText())) continue;
            expected.add(x.get("touchpoint").asText() + " " + three(x.get("relativeWeight")) + (x.get("significant").asBoolean() ? "" : " n.s.")
                    + " [" + three(x.get("lower")) + ", " + three(x.get("upper")) + "] "
                    + three(JSON.valueToTree(x.get("configuredWeight").asDouble() * d.get("rSquared").asDouble() / total)));
        }
        Object hidden = js.executeScript("return document.getElementById('drivers-state').hidden");
        JsonNode axis = JSON.valueToTree(js.executeScript(
                "const c = echarts.getInstanceByDom(document.getElementById('drivers-chart')); return c && c.getOption().yAxis ? c.getOption().yAxis[0].data : []"));
        if (axis.isEmpty()) {
            lastDrivers += "no chart drawn; the page says: " + js.executeScript("return document.getElementById('drivers-state').textContent");
            return false;
        }
        JsonNode series = chart(b, "drivers-chart");
        List<String> drawn = new ArrayList<>();
        for (int i = 0; i < axis.size(); i++) {
            JsonNode bar = series.get(0).get(i);
            JsonNode interval = series.get(1).get(i);
            JsonNode configured = series.get(2).get(i);
            drawn.add(axis.get(i).asText() + " " + three(bar.get("value")) + (bar.get("label").get("formatter").asText().endsWith(" n.s.") ? " n.s." : "")
                    + " [" + three(interval.get(0)) + ", " + three(interval.get(1)) + "] " + three(configured.get(0))
                    + (interval.get(2).asInt() == i && configured.get(1).asInt() == i ? "" : " on another row"));
        }
        lastDrivers += "expected " + expected + ", drawn " + drawn + ", not-enough-data line hidden " + hidden
                + ", page errors " + js.executeScript("return window.__console.errors");
        return Boolean.TRUE.equals(hidden) && expected.equals(drawn);
    }

    /** What the last key-driver comparison saw, for the failure message. */
    private static volatile String lastDrivers = "nothing compared yet";

    /** A number as the page rounds the key drivers (Math.round(v * 1000) / 1000), three decimals; null as null. */
    private static String three(JsonNode v) {
        return v == null || v.isNull() ? "null" : String.format(Locale.ROOT, "%.3f", Math.round(v.asDouble() * 1000) / 1000.0);
    }

    /**
     * The waterfall for the range the page asked for equals the API's change account for it: the index at
     * each end, and each of the top cells' new experience, decay and restatement (steps under 0.005 points
     * are not drawn) in the API's order.
     */
    private static boolean waterfallEqualsTheApi(WebDriver b, String base) {
        JavascriptExecutor js = (JavascriptExecutor) b;
        String from = (String) js.executeScript("return new Date(document.getElementById('change-from').value).toISOString()");
        String to = (String) js.executeScript("return new Date(document.getElementById('change-to').value).toISOString()");
        JsonNode c = get(base + "/equity/change?clamp=true&by=cell&top=8&from=" + from + "&to=" + to);
        List<String> expected = new ArrayList<>();
        expected.add("at from index " + two(c.at("/atFrom/index")));
        for (JsonNode g : c.get("groups")) {
            for (String[] kind : new String[][] {{"new experience", "newExperience"}, {"decay", "decay"}, {"restatement", "restatement"}}) {
                double v = g.get(kind[1]).get("index").asDouble();
                if (Math.abs(v) < 0.005) continue;
                expected.add(g.get("key").asText() + " · " + kind[0] + " " + kind[0] + " " + two(JSON.valueToTree(Math.abs(v))));
            }
        }
        expected.add("at to index " + two(c.at("/atTo/index")));
        JsonNode cats = JSON.valueToTree(js.executeScript(
                "return echarts.getInstanceByDom(document.getElementById('change-chart')).getOption().xAxis[0].data"));
        JsonNode series = chart(b, "change-chart");
        String[] names = {"base", "new experience", "decay", "restatement", "index"};
        List<String> drawn = new ArrayList<>();
        for (int i = 0; i < cats.size(); i++) {
            for (int s = 1; s < names.length; s++) {
                JsonNode v = series.get(s).get(i);
                if (v != null && !v.isNull()) drawn.add(cats.get(i).asText() + " " + names[s] + " " + two(v));
            }
        }
        return expected.equals(drawn);
    }

    /** Each series' data of the chart drawn in element {@code id}, as JSON. */
    private static JsonNode chart(WebDriver b, String id) {
        try {
            return JSON.readTree((String) ((JavascriptExecutor) b).executeScript(
                    "return JSON.stringify(echarts.getInstanceByDom(document.getElementById(arguments[0])).getOption().series.map(s => s.data))", id));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> pairs(JsonNode data) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : data) out.add(p.get(0).asText() + " " + two(p.get(1)));
        return out;
    }

    /** A number as the page rounds it for a chart (Math.round(v * 100) / 100), two decimals. */
    private static String two(JsonNode v) {
        return String.format(Locale.ROOT, "%.2f", Math.round(v.asDouble() * 100) / 100.0);
    }

    private static JsonNode get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new AssertionError(url + " -> " + r.statusCode() + " " + r.body());
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String index(double v) {
        return (v >= 0 ? "+" : "") + String.format(Locale.ROOT, "%.1f", v);
    }

    /** Read in one script, so that a table re-rendered meanwhile cannot leave a stale element. */
    @SuppressWarnings("unchecked")
    private static List<String> segmentRows(WebDriver b) {
        return (List<String>) ((JavascriptExecutor) b).executeScript("return [...document.querySelectorAll('#segments-table tbody tr')]"
                + ".map(tr => [...tr.cells]).map(td => td[0].textContent + ' | ' + td[2].textContent + ' | ' + td[3].textContent"
                + " + ' | ' + td[5].textContent)");
    }

    private static List<String> expectedSegmentRows(JsonNode segments) {
        List<String> rows = new ArrayList<>();
        for (JsonNode s : segments) {
            String nps = s.get("nps").isNull() ? "no answers" : (s.get("nps").asDouble() >= 0 ? "+" : "")
                    + String.format(Locale.ROOT, "%.1f ± %.1f", s.get("nps").asDouble(), s.get("npsMarginOfError").asDouble());
            rows.add(s.get("segment").asText() + " | " + nps + " | " + String.format(Locale.ROOT, "%,d", s.get("npsResponses").asLong())
                    + " | " + String.format(Locale.ROOT, "%,d", s.get("csatResponses").asLong()));
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static List<String> atRiskIds(WebDriver b) {
        return (List<String>) ((JavascriptExecutor) b).executeScript(
                "return [...document.querySelectorAll('#atrisk-table tbody tr:not(.resolved)')].map(tr => tr.dataset.customer)");
    }

    private static List<String> ids(JsonNode atRisk) {
        List<String> ids = new ArrayList<>();
        for (JsonNode a : atRisk) ids.add(a.get("customerId").asText());
        return ids;
    }
}
