package org.brandequity.http;

import org.brandequity.config.HttpLimits;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The one Jetty setup of every HTTP port this project opens (the ingestion service, the query API,
 * the metrics endpoint), on Javalin: a bounded thread pool, one connector (plain or TLS only) with
 * an idle timeout, and Jetty's {@link NetworkConnectionLimit} on it. Jetty reads requests without
 * blocking a thread, so clients that open connections and send nothing hold a socket each, never a
 * request thread; the connection limit bounds the sockets, and the idle timeouts close them.
 *
 * <p>Also the start-up checks every port shares: a port already taken, and a bind beyond this
 * machine without credentials ({@link #requireCredentials}); each is one line naming the key to set.
 */
public final class HttpServers {
    private HttpServers() {}

    /** The bounded request-thread pool of one port, its threads named {@code name-<n>}. */
    public static QueuedThreadPool threadPool(String name, HttpLimits limits) {
        // Idle request threads beyond the minimum end after a minute, as Jetty's default does.
        QueuedThreadPool pool = new QueuedThreadPool(limits.maxThreads(), Math.min(HttpLimits.MIN_THREADS, limits.maxThreads()), 60_000);
        pool.setName(name);
        return pool;
    }

    /**
     * Puts {@code c}'s server on {@code host:port} with {@code pool} and {@code limits}; over https
     * only when {@code tls} is not null.
     */
    public static void configure(JavalinConfig c, QueuedThreadPool pool, String host, int port, SSLContext tls, HttpLimits limits) {
        c.startup.showJavalinBanner = false;
        c.startup.showOldJavalinVersionWarning = false;
        c.jetty.threadPool = pool;
        c.jetty.host = host;
        c.jetty.port = port;
        // The Server header would tell every client which Jetty version to look up vulnerabilities for.
        c.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
        // Javalin adds its own plain connector only when none was added: this one is the port's only connector.
        c.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, 1, 1, factories(http, tls));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(limits.idleTimeout().toMillis());
            return connector;
        });
        c.jetty.modifyServer(server -> {
            // Jetty's own limit: at maxConnections it stops accepting (new clients wait in the
            // kernel's backlog) and shortens the idle timeout of the open connections, so idle ones
            // make room within idleTimeoutAtLimit.
            NetworkConnectionLimit limit = new NetworkConnectionLimit(limits.maxConnections(), server);
            limit.setEndPointIdleTimeout(limits.idleTimeoutAtLimit().toMillis());
            server.addBean(limit);
        });
    }

    private static ConnectionFactory[] factories(HttpConfiguration http, SSLContext tls) {
        if (tls == null) return new ConnectionFactory[] {new HttpConnectionFactory(http)};
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls);
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer());
        return new ConnectionFactory[] {new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https)};
    }

    /**
     * Starts {@code app}; a port already in use is one line naming {@code portKey}.
     *
     * @throws IllegalArgumentException when the port is taken (the command exits 2 with it)
     */
    public static Javalin start(Javalin app, String host, int port, String portKey) {
        try {
            return app.start();
        } catch (JavalinBindException e) {
            app.stop();
            throw portTaken(host, port, portKey);
        }
    }

    /**
     * Fails fast, before anything else starts, when {@code host:port} is already in use; port 0
     * (any free port) always passes. The bind itself checks again ({@link #start}): another process
     * may take the port in between.
     *
     * @throws IllegalArgumentException naming {@code portKey}
     */
    public static void requireFree(String host, int port, String portKey) {
        if (port == 0) return;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw portTaken(host, port, portKey);
        }
    }

    private static IllegalArgumentException portTaken(String host, int port, String portKey) {
        return new IllegalArgumentException(portKey + " " + port + " is already in use on " + host + ": set " + portKey
                + " to a free port (0 picks one)");
    }

    /**
     * Refuses to serve beyond this machine without credentials: a {@code host} that is not a loopback
     * address needs {@code credentials}, unless {@code anonymous} says serving without them is meant.
     *
     * @param hostKey        the bind address's key, e.g. {@code api.host}
     * @param missingKey     the first credential key that is unset, e.g. {@code api.auth.tokens}
     * @param howToSet       what to set, e.g. {@code api.auth.tokens (or api.auth.tokens.file)}
     * @param anonymousKey   the key that allows serving without credentials, e.g. {@code api.auth.anonymous}
     * @throws IllegalArgumentException one line naming the keys (the command exits 2 with it)
     */
    public static void requireCredentials(String hostKey, String host, boolean credentials, String missingKey, String howToSet,
                                          String anonymousKey, boolean anonymous) {
        if (credentials || anonymous || loopback(host)) return;
        throw new IllegalArgumentException(hostKey + "=" + host + " without " + missingKey + ": set " + howToSet + ", or "
                + anonymousKey + "=true to serve without credentials on purpose");
    }

    /** Whether {@code host} names only this machine (127.0.0.0/8, ::1, localhost); an unknown name does not. */
    public static boolean loopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) return false;
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
