package org.brandequity.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.brandequity.command.Cli;
import org.brandequity.cli.Main;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.config.PipelineConfig;
import org.brandequity.ingest.ContractCodec;
import org.brandequity.ingest.IngestConfig;
import org.brandequity.ingest.IngestProducers;
import org.brandequity.ingest.IngestService;
import org.brandequity.sim.CustomerJourneys;
import org.brandequity.wire.ConfluentAvroSerde;
import org.brandequity.wire.SchemaRegistryClient;

/**
 * The two ingestion doors under load: HTTP ingestion beside a plain {@code KafkaProducer} sending
 * the same events with the same settings, and the import of a large survey-export CSV.
 */
final class IngestBench {
    private IngestBench() {}

    /** The simulator's events, spaced {@code step} apart and ending a minute before now (none in the future). */
    static List<CustomerInteraction> events(Map<String, String> simulator, int customers, long events, Duration step, long seed) {
        Instant start = Instant.now().minus(step.multipliedBy(events)).minus(Duration.ofMinutes(1));
        CustomerJourneys journeys = new CustomerJourneys(Input.simulation(simulator, seed, customers, step), start);
        List<CustomerInteraction> list = new ArrayList<>((int) events);
        for (long i = 0; i < events; i++) list.add(journeys.next(start.plus(step.multipliedBy(i))));
        return list;
    }

    /**
     * Sends {@code events} with a {@link KafkaProducer} configured as the ingestion service's
     * ({@link IngestProducers#properties}), serializing each as it goes, and waits for every
     * acknowledgement.
     */
    static Map<String, Object> producer(PipelineConfig config, SchemaRegistryClient registry, List<CustomerInteraction> events) {
        String topic = config.topics().interactions();
        Serializer<CustomerInteraction> ser = new ConfluentAvroSerde<>(registry, CustomerInteraction.class, false).serializer();
        long t0;
        long t1;
        try (KafkaProducer<String, byte[]> producer = IngestProducers.create(config, "bench-plain-producer")) {
            ser.serialize(topic, events.get(0)); // registers the schema outside the timed part, as the service's first request does
            t0 = System.nanoTime();
            for (CustomerInteraction e : events) producer.send(new ProducerRecord<>(topic, e.getCustomerId(), ser.serialize(topic, e)));
            producer.flush();
            t1 = System.nanoTime();
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("events", events.size());
        r.put("seconds", round((t1 - t0) / 1e9, 3));
        r.put("eventsPerSecond", Math.round(events.size() / ((t1 - t0) / 1e9)));
        return r;
    }

    /**
     * Posts {@code events} to a fresh ingestion service as NDJSON batches of {@code batch} events
     * from {@code clients} concurrent clients (threads of this process, sharing its cores with the
     * service and the broker), each waiting for its answer before sending the next. Bodies are
     * rendered before the clock starts: a client's own JSON writing is not the service's cost.
     */
    static Map<String, Object> http(PipelineConfig config, List<CustomerInteraction> events, int clients, int batch) throws Exception {
        ContractCodec<CustomerInteraction> codec = ContractCodec.interactions(config.maxFutureSkew());
        List<byte[]> bodies = new ArrayList<>();
        for (int from = 0; from < events.size(); from += batch) {
            StringBuilder body = new StringBuilder();
            for (CustomerInteraction e : events.subList(from, Math.min(events.size(), from + batch))) {
                body.append(codec.encode(e)).append('\n');
            }
            bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
        }
        IngestConfig ingest = IngestConfig.fromMap(Map.of("ingest.host", "127.0.0.1", "ingest.port", "0"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        long[] latencies = new long[bodies.size()];
        long t0;
        long t1;
        try (IngestService service = IngestService.start(config, ingest)) {
            URI uri = URI.create(service.server().interactionsUrl());
            // One request outside the clock: the registry lookup and the producer's first metadata fetch.
            post(client, uri, bodies.get(0));
            AtomicInteger next = new AtomicInteger(1);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<?>> running = new ArrayList<>();
                t0 = System.nanoTime();
                for (int c = 0; c < clients; c++) {
                    running.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                            long s = System.nanoTime();
                            post(client, uri, bodies.get(i));
                            latencies[i] = System.nanoTime() - s;
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) f.get();
                t1 = System.nanoTime();
            } finally {
                pool.shutdownNow();
            }
        }
        long[] timed = Arrays.copyOfRange(latencies, 1, latencies.length);
        Arrays.sort(timed);
        long timedEvents = events.size() - Math.min(batch, events.size());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("events", timedEvents);
        r.put("requests", timed.length);
        r.put("clients", clients);
        r.put("batch", batch);
        r.put("seconds", round((t1 - t0) / 1e9, 3));
        r.put("eventsPerSecond", Math.round(timedEvents / ((t1 - t0) / 1e9)));
        r.put("p50Ms", round(Phase.quantile(timed, 0.50) / 1e6, 1));
        r.put("p99Ms", round(Phase.quantile(timed, 0.99) / 1e6, 1));
        r.put("maxMs", round(timed[timed.length - 1] / 1e6, 1));
        return r;
    }

    private static void post(HttpClient client, URI uri, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) throw new IllegalStateException("ingestion answered " + answer.statusCode() + ": " + answer.body());
    }

    /**
     * Writes a survey export of {@code rows} rows in the layout of examples/survey-export.csv (the
     * same columns, values and time format, so its mapping applies), answers spread over the three
     * days before now, customers drawn from the bench's population.
     */
    static void writeSurveyExport(Path csv, long rows, int customers, long seed) throws IOException {
        Random random = new Random(seed);
        String[] touchpoints = {"Delivery", "Support", "Purchase", "Returns", "App", "Store"};
        String[] csat = {"Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"};
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Europe/Berlin"));
        long end = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        long span = Duration.ofDays(3).toMillis();
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("\"Response ID\",\"Submitted At\",\"Customer ID\",Touchpoint,NPS,CSAT,\"Effort (1-5)\",\"Comment sentiment\",Comment\n");
            StringBuilder row = new StringBuilder(128);
            for (long i = 0; i < rows; i++) {
                row.setLength(0);
                int nps = Math.min(10, Math.max(0, (int) Math.round(7.5 + 2.2 * random.nextGaussian())));
                row.append("R_bench").append(i).append(",\"")
                        .append(time.format(Instant.ofEpochMilli(end - (long) (random.nextDouble() * span)))).append("\",")
                        .append(String.format("cust-%06d", 1 + random.nextInt(customers))).append(',')
                        .append(touchpoints[random.nextInt(touchpoints.length)]).append(',')
                        .append(nps).append(",\"").append(csat[Math.min(4, Math.max(0, nps / 2 - 1))]).append("\",")
                        .append(1 + random.nextInt(5)).append(',');
                if (random.nextInt(3) == 0) row.append(round(random.nextDouble() * 2 - 1, 2)).append(",\"A comment.\"");
                else row.append(',');
                w.append(row).append('\n');
            }
        }
    }

