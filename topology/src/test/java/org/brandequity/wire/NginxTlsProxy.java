package org.brandequity.wire;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real TLS-terminating, authenticating reverse proxy in front of a plain-http service: Debian's
 * nginx, run by the current user in the foreground with a generated config, every file (pid, logs,
 * temp directories) under {@code dir}. Two listeners on free loopback ports, both https with a
 * self-signed certificate for 127.0.0.1: one requires basic auth (an htpasswd file), the other the
 * header {@code Authorization: Bearer <token>}. Neither passes the credentials on upstream.
 */
public final class NginxTlsProxy implements AutoCloseable {
    private final Process process;
    private final Path dir;
    public final int basicAuthPort;
    public final int bearerPort;
    public final TestTls.Pem certificate;

    private NginxTlsProxy(Process process, Path dir, int basicAuthPort, int bearerPort, TestTls.Pem certificate) {
        this.process = process;
        this.dir = dir;
        this.basicAuthPort = basicAuthPort;
        this.bearerPort = bearerPort;
        this.certificate = certificate;
    }

    /** Proxies to {@code upstream} (host:port), accepting {@code user:password} on one port and {@code token} on the other. */
    public static NginxTlsProxy start(Path dir, String upstream, String user, String password, String token)
            throws IOException, InterruptedException {
        Path nginx = TestTls.tool("nginx", "nginx");
        Files.createDirectories(dir);
        TestTls.Pem pem = TestTls.selfSignedPem(dir, "proxy");
        Path htpasswd = dir.resolve("htpasswd");
        Files.writeString(htpasswd, TestTls.htpasswdLine(user, password) + "\n");
        int basicPort = freePort();
        int bearerPort = freePort();
        String d = dir.toAbsolutePath().toString();
        String location = "    location / {\n"
                + "      proxy_pass http://" + upstream + ";\n"
                + "      proxy_set_header Authorization \"\";\n"
                + "    }\n";
        // master_process off: one process under the current user, so no worker drops to 'nobody'
        // and loses access to the temp directory when the tests run as root (as in CI).
        String conf = "daemon off;\nmaster_process off;\npid " + d + "/nginx.pid;\nerror_log " + d + "/error.log info;\n"
                + "events { worker_connections 64; }\n"
                + "http {\n"
                + "  access_log " + d + "/access.log;\n"
                + "  client_body_temp_path " + d + "/client_body;\n  proxy_temp_path " + d + "/proxy;\n"
                + "  fastcgi_temp_path " + d + "/fastcgi;\n  uwsgi_temp_path " + d + "/uwsgi;\n  scgi_temp_path " + d + "/scgi;\n"
                + "  ssl_certificate " + pem.certificate().toAbsolutePath() + ";\n"
                + "  ssl_certificate_key " + pem.key().toAbsolutePath() + ";\n"
                + "  server {\n    listen 127.0.0.1:" + basicPort + " ssl;\n"
                + "    auth_basic \"schema registry\";\n    auth_basic_user_file " + htpasswd.toAbsolutePath() + ";\n"
                + location + "  }\n"
                + "  server {\n    listen 127.0.0.1:" + bearerPort + " ssl;\n"
                + "    if ($http_authorization != \"Bearer " + token + "\") { return 401; }\n"
                + location + "  }\n"
                + "}\n";
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process process = new ProcessBuilder(nginx.toString(), "-p", d, "-c", confFile.toAbsolutePath().toString(),
                "-e", d + "/error.log")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        NginxTlsProxy proxy = new NginxTlsProxy(process, dir, basicPort, bearerPort, pem);
        try {
            proxy.awaitListening(basicPort, Duration.ofSeconds(20));
            proxy.awaitListening(bearerPort, Duration.ofSeconds(20));
        } catch (RuntimeException | Error e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    private void awaitListening(int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                fail("nginx exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) fail("nginx did not listen on " + port + " within " + timeout + ":\n" + log());
                Thread.sleep(100);
            }
        }
    }

    private String log() throws IOException {
        StringBuilder out = new StringBuilder();
        for (String name : new String[] {"nginx.out", "error.log"}) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) out.append(Files.readString(f));
        }
        return out.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
