package org.brandequity.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open live console as the pipeline sees it: a client of the console's event stream
 * ({@code /console/events}) reading every update for as long as it is open. The phases that measure
 * the on-time path open {@code bench.console.clients} of them beside the pipeline, so that their
 * figures show what an open console costs. A browser's rendering is not the pipeline's work: this
 * client does only what the server needs of a browser (hold the stream and read it).
 */
final class ConsoleClient implements AutoCloseable {
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong updates = new AtomicLong();
    private final Thread reader;
    private volatile InputStream body;
    private volatile boolean closed;

    ConsoleClient(String apiUrl) {
        reader = new Thread(() -> read(apiUrl), "console-client");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(String apiUrl) {
        while (!closed) {
            try {
                HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(apiUrl + "/console/events"))
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
                body = r.body();
                if (r.statusCode() != 200) throw new IOException("console stream answered HTTP " + r.statusCode());
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) if (line.startsWith("id:")) updates.incrementAndGet();
                }
            } catch (IOException e) {
                if (!closed) Phase.log("console client: %s; reconnecting", e.getMessage());
                Machine.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Updates received so far. */
    long updates() {
        return updates.get();
    }

    @Override
    public void close() {
        closed = true;
        InputStream b = body;
        if (b != null) {
            try {
                b.close();
            } catch (IOException ignored) {
                // closing an aborted stream: nothing to do
            }
        }
        reader.interrupt();
    }

    /** {@code n} clients on {@code apiUrl}: closing the result closes them all. */
    static AutoCloseable open(int n, String apiUrl, java.util.Map<String, Object> results) {
        ConsoleClient[] clients = new ConsoleClient[n];
        for (int i = 0; i < n; i++) clients[i] = new ConsoleClient(apiUrl);
        results.put("consoleClients", n);
        return () -> {
            long received = 0;
            for (ConsoleClient c : clients) {
                received += c.updates();
                c.close();
            }
            if (n > 0) results.put("consoleUpdatesReceived", received);
        };
    }
}