    /**
     * Runs the {@code import} command, as a user would, on {@code csv} with {@code mapping}, and
     * checks that every row reached the topic.
     */
    static Map<String, Object> fileImport(PipelineConfig config, Path work, Path csv, Path mapping, long rows) throws Exception {
        Path connection = work.resolve("import-connection.properties");
        Files.writeString(connection, String.join("\n",
                "bootstrap.servers=" + config.bootstrapServers(),
                "schema.registry.url=" + config.schemaRegistryUrl(),
                "topic.interactions=" + config.topics().interactions(),
                "topic.profiles=" + config.topics().profiles()) + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        long t0 = System.nanoTime();
        int exit = Main.commandLine("brand-equity.jar", cli).execute("import", "--config", connection.toString(),
                "--mapping", mapping.toString(), "--progress", "lines", csv.toString());
        long t1 = System.nanoTime();
        String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        if (exit != 0) throw new IllegalStateException("import exited " + exit + ":\n" + printed);
        long onTopic = endOffsets(config.bootstrapServers(), config.topics().interactions());
        if (onTopic != rows) throw new IllegalStateException("import acknowledged its rows, but the topic holds " + onTopic + " of " + rows);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rows", rows);
        r.put("fileBytes", Files.size(csv));
        r.put("seconds", round((t1 - t0) / 1e9, 2));
        r.put("rowsPerSecond", Math.round(rows / ((t1 - t0) / 1e9)));
        r.put("summary", printed.lines().filter(l -> l.startsWith("import: ")).toList());
        return r;
    }

    /** Records on {@code topic}: the sum of its partitions' end offsets. */
    static long endOffsets(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return Phase.endOffsets(admin, topic).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static double round(double x, int digits) {
        return Phase.round(x, digits);
    }
}
