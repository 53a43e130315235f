package org.brandequity.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Touchpoint;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;
import org.brandequity.runtime.Pipeline;
import org.brandequity.sim.CustomerJourneys;
import org.brandequity.wire.ConfluentAvroSerde;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Phase "console": the live console in a real headless Chromium (Debian's chromium and
 * chromium-driver, driven by Selenium), on a pipeline holding at least 1,000 equity cells.
 *
 * <ol>
 *   <li><b>First paint.</b> {@code bench.console.segments} segments &times; 18 touchpoints &times; 2
 *   stages, one event per cell, are folded first. Then the page is loaded {@code bench.console.loads}
 *   times; each load reports its first contentful paint and the moment every panel of the stream's
 *   snapshot was drawn (the page's {@code console:<panel>} User Timing marks), both from navigation
 *   start.</li>
 *   <li><b>Update to the browser.</b> The simulator's traffic at {@code bench.console.rate} events/s
 *   (event time = wall clock) while the page stays open, and among it, once a second, a probe customer
 *   (watched segment, a value weight above every earlier probe's, so that they top the at-risk list)
 *   whose failed delivery fires an at-risk alert. Per probe: produce to the FIRING alert on the topic
 *   (as the alertlatency phase), produce to the page's first at-risk update that lists them
 *   (the page's own clock, {@code Date.now()}, the same machine clock as the producer's), and the
 *   difference, alert to browser: what the console adds.</li>
 * </ol>
 */
final class ConsolePhase extends Phase {
    private static final String PROBE_PREFIX = "console-probe-";
    /** The preloaded cells' events spread over the last 3 minutes of event time: history points to draw. */
    private static final long PRELOAD_SPAN_MS = 180_000;
    private static final List<String> PANELS = List.of("equity", "history", "change", "segments", "atRisk");

    ConsolePhase(BenchRun run) {
        super(run);
    }

    @Override
    void run() throws Exception {
        // The demo's history step, so that the index history and the change account have points to draw.
        PipelineConfig config = config("console").with(Map.of("equity.history.interval", "1m", "equity.history.retention", "1d"));
        if (config.closedLoop().segments().isEmpty()) {
            throw new IllegalArgumentException("console needs a watched segment (closedloop.segments is empty)");
        }
        String watched = config.closedLoop().segments().iterator().next();
        Touchpoint touchpoint = config.closedLoop().touchpoints().isEmpty() ? Touchpoint.DELIVERY
                : config.closedLoop().touchpoints().iterator().next();
        Path chromium = executable("chromium");
        Path chromedriver = executable("chromedriver");
        TopicAdmin.ensureTopics(config);
        CustomerJourneys journeys = new CustomerJourneys(Input.simulation(o.simulator, 44, o.customers, Duration.ofMillis(1)), Instant.now());
        int rate = o.consoleRate;
        long total = (long) rate * o.rateSeconds;
        int probes = Math.max(1, o.rateSeconds);
        long every = total / probes;
        Map<String, Object> r = new LinkedHashMap<>();
        Serializer<CustomerInteraction> ser = serdes.interaction().serializer();
        Serializer<CustomerProfile> profileSer = serdes.profile().serializer();
        String topic = config.topics().interactions();
        try (KafkaProducer<String, byte[]> producer = Input.producer(broker.bootstrapServers(), 5)) {
            Input.sendProfiles(producer, journeys, config.topics().profiles(), serdes);
            List<Touchpoint> touchpoints = Arrays.stream(Touchpoint.values()).filter(t -> t != Touchpoint.OTHER).toList();
            LifecycleStage[] stages = {LifecycleStage.AWARENESS, LifecycleStage.LOYALTY};
            long cells = 0;
            long cellCount = (long) o.consoleSegments * touchpoints.size() * stages.length;
            long now = System.currentTimeMillis();
            for (int s = 0; s < o.consoleSegments; s++) {
                String segment = String.format("segment-%02d", s);
                for (Touchpoint t : touchpoints) {
                    for (LifecycleStage stage : stages) {
                        String customer = "cell-" + segment + "-" + t + "-" + stage;
                        CustomerProfile profile = CustomerProfile.newBuilder().setCustomerId(customer).setSegment(segment)
                                .setValueWeight(1.0).setCustomerSince(null).build();
                        producer.send(new ProducerRecord<>(config.topics().profiles(), customer, profileSer.serialize(config.topics().profiles(), profile)));
                        CustomerInteraction e = CustomerInteraction.newBuilder().setEventId(customer + "-1").setCustomerId(customer)
                                .setEventTime(Instant.ofEpochMilli(now - PRELOAD_SPAN_MS + cells * PRELOAD_SPAN_MS / cellCount)).setTouchpoint(t).setStage(stage)
                                .setRating(1 + (int) (cells % 5)).build();
                        producer.send(new ProducerRecord<>(topic, customer, ser.serialize(topic, e)));
                        cells++;
                    }
                }
            }
            for (int k = 0; k < probes; k++) {
                CustomerProfile profile = CustomerProfile.newBuilder().setCustomerId(probe(k)).setSegment(watched).setTier("gold")
                        .setValueWeight(1_000.0 + k).setCustomerSince(null).build();
                producer.send(new ProducerRecord<>(config.topics().profiles(), probe(k), profileSer.serialize(config.topics().profiles(), profile)));
            }
            producer.flush();
            log("console: %,d cells (%d segments x %d touchpoints x %d stages) and %,d probe customers written; starting the pipeline",
                    cells, o.consoleSegments, touchpoints.size(), stages.length, probes);
            r.put("cells", cells);
            WebDriver browser = null;
            try (EquityWatcher equity = new EquityWatcher(broker.bootstrapServers(), config.topics().equity(), serdes.brandEquity().deserializer());
                 AlertWatcher alerts = new AlertWatcher(broker.bootstrapServers(), config.topics().customerAlerts(), PROBE_PREFIX,
                         new ConfluentAvroSerde<>(registry, CustomerAlert.class, false).deserializer());
                 Pipeline pipeline = new Pipeline(config).start()) {
                awaitRunning(pipeline.streams(), Duration.ofSeconds(60));
                if (equity.awaitAtLeast(cells, Duration.ofSeconds(o.timeoutSeconds)) < 0) {
                    throw new IllegalStateException("the pipeline did not fold the " + cells + " cells' events; latest equity: " + equity.latest());
                }
                browser = chromium(chromium, chromedriver);
                JavascriptExecutor js = (JavascriptExecutor) browser;
                r.put("firstPaint", firstPaint(browser, js, pipeline.apiUrl()));

                // The page stays open; the probes among the traffic are timed to it.
                js.executeScript("window.__probes = {}; window.__console.listeners.push((event, data, at) => {"
                        + " if (event !== 'atRisk') return;"
                        + " for (const c of data) if (c.customerId.startsWith('" + PROBE_PREFIX + "') && !(c.customerId in window.__probes))"
                        + " window.__probes[c.customerId] = at; });");
                long[] sentNanos = new long[probes];
                long[] sentMillis = new long[probes];
                double loadBefore = Machine.load1();
                Pacer pacer = new Pacer(rate);
                long t0 = pacer.startNanos();
                long measuredFrom = t0 + TimeUnit.SECONDS.toNanos(o.warmupSeconds);
                int sent = 0;
                for (long i = 0; i < total; i++) {
                    pacer.awaitSend(i);
                    CustomerInteraction e = journeys.next(Instant.now());
                    producer.send(new ProducerRecord<>(topic, e.getCustomerId(), ser.serialize(topic, e)));
                    if (i % every == every / 2 && sent < probes) {
                        CustomerInteraction p = AlertLatencyPhase.failedDelivery(PROBE_PREFIX + "event-" + sent, probe(sent), touchpoint);
                        byte[] value = ser.serialize(topic, p);
                        sentMillis[sent] = System.currentTimeMillis();
                        sentNanos[sent] = System.nanoTime();
                        producer.send(new ProducerRecord<>(topic, p.getCustomerId(), value));
                        sent++;
                    }
                }
                producer.flush();
                double sendSeconds = (System.nanoTime() - t0) / 1e9;
                alerts.awaitFired(sent, Duration.ofSeconds(o.latencyDrainSeconds));
                Map<?, ?> seen = Map.of();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.latencyDrainSeconds);
                while (System.nanoTime() < deadline) {
                    seen = (Map<?, ?>) js.executeScript("return window.__probes");
                    if (seen.size() >= sent) break;
                    Machine.sleep(200);
                }
                List<Long> toBrowser = new ArrayList<>();
                List<Long> toAlert = new ArrayList<>();
                List<Long> alertToBrowser = new ArrayList<>();
                int missing = 0;
                for (int k = 0; k < sent; k++) {
                    Object at = seen.get(probe(k));
                    Long alertNanos = alerts.firstFiring(probe(k));
                    if (at == null || alertNanos == null) missing++;
                    if (sentNanos[k] < measuredFrom || at == null || alertNanos == null) continue;
                    long browserMs = ((Number) at).longValue() - sentMillis[k];
                    long alertMs = (alertNanos - sentNanos[k]) / 1_000_000;
                    toBrowser.add(browserMs);
                    toAlert.add(alertMs);
                    alertToBrowser.add(browserMs - alertMs);
                }
                r.put("targetEventsPerSecond", rate);
                r.put("achievedSendEventsPerSecond", Math.round((total + sent) / sendSeconds));
                r.put("producerMaxBehindScheduleMs", round(pacer.maxBehindNanos() / 1e6, 1));
                r.put("probesSent", sent);
                r.put("probesMeasured", toBrowser.size());
                r.put("probesNotSeen", missing);
                r.put("produceToBrowserMs", quantiles(toBrowser));
                r.put("produceToAlertMs", quantiles(toAlert));
                r.put("alertToBrowserMs", quantiles(alertToBrowser));
                r.put("browserErrors", js.executeScript("return window.__console.errors"));
                r.put("load1Before", loadBefore);
                r.put("load1", Machine.load1());
                Map<?, ?> fp = (Map<?, ?>) r.get("firstPaint");
                log("console: first paint with %,d cells: contentful %s ms, all panels %s ms (median of %d loads); %,d events/s: "
                                + "at-risk probe to the browser p50 %s ms, p99 %s ms (alert to browser p99 %s ms), %d probes%s (load %.2f)",
                        cells, fp.get("firstContentfulPaintMedianMs"), fp.get("allPanelsDrawnMedianMs"), o.consoleLoads, rate,
                        quantile(toBrowser, "p50Ms"), quantile(toBrowser, "p99Ms"), quantile(alertToBrowser, "p99Ms"), toBrowser.size(),
                        missing == 0 ? "" : " -- " + missing + " not seen in the browser or on the alert topic", Machine.load1());
                table.add("| console | first paint, " + fmt(cells) + " cells, " + o.consoleLoads + " loads | first contentful paint median "
                        + fp.get("firstContentfulPaintMedianMs") + " ms (slowest " + fp.get("firstContentfulPaintMaxMs") + " ms), every panel drawn median "
                        + fp.get("allPanelsDrawnMedianMs") + " ms (slowest " + fp.get("allPanelsDrawnMaxMs") + " ms) | load " + r.get("load1Before") + " |");
                table.add("| console | " + fmt(rate) + " events/s (" + fmt(number(r, "achievedSendEventsPerSecond")) + " sent), at-risk probe to the browser, "
                        + fmt(toBrowser.size()) + " probes | p50 " + quantile(toBrowser, "p50Ms") + " ms, p99 " + quantile(toBrowser, "p99Ms")
                        + " ms; alert to browser p99 " + quantile(alertToBrowser, "p99Ms") + " ms" + (missing == 0 ? "" : " (" + missing + " probes not seen)")
                        + " | load " + r.get("load1") + " |");
            } finally {
                if (browser != null) browser.quit();
            }
        }
        results.put("console", r);
    }

    /** Loads the page {@code bench.console.loads} times: first contentful paint and every panel drawn, from navigation start. */
    private Map<String, Object> firstPaint(WebDriver browser, JavascriptExecutor js, String apiUrl) {
        List<Long> contentful = new ArrayList<>();
        List<Long> allDrawn = new ArrayList<>();
        for (int i = 0; i < o.consoleLoads; i++) {
            browser.get(apiUrl + "/");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Map<?, ?> marks = null;
            while (System.nanoTime() < deadline) {
                Map<?, ?> now = (Map<?, ?>) js.executeScript("const m = {}; for (const e of performance.getEntriesByType('mark')) m[e.name] = e.startTime;"
                        + " for (const e of performance.getEntriesByType('paint')) m[e.name] = e.startTime; return m;");
                marks = now;
                if (PANELS.stream().allMatch(p -> now.containsKey("console:" + p)) && now.containsKey("first-contentful-paint")) break;
                Machine.sleep(50);
            }
            Map<?, ?> m = marks;
            if (m == null || !PANELS.stream().allMatch(p -> m.containsKey("console:" + p))) {
                throw new IllegalStateException("the console did not draw every panel within 30 s: " + m);
            }
            contentful.add(Math.round(((Number) m.get("first-contentful-paint")).doubleValue()));
            allDrawn.add(PANELS.stream().mapToLong(p -> Math.round(((Number) m.get("console:" + p)).doubleValue())).max().orElseThrow());
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("loads", o.consoleLoads);
        f.put("firstContentfulPaintMs", contentful);
        f.put("allPanelsDrawnMs", allDrawn);
        f.put("firstContentfulPaintMedianMs", median(contentful));
        f.put("firstContentfulPaintMaxMs", contentful.stream().mapToLong(Long::longValue).max().orElseThrow());
        f.put("allPanelsDrawnMedianMs", median(allDrawn));
        f.put("allPanelsDrawnMaxMs", allDrawn.stream().mapToLong(Long::longValue).max().orElseThrow());
        return f;
    }

    private static WebDriver chromium(Path chromium, Path chromedriver) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).build(), options);
    }

    /** {@code name} on the PATH, or a clear error saying what to install. */
    static Path executable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        throw new IllegalStateException("the console phase needs " + name + " on the PATH (Debian: apt-get install chromium chromium-driver), "
                + "or leave it out of bench.phases");
    }

    private static long median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[(sorted.length - 1) / 2];
    }

    private static Map<String, Object> quantiles(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("n", sorted.length);
        q.put("p50Ms", sorted.length == 0 ? -1 : quantile(sorted, 0.50));
        q.put("p90Ms", sorted.length == 0 ? -1 : quantile(sorted, 0.90));
        q.put("p99Ms", sorted.length == 0 ? -1 : quantile(sorted, 0.99));
        q.put("maxMs", sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
        return q;
    }

    private static Object quantile(List<Long> values, String which) {
        return quantiles(values).get(which);
    }

    private static String probe(int k) {
        return String.format("%s%06d", PROBE_PREFIX, k);
    }
}
