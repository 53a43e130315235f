package org.brandequity.ingest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Streams rows from files to a topic: each row through the mapping into the contract's JSON form,
 * through {@link ContractCodec} (the validation the HTTP door applies), then to Kafka. A refused
 * row goes to the reject file and the import goes on; a Kafka or registry failure stops it.
 *
 * <p>A row counts as imported only once Kafka acknowledged it (the send's callback). The
 * producer's buffer bounds what is in flight: {@code send} blocks while it is full.
 *
 * @param <T> the contract's record class
 */
public final class FileImport<T extends SpecificRecord> {
    /** How often (in rows) the clock is read for the progress line. */
    private static final int PROGRESS_EVERY_ROWS = 512;

    /** What one run did. {@code failure} is the Kafka or registry error that stopped it, or null. */
    public record Summary(long read, long imported, long rejected, long tooOld, Duration elapsed, Exception failure) {
        public double rowsPerSecond() {
            return read / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    /** The files and how to read them. {@code format} null = by extension; {@code rejects} null = FILE.rejects.csv. */
    public record Options(List<Path> files, RowSource.Format format, Path rejects, boolean shiftToNow, Progress.Mode progress) {}

    private final ImportMapping mapping;
    private final ContractCodec<T> codec;
    private final Serializer<T> serializer;
    private final String topic;
    private final LongSupplier clock;
    private final Duration lateHorizon;

    /**
     * @param serializer  the Confluent-framed Avro serializer of the contract (it registers the schema)
     * @param lateHorizon events older than this are dead-lettered TOO_LATE by the pipeline: counted
     *                    and named in the summary
     */
    public FileImport(ImportMapping mapping, ContractCodec<T> codec, Serializer<T> serializer, String topic,
                      LongSupplier clock, Duration lateHorizon) {
        this.mapping = mapping;
        this.codec = codec;
        this.serializer = serializer;
        this.topic = topic;
        this.clock = clock;
        this.lateHorizon = lateHorizon;
    }

    /** Imports {@code options.files()} in order with {@code producer}, which the caller closes. */
    public Summary run(Options options, Producer<String, byte[]> producer, PrintStream progressOut, PrintStream out) throws IOException {
        checkRejectPaths(options.files(), options.rejects());
        long startNs = System.nanoTime();
        RowMapper mapper = new RowMapper(mapping);
        long shiftMs = 0;
        if (options.shiftToNow()) {
            if (!mapper.hasEventTimeColumn()) throw new IllegalArgumentException("--shift-to-now needs an interactions mapping with an eventTime column");
            long newest = newestEventTime(options, mapper);
            if (newest == Long.MIN_VALUE) {
                out.println("import: --shift-to-now: no readable event time in the files; nothing shifted");
            } else {
                shiftMs = clock.getAsLong() - newest;
                out.printf("import: --shift-to-now: event times moved by %s so the newest is now%n", approximately(Duration.ofMillis(shiftMs)));
            }
        }
        long totalBytes = 0;
        for (Path f : options.files()) totalBytes += Files.size(f);
        Progress progress = new Progress(progressOut, options.progress(), totalBytes, startNs);

        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long read = 0;
        long rejected = 0;
        long tooOld = 0;
        long bytesBefore = 0;
        List<Problem> problems = new ArrayList<>();
        Set<String> failedFields = new HashSet<>();
        List<RejectFile> rejectFiles = new ArrayList<>();
        RejectFile shared = options.rejects() == null ? null : new RejectFile(options.rejects());
        if (shared != null) rejectFiles.add(shared);
        try {
            files:
            for (Path file : options.files()) {
                RejectFile rejects = shared != null ? shared : new RejectFile(rejectPath(file));
                if (shared == null) rejectFiles.add(rejects);
                try (RowSource rows = RowSource.open(file, format(options, file), mapper, mapping.separator())) {
                    while (rows.next()) {
                        read++;
                        if ((read & (PROGRESS_EVERY_ROWS - 1)) == 0) progress.update(read, bytesBefore + rows.bytesRead(), System.nanoTime());
                        if (rows.malformed() != null) {
                            rejected++;
                            rejects.write(file, rows.row(), rows.malformed(), rows.raw());
                            continue;
                        }
                        long now = clock.getAsLong();
                        RowMapper.Mapped mapped = mapper.map(rows.values(), shiftMs);
                        problems.clear();
                        T record = codec.decode(mapped.node(), 0, now, problems);
                        if (!mapped.ok() || record == null) {
                            rejected++;
                            rejects.write(file, rows.row(), reasons(mapped, problems, failedFields), rows.raw());
                            continue;
                        }
                        if (lateHorizon != null && mapped.node().path(ImportMapping.EVENT_TIME).asLong(now) < now - lateHorizon.toMillis()) tooOld++;
                        try {
                            producer.send(new ProducerRecord<>(topic, codec.key(record), serializer.serialize(topic, record)), (metadata, e) -> {
                                if (e == null) acked.incrementAndGet();
                                else failure.compareAndSet(null, e);
                            });
                        } catch (RuntimeException e) { // registry down (serializer), metadata timeout, producer closed
                            failure.compareAndSet(null, e);
                        }
                        if (failure.get() != null) break files;
                    }
                    bytesBefore += Files.size(file);
                }
            }
            try {
                producer.flush();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        } finally {
            for (RejectFile r : rejectFiles) r.close();
            progress.finish();
        }
        return new Summary(read, acked.get(), rejected, tooOld, Duration.ofNanos(System.nanoTime() - startNs), failure.get());
    }

    /** 4d 4h 10m, 2h 5m, 3m 12s, 0s; a minus sign when backwards. For people, so to the second at most. */
    static String approximately(Duration d) {
        String sign = d.isNegative() ? "-" : "";
        long s = Math.abs(d.toSeconds());
        long days = s / 86_400, hours = s / 3600 % 24, minutes = s / 60 % 60, seconds = s % 60;
        if (days > 0) return sign + days + "d " + hours + "h " + minutes + "m";
        if (hours > 0) return sign + hours + "h " + minutes + "m";
        return sign + (minutes > 0 ? minutes + "m " : "") + seconds + "s";
    }

    /** FILE.rejects.csv next to FILE. */
    public static Path rejectPath(Path file) {
        return file.resolveSibling(file.getFileName() + ".rejects.csv");
    }

    /**
     * Refuses, before a row is read, reject paths that would destroy a file: an input, or a file
     * that is not a reject file of an earlier import ({@link RejectFile#check}).
     *
     * @param rejects {@code --rejects}, or null for FILE.rejects.csv next to each file
     * @throws IllegalArgumentException one line naming {@code --rejects} (exit status 2)
     */
    public static void checkRejectPaths(List<Path> files, Path rejects) throws IOException {
        if (rejects != null) {
            RejectFile.check(rejects, files, "--rejects");
            return;
        }
        for (Path f : files) RejectFile.check(rejectPath(f), files, "--rejects (default " + f.getFileName() + ".rejects.csv)");
    }

    /**
     * Every reason, "field: reason" joined by "; ": the mapping's, then the codec's — without the
     * codec's for a field the mapping already refused (it would only add "missing").
     */
    private static String reasons(RowMapper.Mapped mapped, List<Problem> problems, Set<String> failedFields) {
        StringBuilder sb = new StringBuilder();
        failedFields.clear();
        for (RowMapper.FieldProblem p : mapped.problems()) {
            failedFields.add(p.field());
            append(sb, p.field(), p.reason());
        }
        for (Problem p : problems) {
            if (p.field() != null && failedFields.contains(p.field())) continue;
            append(sb, p.field(), p.reason());
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String field, String reason) {
        if (!sb.isEmpty()) sb.append("; ");
        if (field != null && !reason.startsWith(field)) sb.append(field).append(": ");
        sb.append(reason);
    }

    private static RowSource.Format format(Options options, Path file) {
        return options.format() != null ? options.format() : RowSource.Format.of(file);
    }

    /** --shift-to-now's first pass: the newest event time over all files, rows that do not parse skipped. */
    private long newestEventTime(Options options, RowMapper mapper) throws IOException {
        long newest = Long.MIN_VALUE;
        for (Path file : options.files()) {
            try (RowSource rows = RowSource.open(file, format(options, file), mapper, mapping.separator())) {
                while (rows.next()) {
                    if (rows.values() != null) newest = Math.max(newest, mapper.eventTime(rows.values()));
                }
            }
        }
        return newest;
    }
}
