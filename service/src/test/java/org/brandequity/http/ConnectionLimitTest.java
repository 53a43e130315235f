package org.brandequity.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.brandequity.config.HttpLimits;
import org.brandequity.config.PipelineConfig;
import org.brandequity.metrics.MetricsServer;
import org.brandequity.runtime.UnstartedStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * More silent clients than a port accepts ({@code http.max.connections}): the port stops accepting,
 * shortens the idle timeout of the connections it holds to {@code http.idle.timeout.at.limit}, and
 * so answers {@code /health} again about that long later, the silent clients disconnected. Shown on
 * the metrics endpoint with 16 connections at most; real sockets on 127.0.0.1.
 */
@Timeout(60)
class ConnectionLimitTest {
    private final List<Socket> silent = new ArrayList<>();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private KafkaStreams streams;
    private MetricsServer metrics;

    @AfterEach
    void stop() throws IOException {
        for (Socket s : silent) s.close();
        if (metrics != null) metrics.close();
        if (streams != null) streams.close();
        registry.close();
    }

    @Test
    void atTheConnectionLimitSilentClientsAreDroppedAfterTheShortIdleTimeoutAndHealthIsAnsweredAgain() throws Exception {
        streams = UnstartedStreams.of("connection-limit-test");
        PipelineConfig config = PipelineConfig.defaults().with(Map.of("metrics.port", "0", "http.max.connections", "16",
                "http.idle.timeout", "30s", "http.idle.timeout.at.limit", "1s"));
        metrics = new MetricsServer(config.metrics(), config.http(), streams, registry, null);

        for (int i = 0; i < 16; i++) {
            // Jetty shortens the idle timeout of the connections it holds when the limit is reached;
            // one that arrives in the same instant is not registered yet. A flood builds up over
            // time: the last client comes once the others are held.
            if (i == 15) Thread.sleep(500);
            Socket s = new Socket("127.0.0.1", metrics.port());
            OutputStream out = s.getOutputStream();
            out.write('G');
            out.flush();
            silent.add(s);
        }
        long start = System.nanoTime();
        HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/health")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("/health at the connection limit (16 silent clients): answered in %d ms%n", took.toMillis());

        assertEquals("CREATED", r.body());
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "answered only after " + took.toMillis() + " ms: the 30 s idle timeout, not the 1 s one");
        int dropped = 0;
        for (Socket s : silent) {
            s.setSoTimeout(1);
            try {
                if (s.getInputStream().read() == -1) dropped++;
            } catch (SocketTimeoutException stillOpen) {
                // not dropped
            } catch (IOException reset) {
                dropped++;
            }
        }
        assertTrue(dropped > 0, "no silent client was disconnected");
    }
}
