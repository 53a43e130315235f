package org.brandequity.console;

import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.brandequity.model.HistoryPolicy;

/**
 * Mounts the live console on a Javalin server (the query API's): the page and its assets under
 * {@value #ASSETS} (from the jar: {@code src/main/resources/console}), the charting library from its
 * WebJar at {@value #ECHARTS}, {@code /} redirecting to the page, and the event stream at
 * {@value #EVENTS}. The assets hold no data and are served without a token, so that the page can
 * ask for one; the event stream and every query the page makes need it, like any endpoint.
 */
public final class Console {
    public static final String ASSETS = "/console";
    public static final String EVENTS = "/console/events";
    public static final String PAGE = "/console/index.html";
    /** Streams one instance serves at once: each holds a connection, not a thread. */
    public static final int MAX_STREAMS = 32;
    /** ECharts from its WebJar (org.webjars.npm:echarts 5.3.1, Apache-2.0): no CDN, nothing fetched at run time. */
    public static final String ECHARTS = "/webjars/echarts/5.3.1/dist/echarts.min.js";

    /** Every asset by its path, read from the jar once: path -> {content type, bytes}. */
    private static final Map<String, Asset> ASSET_FILES = Map.of(
            PAGE, asset("console/index.html", "text/html; charset=utf-8"),
            ASSETS + "/console.js", asset("console/console.js", "text/javascript; charset=utf-8"),
            ASSETS + "/console.css", asset("console/console.css", "text/css; charset=utf-8"),
            ECHARTS, asset("META-INF/resources" + ECHARTS, "text/javascript; charset=utf-8"));

    private record Asset(String contentType, byte[] bytes) {}

    private static Asset asset(String resource, String contentType) {
        try (InputStream in = Console.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("the console asset " + resource + " is not in the jar");
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Console() {}

    /**
     * Registers the page, the assets and the stream; {@code feed} is asked for when a stream opens.
     * The four assets are served by exact routes, not Javalin's static files: the query API's
     * catch-all route would win over static files, and an exact list leaves nothing else reachable
     * without a token.
     */
    public static void mount(JavalinConfig c, Supplier<ConsoleFeed> feed) {
        c.routes.get("/", ctx -> ctx.redirect(PAGE));
        // The charting library's path names its version: a browser may keep it. The page, script and
        // stylesheet change with a release under the same path: the browser asks again each time.
        ASSET_FILES.forEach((path, a) -> c.routes.get(path, ctx -> ctx.contentType(a.contentType())
                .header("Cache-Control", path.equals(ECHARTS) ? "public, max-age=31536000, immutable" : "no-cache")
                .result(a.bytes())));
        c.routes.sse(EVENTS, client -> {
            ConsoleFeed f = feed.get();
            if (f == null) {
                client.sendEvent("status", "{\"state\":\"NOT_STARTED\"}", null);
                client.close();
                return;
            }
            f.connect(client);
        });
    }

    /** Whether {@code path} is exactly one of the console's assets (open: no data in them) or {@code /}. */
    public static boolean isAsset(String path) {
        return path.equals("/") || ASSET_FILES.containsKey(path);
    }

    /**
     * The panels the stream carries and the API path each is read from, as of now: the history of
     * the last 60 points, the change account over the last 10 history intervals (the page can ask
     * for another range itself), the brand's equity, every segment's latest window, the at-risk list,
     * the brand's key drivers (the page asks for a segment's itself).
     */
    public static Map<String, String> panels(HistoryPolicy history) {
        long now = System.currentTimeMillis();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("equity", "/equity");
        p.put("history", "/equity/history?clamp=true&from=" + Instant.ofEpochMilli(now - 60 * history.step()));
        p.put("change", "/equity/change?clamp=true&by=cell&top=8&from=" + Instant.ofEpochMilli(now - 10 * history.step()));
        p.put("segments", "/segments");
        p.put("atRisk", "/customers/at-risk?limit=20");
        // 404 until the first fold (drivers.emit.interval): the feed skips it, the page shows what to do.
        p.put("drivers", "/drivers");
        return p;
    }
}
