package org.brandequity.console;

import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's event stream ({@code GET /console/events}, server-sent events): a snapshot, then
 * changes, with a resume point.
 *
 * <p>Once a second, while at least one client is connected, the feed asks this instance's own query
 * API for each panel's answer ({@link #panels}); an answer that differs from the panel's previous one
 * becomes an <em>update</em>: the panel's whole new state, with the next id of one sequence (1, 2,
 * 3...). So a panel changes at most once a second, and every figure the page shows is exactly the
 * API's answer for the same query. A 503 (instances starting or rebalancing) becomes an update of
 * the {@code status} panel, which the page shows instead of passing the numbers off as current.
 *
 * <p>Resuming, as Materialize's SUBSCRIBE and RisingWave's subscriptions do: a client that
 * reconnects with {@code Last-Event-ID: n} gets every update after n that the feed still holds (the
 * last {@value #KEPT_UPDATES}), and then the live ones, with no update lost or repeated: both happen
 * under one lock. A client without the header, or whose n is older than what the feed holds, gets the
 * snapshot instead: the newest update of each panel (an update is a panel's whole state, so nothing
 * is lost by skipping older ones).
 *
 * <p>Limits: at most {@code maxClients} streams at once (the next is refused with 503, so that
 * streams cannot take the server's threads), {@value #KEPT_UPDATES} updates kept, and a comment every
 * {@value #KEEP_ALIVE_SECONDS} s so that the connection's idle timeout does not close a quiet stream.
 */
public final class ConsoleFeed implements AutoCloseable {
    static final int KEPT_UPDATES = 1_024;
    static final int KEEP_ALIVE_SECONDS = 5;
    private static final Logger log = LoggerFactory.getLogger(ConsoleFeed.class);

    /** One update: a panel's whole state (the API's JSON answer), numbered in one sequence. */
    record Update(long id, String panel, String json) {}

    private final Supplier<String> baseUrl;
    private final String token;
    private final Supplier<Map<String, String>> panels;
    private final int maxClients;
    private final HttpClient http;
    private final ArrayDeque<Update> kept = new ArrayDeque<>();
    private final Map<String, Update> latest = new LinkedHashMap<>();
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "console-feed");
        t.setDaemon(true);
        return t;
    });
    private long nextId = 1;
    private String lastState;
    private int ticks;

    /**
     * @param baseUrl this instance's query API, as it calls itself ({@code http://127.0.0.1:port})
     * @param token   a bearer token the API accepts, or null when it requires none
     * @param panels  each panel's name and API path (with query), asked anew each second (paths may
     *                name times relative to now)
     * @param tls     the TLS context the API is called with (the instances' own), or null over http
     */
    public ConsoleFeed(Supplier<String> baseUrl, String token, Supplier<Map<String, String>> panels, int maxClients,
                       javax.net.ssl.SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2));
        if (tls != null) b.sslContext(tls);
        this.http = b.build();
        this.baseUrl = baseUrl;
        this.token = token;
        this.panels = panels;
        this.maxClients = maxClients;
        poller.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** A new stream: refused beyond the limit, else replayed or snapshotted, then live. */
    public void connect(SseClient client) {
        if (clients.size() >= maxClients) {
            client.sendEvent("status", "{\"state\":\"TOO_MANY_STREAMS\",\"max\":" + maxClients + "}", null);
            client.close();
            return;
        }
        Long after = lastEventId(client.ctx().header("Last-Event-ID"));
        // While nobody watched, the panels were not asked: ask now, so that the snapshot is current.
        if (clients.isEmpty()) tick(true);
        synchronized (this) {
            List<Update> first = new ArrayList<>();
            if (after != null && !kept.isEmpty() && after >= kept.peekFirst().id() - 1) {
                for (Update u : kept) if (u.id() > after) first.add(u);
            } else {
                first.addAll(latest.values());
                first.sort(Comparator.comparingLong(Update::id));
            }
            for (Update u : first) send(client, u);
            clients.add(client);
        }
        client.onClose(() -> clients.remove(client));
        client.keepAlive();
    }

    private static Long lastEventId(String header) {
        if (header == null || header.isBlank() || header.length() > 19) return null;
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void tick() {
        tick(false);
    }

    /** Asks every panel and publishes what changed; skipped while no stream is open unless {@code always}. */
    private void tick(boolean always) {
        try {
            if (clients.isEmpty() && !always) return;
            Map<String, String> answers = new LinkedHashMap<>();
            String state = "RUNNING";
            for (Map.Entry<String, String> p : panels.get().entrySet()) {
                HttpResponse<String> r = get(p.getValue());
                if (r.statusCode() == 200) {
                    answers.put(p.getKey(), r.body());
                } else if (r.statusCode() == 503) {
                    state = "REBALANCING";
                } else if (r.statusCode() != 404) {
                    log.debug("console panel {}: HTTP {}", p.getKey(), r.statusCode());
                }
            }
            synchronized (this) {
                answers.forEach(this::publish);
                // The status is an update only when the state itself changes (its time would change every tick).
                if (!state.equals(lastState)) {
                    publish("status", "{\"state\":\"" + state + "\",\"at\":\"" + Instant.now() + "\"}");
                    lastState = state;
                }
            }
            if (++ticks % KEEP_ALIVE_SECONDS == 0) for (SseClient c : clients) c.sendComment("keep-alive");
        } catch (IOException e) {
            log.debug("console feed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("console feed failed a tick", e);
        }
    }

    /** A panel's new answer: an update when it differs from the previous one. */
    private void publish(String panel, String json) {
        Update previous = latest.get(panel);
        if (previous != null && previous.json().equals(json)) return;
        Update u = new Update(nextId++, panel, json);
        latest.put(panel, u);
        kept.addLast(u);
        if (kept.size() > KEPT_UPDATES) kept.removeFirst();
        for (SseClient c : clients) send(c, u);
    }

    private static void send(SseClient client, Update u) {
        if (!client.terminated()) client.sendEvent(u.panel(), u.json(), Long.toString(u.id()));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl.get() + path)).timeout(Duration.ofSeconds(5));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Streams open now. */
    public int clients() {
        return clients.size();
    }

    @Override
    public void close() {
        poller.shutdownNow();
        for (SseClient c : clients) c.close();
    }
}
