package org.brandequity.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A schema registry speaking the Confluent Schema Registry REST API, run as a child JVM from the
 * jar the {@code registry} module builds (Apicurio Registry with in-memory storage).
 *
 * <p>The registry listens on 127.0.0.1 only, on a free port; its output goes to a log file, never
 * to the terminal. The child is stopped by {@link #close()}, by a shutdown hook when the parent JVM
 * exits (Ctrl-C included), and by the registry itself when the parent process disappears (kill -9).
 *
 * <p>Only the JDK is used here so that starting a registry adds no dependency to the application.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    /** System property naming the registry jar; checked first by {@link #locateJar()}. */
    public static final String JAR_PROPERTY = "brandequity.registry.jar";
    /** Where the registry module's build puts the jar, relative to the project root. */
    public static final String JAR_IN_PROJECT = "registry/target/brand-equity-registry-runner.jar";
    /** The Confluent REST API's base path in Apicurio Registry. */
    public static final String CONFLUENT_API_PATH = "/apis/ccompat/v7";
    /**
     * The global compatibility level set at start. Apicurio's own default is NONE, under which
     * every schema is accepted; BACKWARD is the Confluent registry's default.
     */
    public static final String DEFAULT_COMPATIBILITY = "BACKWARD";
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private static final String CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";
    private static final int PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedSchemaRegistry(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stopProcess, "schema-registry-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the registry from {@link #locateJar()}, logging into {@code logDir}. */
    public static EmbeddedSchemaRegistry start(Path logDir) {
        return start(locateJar(), logDir, DEFAULT_STARTUP_TIMEOUT);
    }

    /**
     * Starts the registry from {@code jar}, logging into {@code logDir}, and returns once it reports
     * ready and its global compatibility is {@link #DEFAULT_COMPATIBILITY}.
     *
     * @throws IllegalStateException when the registry exits early, is not ready within
     *     {@code startupTimeout}, or refuses the compatibility setting; the message carries the
     *     end of the registry's log
     */
    public static EmbeddedSchemaRegistry start(Path jar, Path logDir, Duration startupTimeout) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Schema registry jar not found: " + jar);
        }
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the registry's log directory " + logDir, e);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // The free port may be taken by someone else before the child binds it; try another then.
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Path logFile = logDir.resolve("schema-registry-" + port + ".log").toAbsolutePath();
            Process process = launch(jar, port, logFile);
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(process, port, logFile);
            try {
                registry.awaitReady(http, startupTimeout);
                registry.setGlobalCompatibility(http, DEFAULT_COMPATIBILITY);
                return registry;
            } catch (RuntimeException e) {
                registry.close();
                if (attempt < PORT_ATTEMPTS && registry.lostPortRace()) {
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * Finds the registry jar: the {@value #JAR_PROPERTY} system property, else
     * {@value #JAR_IN_PROJECT} under the working directory or one of its parents. (The demo has a
     * config key of its own, {@code demo.registry.jar}, and passes the jar explicitly.)
     *
     * @throws IllegalStateException when none of these names an existing file
     */
    public static Path locateJar() {
        String configured = System.getProperty(JAR_PROPERTY);
        String source = "system property " + JAR_PROPERTY;
        if (configured != null && !configured.isBlank()) {
            Path jar = Paths.get(configured).toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("The " + source + " names " + jar
                        + ", which does not exist. Build it with `mvn -B package -pl registry` at"
                        + " the project root, or fix the setting.");
            }
            return jar;
        }
        Path workingDir = Paths.get("").toAbsolutePath();
        for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve(JAR_IN_PROJECT);
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("Schema registry jar not found: no " + JAR_IN_PROJECT
                + " under " + workingDir + " or its parents, and the system property "
                + JAR_PROPERTY + " is not set."
                + " Build it with `mvn -B package -pl registry` at the project root.");
    }

    /** The base URL a Confluent Schema Registry client is given, e.g. http://127.0.0.1:PORT/apis/ccompat/v7. */
    public String url() {
        return "http://127.0.0.1:" + port + CONFLUENT_API_PATH;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    /** The child JVM's process, e.g. to check that it has ended after {@link #close()}. */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    /**
     * Leaves stopping the registry to the caller's own shutdown sequence instead of a JVM shutdown
     * hook of its own. Shutdown hooks run concurrently, so with its own hook the registry could
     * stop while the caller's pipeline is still committing and needs it (its last records then
     * fail to serialize). If this JVM dies without closing it, the registry's parent-process
     * watchdog still ends it.
     *
     * @return this registry
     */
    public synchronized EmbeddedSchemaRegistry stoppedByOwner() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running already; nothing to hand over.
        }
        return this;
    }

    /** Stops the registry: gracefully, then forcibly if it has not ended within 10 seconds. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; stopProcess is safe to run twice.
        }
    }

    private static Process launch(Path jar, int port, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        // C1 only: the registry serves a handful of requests, so startup time matters more.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dbrandequity.registry.parent-pid=" + ProcessHandle.current().pid());
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(logFile.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the schema registry: " + command, e);
        }
    }

    private void awaitReady(HttpClient http, Duration timeout) {
        URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The schema registry exited with code "
                        + process.exitValue() + " before it was ready." + logTail());
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Keep polling until the deadline.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The schema registry was not ready within " + timeout
                        + " (" + ready + ")." + logTail());
            }
            sleep(100);
        }
    }

    private void setGlobalCompatibility(HttpClient http, String level) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/config"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", CONFLUENT_JSON)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot set the registry's compatibility level." + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while configuring the schema registry", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("The schema registry refused compatibility " + level
                    + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    private boolean lostPortRace() {
        try {
            String log = Files.readString(logFile, StandardCharsets.UTF_8);
            return log.contains("Address already in use") || log.contains("Port already bound");
        } catch (IOException e) {
            return false;
        }
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return " Last lines of " + logFile + ":\n" + String.join("\n", tail);
        } catch (IOException | UncheckedIOException e) {
            return " (its log " + logFile + " cannot be read: " + e.getMessage() + ")";
        }
    }

    // The JVM running this code, not a launcher binary that may have started it (jpackage, IDE).
    private static String javaExecutable() {
        Path java = Paths.get(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("Cannot find the java executable"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free local port for the schema registry", e);
        }
    }

    private static File nullDevice() {
        return new File(isWindows() ? "NUL" : "/dev/null");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
        }
    }
}
