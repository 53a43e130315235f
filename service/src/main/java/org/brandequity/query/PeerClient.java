package org.brandequity.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks another instance of the application (its {@code application.server}) for the answer it owns:
 * over https when the API serves TLS, with the first bearer token when the API has tokens (every
 * instance is configured with the same ones), marked with {@link QueryApi#FORWARDED_HEADER} so a
 * forwarded query is never forwarded again. An instance that does not answer is {@link Unavailable}
 * and is logged at most once a minute.
 */
final class PeerClient {
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(QueryApi.class);

    /** An instance's answer as it came: status, body, and which instance's store answered. */
    record Reply(int status, byte[] body, String servedBy) {}

    private final HttpClient client;
    private final String scheme;
    private final List<Password> tokens;
    private final ObjectMapper json = new ObjectMapper();
    /** When each unreachable instance was last logged, epoch ms: one line a minute per instance, however many queries fail on it. */
    private final ConcurrentHashMap<String, Long> lastWarned = new ConcurrentHashMap<>();

    private final SSLContext tls;

    PeerClient(SSLContext tls, List<Password> tokens) {
        this.tls = tls;
        this.scheme = tls == null ? "http" : "https";
        this.tokens = List.copyOf(tokens);
        HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2));
        if (tls != null) client.sslContext(tls);
        this.client = client.build();
    }

    String scheme() {
        return scheme;
    }

    /** The TLS context instances trust each other with, or null over http. */
    SSLContext tls() {
        return tls;
    }

    /** {@code uri}'s path and query asked of {@code owner}, on behalf of {@code self}. */
    Reply forward(HostInfo self, HostInfo owner, URI uri) {
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://" + address(owner) + uri.getRawPath() + query))
                .header(QueryApi.FORWARDED_HEADER, address(self)).timeout(FORWARD_TIMEOUT).GET();
        // Every instance is configured with the same tokens; the first is the one instances use among themselves.
        if (!tokens.isEmpty()) request.header("Authorization", "Bearer " + tokens.get(0).value());
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.body(),
                    response.headers().firstValue(QueryApi.SERVED_BY_HEADER).orElse(address(owner)));
        } catch (IOException e) {
            // A crashed owner keeps its partitions until the group's session timeout expires.
            warnAtMostOncePerMinute(owner, e);
            throw new Unavailable("instance " + address(owner) + " owning this key does not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while forwarding to " + address(owner));
        }
    }

    /** Another instance's local part of a cluster-wide list ({@code localPart}, a {@code scope=local} query). */
    List<?> localPart(HostInfo self, HostInfo host, URI localPart) {
        Reply reply = forward(self, host, localPart);
        if (reply.status() == 503) throw new Unavailable("instance " + address(host) + " is not ready to answer");
        if (reply.status() != 200) throw new IllegalStateException("instance " + address(host) + " answered " + reply.status());
        try {
            return json.readValue(reply.body(), List.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void warnAtMostOncePerMinute(HostInfo owner, IOException e) {
        long now = System.currentTimeMillis();
        String peer = address(owner);
        Long last = lastWarned.get(peer);
        if ((last == null || now - last >= 60_000) && (last == null ? lastWarned.putIfAbsent(peer, now) == null
                : lastWarned.replace(peer, last, now))) {
            log.warn("Instance {} does not answer forwarded queries (503 to clients meanwhile): {}", peer, e.toString());
        }
    }

    static String address(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}
