package org.brandequity.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single Apache Kafka node in KRaft mode (broker and controller combined) running inside this JVM.
 *
 * <p>Meant for the demo and for tests: every replication setting is sized for one node so that
 * transactions and therefore exactly-once Kafka Streams work. The listeners bind to 127.0.0.1 only.
 * A node restarted on the same data directory keeps its topics, records and committed offsets.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().defaultPartitions(3).start()) {
 *     broker.createTopic("customer-profiles", 3, Map.of("cleanup.policy", "compact"));
 *     String bootstrap = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Secured mode: the listener clients use (SASL_SSL, SCRAM-SHA-512). */
    private static final String CLIENT_LISTENER = "CLIENT";
    /** Secured mode: the broker's own listener (mutual TLS), for its transaction markers and the fixture's admin calls. */
    private static final String INTERNAL_LISTENER = "INTERNAL";
    /** The SASL mechanism of the secured client listener. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    /** Kafka's ACL authorizer for KRaft clusters (ACLs stored in the metadata log). */
    public static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    private static final String HOST = "127.0.0.1";
    private static final String LOG_DIR_NAME = "kraft-combined-logs";

    private enum State { NEW, RUNNING, STOPPED, CLOSED }

    private final Path dataDirectory;
    private final boolean deleteDataDirectoryOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private final int defaultPartitions;
    private final Duration startupTimeout;
    private final Map<String, String> overrides;
    /** Null for the open (PLAINTEXT) broker. */
    private final TlsMaterial tls;
    private final int internalPort;

    private State state = State.NEW;
    private KafkaRaftServer server;
    private String clusterId;
    private Duration lastStartupDuration = Duration.ZERO;

    private EmbeddedKafkaBroker(Builder builder) {
        try {
            if (builder.dataDirectory == null) {
                this.dataDirectory = Files.createTempDirectory("embedded-kafka-");
                this.deleteDataDirectoryOnClose = true;
            } else {
                this.dataDirectory = Files.createDirectories(builder.dataDirectory.toAbsolutePath());
                this.deleteDataDirectoryOnClose = false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Kafka data directory", e);
        }
        // Ports are fixed at construction so that stop() then start() serves the same bootstrap
        // address, which lets clients of a restarted broker reconnect without being rebuilt.
        this.brokerPort = builder.brokerPort > 0 ? builder.brokerPort : freeLocalPort(builder.controllerPort);
        this.controllerPort = builder.controllerPort > 0 ? builder.controllerPort : freeLocalPort(brokerPort);
        this.defaultPartitions = builder.defaultPartitions;
        this.startupTimeout = builder.startupTimeout;
        this.overrides = Map.copyOf(builder.overrides);
        this.tls = builder.saslSsl ? TlsMaterial.generate(dataDirectory.resolve("tls"), BROKER_CERTIFICATE_NAME) : null;
        this.internalPort = builder.saslSsl ? freeLocalPort(brokerPort, controllerPort) : 0;
    }

    /** The certificate name of a secured broker: it is {@code User:CN=broker}, its only super user. */
    private static final String BROKER_CERTIFICATE_NAME = "broker";

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the storage if it has never been formatted, starts the node and waits until an admin
     * client sees it. Calling it on a stopped broker restarts it on the same data directory.
     *
     * @throws IllegalStateException if the broker is already running, closed, or does not become
     *                               ready within the startup timeout
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (state == State.RUNNING) {
            throw new IllegalStateException("Embedded Kafka broker is already running at " + bootstrapServers());
        }
        if (state == State.CLOSED) {
            throw new IllegalStateException("Embedded Kafka broker is closed and cannot be restarted");
        }
        long startedAt = System.nanoTime();
        KafkaConfig config = KafkaConfig.fromProps(serverProperties(), false);
        formatStorageIfNeeded();
        KafkaRaftServer candidate = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            candidate.startup();
            awaitBrokerVisible(startedAt);
        } catch (RuntimeException e) {
            shutdownQuietly(candidate);
            throw e;
        }
        server = candidate;
        state = State.RUNNING;
        lastStartupDuration = Duration.ofNanos(System.nanoTime() - startedAt);
        LOG.info("Embedded Kafka broker ready at {} in {} ms (data in {})",
                bootstrapServers(), lastStartupDuration.toMillis(), dataDirectory);
        return this;
    }

    /** Shuts the node down cleanly but keeps the data directory, so {@link #start()} can resume it. */
    public synchronized void stop() {
        if (state != State.RUNNING) {
            return;
        }
        KafkaRaftServer running = server;
        server = null;
        state = State.STOPPED;
        running.shutdown();
        running.awaitShutdown();
    }

    /** Stops the node and, if the data directory was a temporary one, deletes it. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        try {
            stop();
        } finally {
            state = State.CLOSED;
            if (deleteDataDirectoryOnClose) {
                deleteRecursively(dataDirectory);
            }
        }
    }

    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /** The address clients use; valid before start and across restarts of the same instance. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The cluster id stored in the data directory; empty before the first start. */
    public synchronized String clusterId() {
        return clusterId == null ? "" : clusterId;
    }

    /** How long the last {@link #start()} took from formatting until an admin client saw the node. */
    public synchronized Duration lastStartupDuration() {
        return lastStartupDuration;
    }

    /**
     * Properties any Kafka client needs to reach this broker; callers add their own on top. On a
     * secured broker: SASL_SSL with SCRAM-SHA-512 and the truststore of the broker's CA, without
     * credentials ({@link #clientProperties(String, String)} adds them).
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (tls != null) {
            properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
            properties.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
            properties.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.truststore().toString());
            properties.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.password());
            properties.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, tls.storeType());
        }
        return properties;
    }

    /** {@link #clientProperties()} of a secured broker with the SCRAM credentials of {@code user}. */
    public Map<String, Object> clientProperties(String user, String password) {
        requireSecured();
        Map<String, Object> properties = clientProperties();
        properties.put(SaslConfigs.SASL_JAAS_CONFIG, scramJaasConfig(user, password));
        return properties;
    }

    /** The {@code sasl.jaas.config} value of a SCRAM client. */
    public static String scramJaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** Whether clients must authenticate over SASL_SSL and are authorized by ACLs. */
    public boolean isSecured() {
        return tls != null;
    }

    /** The CA, broker certificate and truststore of a secured broker. */
    public TlsMaterial tls() {
        requireSecured();
        return tls;
    }

    /** The principal the broker itself authenticates as (over mutual TLS); the only super user. */
    public String brokerPrincipal() {
        requireSecured();
        return "User:" + tls.subject();
    }

    /**
     * Creates or replaces the SCRAM-SHA-512 credential of {@code user} and returns once the broker
     * knows it, so a client can log in right afterwards.
     */
    public void createScramUser(String user, String password) {
        requireRunning();
        requireSecured();
        try (Admin admin = Admin.create(adminProperties())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all()
                    .get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
            awaitCondition("the SCRAM credential of " + user, () -> {
                try {
                    return admin.describeUserScramCredentials(List.of(user)).all().get().containsKey(user);
                } catch (ExecutionException e) {
                    return false; // not yet in the broker's metadata: ResourceNotFoundException
                }
            });
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create the SCRAM user " + user + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Creating the SCRAM user " + user + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the SCRAM user " + user, e);
        }
    }

    /** Adds the ACLs (as the broker's super user) and returns once the broker's authorizer applies them. */
    public void createAcls(Collection<AclBinding> acls) {
        requireRunning();
        requireSecured();
        try (Admin admin = Admin.create(adminProperties())) {
            admin.createAcls(acls).all().get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
            awaitCondition(acls.size() + " ACLs", () -> {
                try {
                    return admin.describeAcls(AclBindingFilter.ANY).values().get().containsAll(acls);
                } catch (ExecutionException e) {
                    return false;
                }
            });
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Creating ACLs timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating ACLs", e);
        }
    }

    /** Removes the ACLs and returns once the broker's authorizer no longer has them. */
    public void deleteAcls(Collection<AclBinding> acls) {
        requireRunning();
        requireSecured();
        try (Admin admin = Admin.create(adminProperties())) {
            admin.deleteAcls(acls.stream().map(AclBinding::toFilter).toList()).all().get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
            awaitCondition("removal of " + acls.size() + " ACLs", () -> {
                try {
                    Collection<AclBinding> now = admin.describeAcls(AclBindingFilter.ANY).values().get();
                    return acls.stream().noneMatch(now::contains);
                } catch (ExecutionException e) {
                    return false;
                }
            });
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot delete ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Deleting ACLs timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while deleting ACLs", e);
        }
    }

    private interface Condition {
        boolean holds() throws InterruptedException;
    }

    /** Metadata changes reach the broker's caches (credentials, authorizer) a moment after the controller took them. */
    private void awaitCondition(String what, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The broker did not apply " + what + " within " + startupTimeout.toMillis() + " ms");
            }
            Thread.sleep(20);
        }
    }

    private void requireSecured() {
        if (tls == null) {
            throw new IllegalStateException("The embedded Kafka broker is open (PLAINTEXT); build it with saslSsl() for credentials and ACLs");
        }
    }

    /** Creates one topic; see {@link #createTopics(Collection)}. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)));
    }

    /** Creates topics with the broker's default partition count and no config overrides. */
    public void createTopics(String... names) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, defaultPartitions, (short) 1));
        }
        createTopics(topics);
    }

    /**
     * Creates the topics and returns once every partition has a leader, so a producer or a Streams
     * application started right afterwards does not race the metadata propagation.
     *
     * <p>A topic that already exists is left exactly as it is, partitions and configs included:
     * after a restart on the same data directory the same start-up code can run again unchanged.
     */
    public void createTopics(Collection<NewTopic> topics) {
        requireRunning();
        Set<String> names = topics.stream().map(NewTopic::name).collect(Collectors.toSet());
        try (Admin admin = Admin.create(adminProperties())) {
            for (Map.Entry<String, KafkaFuture<Void>> creation : admin.createTopics(topics).values().entrySet()) {
                try {
                    creation.getValue().get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            while (!allPartitionsHaveLeaders(admin, names)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topics " + names + " were created but their partitions got no leader within "
                            + startupTimeout.toMillis() + " ms");
                }
                Thread.sleep(50);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create topics " + names + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Creating topics " + names + " timed out after " + startupTimeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + names, e);
        }
    }

    private static boolean allPartitionsHaveLeaders(Admin admin, Set<String> names) throws InterruptedException {
        try {
            Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
            return descriptions.values().stream()
                    .flatMap(description -> description.partitions().stream())
                    .map(TopicPartitionInfo::leader)
                    .allMatch(leader -> leader != null && !leader.isEmpty());
        } catch (ExecutionException e) {
            // The broker's metadata cache can trail the controller for a moment right after creation.
            return false;
        }
    }

    private synchronized void requireRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("Embedded Kafka broker is not running (state " + state + ")");
        }
    }

    private Path logDirectory() {
        return dataDirectory.resolve(LOG_DIR_NAME);
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        if (tls != null) {
            securedListeners(p);
        }
        p.put("log.dirs", logDirectory().toString());
        p.put("num.partitions", String.valueOf(defaultPartitions));
        p.put("default.replication.factor", "1");

        // Every internal topic defaults to replication factor 3; with one node transactions,
        // consumer groups and share groups would never get their coordinator topics created.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");

        // The defaults of 50 coordinator partitions make the first group join and the first
        // transaction wait for 50 partitions to load; one node gains nothing from the spread.
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.num.partitions", "1");

        // Nobody else is coming to join: rebalance as soon as the first member arrives.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.streams.initial.rebalance.delay.ms", "0");

        // The 128 MiB default compaction buffer is sized for production logs, not a laptop demo.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));

        overrides.forEach(p::put);
        return p;
    }

    /**
     * Clients reach the broker on a SASL_SSL listener (SCRAM-SHA-512 over TLS) and every request is
     * checked by the standard authorizer: no ACL, no access. The broker's own connections (transaction
     * markers to itself, registration with its controller) and the fixture's admin calls use mutual TLS
     * on the INTERNAL and CONTROLLER listeners, where the broker's certificate makes it {@code User:CN=broker},
     * the only super user; both listeners bind to 127.0.0.1 and require a certificate the test CA signed.
     */
    private void securedListeners(Properties p) {
        p.put("listeners", CLIENT_LISTENER + "://" + HOST + ":" + brokerPort + "," + INTERNAL_LISTENER + "://" + HOST + ":" + internalPort
                + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + HOST + ":" + brokerPort + "," + INTERNAL_LISTENER + "://" + HOST + ":" + internalPort);
        p.put("inter.broker.listener.name", INTERNAL_LISTENER);
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_SSL," + INTERNAL_LISTENER + ":SSL," + CONTROLLER_LISTENER + ":SSL");
        p.put("ssl.keystore.location", tls.keystore().toString());
        p.put("ssl.keystore.password", tls.password());
        p.put("ssl.key.password", tls.password());
        p.put("ssl.keystore.type", tls.storeType());
        p.put("ssl.truststore.location", tls.truststore().toString());
        p.put("ssl.truststore.password", tls.password());
        p.put("ssl.truststore.type", tls.storeType());
        p.put("listener.name.internal.ssl.client.auth", "required");
        p.put("listener.name.controller.ssl.client.auth", "required");
        p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
        p.put("listener.name.client.sasl.enabled.mechanisms", SCRAM_MECHANISM);
        p.put("listener.name.client.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("authorizer.class.name", STANDARD_AUTHORIZER);
        p.put("super.users", "User:" + tls.subject());
    }

    private void formatStorageIfNeeded() {
        Path metaProperties = logDirectory().resolve("meta.properties");
        if (Files.exists(metaProperties)) {
            clusterId = readClusterId(metaProperties);
            return;
        }
        String newClusterId = Uuid.randomUuid().toString();
        // Same steps as `kafka-storage.sh format -t <id> -c server.properties` with a static quorum.
        // Its progress lines would go to stdout and clutter the demo console, so they are dropped.
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(newClusterId)
                .setDirectories(List.of(logDirectory().toString()))
                .setMetadataLogDirectory(logDirectory().toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setHasDynamicQuorum(false);
        try {
            Files.createDirectories(logDirectory());
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + logDirectory() + ": " + e.getMessage(), e);
        }
        clusterId = newClusterId;
        LOG.debug("Formatted Kafka storage in {} with cluster id {}", logDirectory(), newClusterId);
    }

    private static String readClusterId(Path metaProperties) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + metaProperties, e);
        }
        return properties.getProperty("cluster.id", "");
    }

    /** The fixture's own admin client: the broker's identity on the INTERNAL listener when secured. */
    private Map<String, Object> adminProperties() {
        Map<String, Object> properties = clientProperties();
        if (tls != null) {
            properties.clear();
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + internalPort);
            properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
            properties.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, tls.keystore().toString());
            properties.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, tls.password());
            properties.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, tls.password());
            properties.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, tls.storeType());
            properties.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.truststore().toString());
            properties.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.password());
            properties.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, tls.storeType());
        }
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, startupTimeout.toMillis());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 5_000));
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        return properties;
    }

    private void awaitBrokerVisible(long startedAtNanos) {
        long deadline = startedAtNanos + startupTimeout.toNanos();
        Exception lastFailure = null;
        try (Admin admin = Admin.create(adminProperties())) {
            while (System.nanoTime() < deadline) {
                try {
                    long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                    boolean visible = admin.describeCluster().nodes()
                            .get(remainingMs, TimeUnit.MILLISECONDS)
                            .stream().anyMatch(node -> node.id() == NODE_ID);
                    if (visible) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    lastFailure = e;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker", e);
        }
        throw new IllegalStateException("Embedded Kafka broker at " + bootstrapServers() + " was not visible to an admin client within "
                + startupTimeout.toMillis() + " ms (data in " + dataDirectory + ")", lastFailure);
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Embedded Kafka broker did not shut down cleanly after a failed start", e);
        }
    }

    /**
     * Asks the OS for an unused port. Another process could take it before the broker binds it;
     * that window is a few milliseconds and only matters on a crowded CI host, where a fixed port
     * can be given instead.
     */
    private static int freeLocalPort(int... exclude) {
        for (int attempt = 0; attempt < 10; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                int port = socket.getLocalPort();
                if (Arrays.stream(exclude).noneMatch(p -> p == port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
            }
        }
        throw new IllegalStateException("Cannot find a free port on " + HOST);
    }

    private static void deleteRecursively(Path root) {
        try {
            Utils.delete(root.toFile());
        } catch (IOException e) {
            LOG.warn("Could not delete the temporary Kafka data directory {}", root, e);
        }
    }

    /** Configuration of an {@link EmbeddedKafkaBroker}; every setting has a default that suits tests. */
    public static final class Builder {
        private Path dataDirectory;
        private int brokerPort;
        private int controllerPort;
        private int defaultPartitions = 1;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private boolean saslSsl;

        private Builder() {
        }

        /**
         * A locked-down broker: clients on SASL_SSL (SCRAM-SHA-512 over TLS, certificates of a CA
         * generated for this broker) and the standard authorizer with no ACLs yet. Users come from
         * {@link EmbeddedKafkaBroker#createScramUser}, permissions from {@link EmbeddedKafkaBroker#createAcls}.
         * Without it the broker is open (PLAINTEXT, no authorizer).
         */
        public Builder saslSsl() {
            this.saslSsl = true;
            return this;
        }

        /** Keep the data here and leave it on close; by default a temporary directory is used and deleted. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Port of the client listener; by default a free one is picked. */
        public Builder brokerPort(int port) {
            this.brokerPort = requirePort(port);
            return this;
        }

        /** Port of the KRaft controller listener; by default a free one is picked. */
        public Builder controllerPort(int port) {
            this.controllerPort = requirePort(port);
            return this;
        }

        /** Partitions of topics created without an explicit count, including auto-created ones. */
        public Builder defaultPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("defaultPartitions must be at least 1, was " + partitions);
            }
            this.defaultPartitions = partitions;
            return this;
        }

        /** Upper bound for start, topic creation and their admin calls. */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /** Any broker setting, applied last so it wins over the single-node defaults. */
        public Builder brokerProperty(String key, String value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public EmbeddedKafkaBroker build() {
            if (brokerPort > 0 && brokerPort == controllerPort) {
                throw new IllegalArgumentException("brokerPort and controllerPort must differ, both were " + brokerPort);
            }
            return new EmbeddedKafkaBroker(this);
        }

        /** Builds and starts the broker; the caller owns it and must close it. */
        public EmbeddedKafkaBroker start() {
            EmbeddedKafkaBroker broker = build();
            try {
                return broker.start();
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
        }

        private static int requirePort(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
            }
            return port;
        }
    }
}
