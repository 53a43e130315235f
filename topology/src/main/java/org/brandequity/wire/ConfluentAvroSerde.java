package org.brandequity.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.SchemaParseException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro specific records in the Confluent wire format, with schemas in a schema registry under the
 * TopicNameStrategy subject ({@code <topic>-key} or {@code <topic>-value}).
 *
 * <p>Decoding resolves the writer schema named by each record against this serde's reader schema,
 * so records written with older or newer compatible schemas are read. Bytes that cannot become a
 * record fail with a {@link WireFormatException}; registry outages fail with a
 * {@link SchemaRegistryException}, which is not one, so that they are not mistaken for bad records.
 *
 * <p>Hostile bytes cannot take the decoder down (issue 21): a serde made with {@link #input} refuses
 * a value longer than {@link WireFormat#MAX_INPUT_VALUE_BYTES} before reading it ({@code OVERSIZED});
 * every length prefix is checked against the bytes left before anything is allocated
 * ({@link BoundedDecoder}); and an id the registry does not know is remembered for
 * {@link #UNKNOWN_ID_RETRY_MS}, so a flood of records naming unknown ids costs one registry round
 * trip per id and minute, not one per record on the stream thread.
 *
 * <p>The registry client is shared and owned by the caller: closing the serde does not close it.
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final SchemaRegistryClient registry;
    private final boolean isKey;
    private final Schema readerSchema;
    private final SpecificData model;
    private final SpecificDatumWriter<T> writer;
    /** Longer values are refused unread ({@code OVERSIZED}); {@link Integer#MAX_VALUE} but for {@link #input}. */
    private final int maxValueBytes;

    /**
     * How long an id the registry said it does not know is answered from memory. Long enough that a
     * flood of such records costs a registry request a minute per id; short enough that a schema
     * registered in the meantime (a producer racing ahead of its own registration, an id copied from
     * another registry that is then imported) is found within a minute.
     */
    static final long UNKNOWN_ID_RETRY_MS = 60_000;
    /** At most this many unknown ids are remembered; the least recently seen is forgotten first. */
    static final int UNKNOWN_ID_CACHE_SIZE = 1_000;
    /** Unknown schema ids and when the registry said so (System.nanoTime); bounded, shared by threads. */
    private final Cache<Integer, Long> unknownIds = new SynchronizedCache<>(new LRUCache<>(UNKNOWN_ID_CACHE_SIZE));
    /** System.nanoTime, or a test's clock. */
    private volatile java.util.function.LongSupplier nanoClock = System::nanoTime;

    /** For tests: the clock the unknown-id expiry reads, in nanoseconds. */
    void nanoClock(java.util.function.LongSupplier clock) {
        this.nanoClock = clock;
    }

    /** Schema id of {@link #readerSchema} per topic, so the registry is asked once per topic. */
    private final ConcurrentHashMap<String, Integer> idsByTopic = new ConcurrentHashMap<>();
    /** One resolving reader per writer schema id. */
    private final ConcurrentHashMap<Integer, Decoding<T>> decodings = new ConcurrentHashMap<>();
    /** Most topics carry one writer schema: remembering the last one skips boxing and the map lookup. */
    private volatile Decoding<T> lastDecoding;

    private final Serializer<T> serializer = new WireSerializer();
    private final Deserializer<T> deserializer = new WireDeserializer();

    public ConfluentAvroSerde(SchemaRegistryClient registry, Class<T> type, boolean isKey) {
        this(registry, SpecificData.getForClass(Objects.requireNonNull(type, "type")), type, isKey, Integer.MAX_VALUE);
    }

    /**
     * The value serde of a topic that producers outside the pipeline write (interactions, profiles):
     * values over {@link WireFormat#MAX_INPUT_VALUE_BYTES} are refused before they are decoded.
     */
    public static <T extends SpecificRecord> ConfluentAvroSerde<T> input(SchemaRegistryClient registry, Class<T> type) {
        return new ConfluentAvroSerde<>(registry, SpecificData.getForClass(Objects.requireNonNull(type, "type")), type, false,
                WireFormat.MAX_INPUT_VALUE_BYTES);
    }

    /**
     * @param readerSchema the schema of a generated {@link SpecificRecord} class on the classpath;
     *     records are decoded into that class
     */
    public ConfluentAvroSerde(SchemaRegistryClient registry, Schema readerSchema, boolean isKey) {
        this(registry, SpecificData.getForSchema(Objects.requireNonNull(readerSchema, "readerSchema")),
                readerSchema, isKey, Integer.MAX_VALUE);
    }

    private ConfluentAvroSerde(SchemaRegistryClient registry, SpecificData model, Class<T> type, boolean isKey, int maxValueBytes) {
        this(registry, model, model.getSchema(type), isKey, maxValueBytes);
    }

    private ConfluentAvroSerde(SchemaRegistryClient registry, SpecificData model, Schema readerSchema, boolean isKey,
                               int maxValueBytes) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.maxValueBytes = maxValueBytes;
        this.readerSchema = readerSchema;
        this.isKey = isKey;
        this.model = model;
        Class<?> type = model.getClass(readerSchema);
        if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(
                    "No generated SpecificRecord class on the classpath for schema " + readerSchema.getFullName());
        }
        this.writer = new SpecificDatumWriter<>(readerSchema, model);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    private byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        Schema schema = data.getSchema();
        // Registry failures are raised outside the encoding try block so they keep their own type.
        int id;
        SpecificDatumWriter<T> datumWriter;
        if (schema == readerSchema) {
            id = idFor(topic);
            datumWriter = writer;
        } else {
            id = registry.register(WireFormat.subject(topic, isKey), schema);
            datumWriter = new SpecificDatumWriter<>(schema, model);
        }
        try {
            byte[] bytes = AvroCodec.local().encode(datumWriter, data, WireFormat.HEADER_SIZE);
            WireFormat.writeHeader(id, bytes, 0);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode " + schema.getFullName() + " for topic " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    private int idFor(String topic) {
        Integer id = idsByTopic.get(topic);
        if (id == null) {
            id = registry.register(WireFormat.subject(topic, isKey), readerSchema);
            idsByTopic.putIfAbsent(topic, id);
        }
        return id;
    }

    private T deserialize(String topic, byte[] data, int offset, int length) {
        if (length > maxValueBytes) {
            throw new WireFormatException(WireFormatException.Reason.OVERSIZED, "Value of " + length + " bytes on topic "
                    + topic + " is over the " + maxValueBytes + "-byte limit of an input record");
        }
        int id = WireFormat.schemaId(data, offset, length);
        Decoding<T> decoding = decodingFor(topic, id);
        BoundedDecoder decoder =
                AvroCodec.local().boundedDecoder(data, offset + WireFormat.HEADER_SIZE, length - WireFormat.HEADER_SIZE);
        T value;
        try {
            value = decoding.reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new WireFormatException(WireFormatException.Reason.UNDECODABLE,
                        "Trailing bytes after the record written with schema id " + id + " on topic " + topic);
            }
        } catch (WireFormatException e) {
            throw e;
        } catch (AvroTypeException e) {
            throw decoding.resolutionFailure(topic, e);
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(WireFormatException.Reason.UNDECODABLE,
                    "Cannot decode " + length + " bytes written with schema id " + id + " on topic " + topic
                            + ": " + e, e);
        }
        return value;
    }

    private Decoding<T> decodingFor(String topic, int id) {
        Decoding<T> last = lastDecoding;
        if (last != null && last.id == id) {
            return last;
        }
        Decoding<T> decoding = decodings.get(id);
        if (decoding == null) {
            Long unknownSince = unknownIds.get(id);
            if (unknownSince != null && nanoClock.getAsLong() - unknownSince < UNKNOWN_ID_RETRY_MS * 1_000_000L) {
                throw new WireFormatException(WireFormatException.Reason.UNKNOWN_SCHEMA_ID,
                        "Record on topic " + topic + " names schema id " + id + ", which the registry did not know "
                                + "when last asked (asked again " + UNKNOWN_ID_RETRY_MS / 1000 + " s after that)");
            }
            Schema writerSchema;
            try {
                writerSchema = registry.schemaById(id);
            } catch (UnknownSchemaIdException e) {
                unknownIds.put(id, nanoClock.getAsLong());
                throw new WireFormatException(WireFormatException.Reason.UNKNOWN_SCHEMA_ID,
                        "Record on topic " + topic + " names schema id " + id + ", unknown to the registry: "
                                + e.getMessage(), e);
            } catch (SchemaParseException e) {
                throw new WireFormatException(WireFormatException.Reason.UNDECODABLE,
                        "Schema id " + id + " of a record on topic " + topic + " is not a usable Avro schema: "
                                + e.getMessage(), e);
            }
            decoding = decodings.computeIfAbsent(id, k -> new Decoding<>(k, writerSchema, readerSchema, model));
        }
        lastDecoding = decoding;
        return decoding;
    }

    private static final class Decoding<T> {
        final int id;
        final Schema writerSchema;
        final Schema readerSchema;
        final SpecificDatumReader<T> reader;

        Decoding(int id, Schema writerSchema, Schema readerSchema, SpecificData model) {
            this.id = id;
            this.writerSchema = writerSchema;
            this.readerSchema = readerSchema;
            this.reader = new SpecificDatumReader<>(writerSchema, readerSchema, model);
        }

        /**
         * Why this writer schema cannot be read, worked out on the first failure and kept: the answer
         * depends on the two schemas only, and working it out is costly (the fuzz target found a
         * 28-byte record naming another topic's schema id allocating 48 MB a time in the check).
         */
        private volatile Failure failure;

        private record Failure(WireFormatException.Reason reason, String message) {}

        /**
         * Avro reports every resolution error as one AvroTypeException; the compatibility checker
         * tells a missing required field apart from other mismatches. It runs once per writer schema,
         * on the first failure.
         */
        WireFormatException resolutionFailure(String topic, AvroTypeException cause) {
            Failure f = failure;
            if (f == null) failure = f = explain();
            return new WireFormatException(f.reason(), "Writer schema id " + id + " of a record on topic " + topic + " " + f.message()
                    + ": " + cause.getMessage(), cause);
        }

        private Failure explain() {
            for (Incompatibility incompatibility : SchemaCompatibility
                    .checkReaderWriterCompatibility(readerSchema, writerSchema).getResult().getIncompatibilities()) {
                if (incompatibility.getType() == SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE) {
                    return new Failure(WireFormatException.Reason.MISSING_FIELD, "lacks field '"
                            + incompatibility.getMessage() + "' (at " + incompatibility.getLocation()
                            + ") that reader " + readerSchema.getFullName() + " requires and has no default for");
                }
            }
            return new Failure(WireFormatException.Reason.UNDECODABLE, "cannot be read as " + readerSchema.getFullName());
        }
    }

    private final class WireSerializer implements Serializer<T> {
        @Override
        public byte[] serialize(String topic, T data) {
            return ConfluentAvroSerde.this.serialize(topic, data);
        }
    }

    private final class WireDeserializer implements Deserializer<T> {
        @Override
        public T deserialize(String topic, byte[] data) {
            return data == null ? null : ConfluentAvroSerde.this.deserialize(topic, data, 0, data.length);
        }

        /** The consumer hands over a view of its fetch buffer: decoding in place avoids a copy per record. */
        @Override
        public T deserialize(String topic, Headers headers, ByteBuffer data) {
            if (data == null) {
                return null;
            }
            if (data.hasArray()) {
                return ConfluentAvroSerde.this.deserialize(
                        topic, data.array(), data.arrayOffset() + data.position(), data.remaining());
            }
            byte[] copy = new byte[data.remaining()];
            data.duplicate().get(copy);
            return ConfluentAvroSerde.this.deserialize(topic, copy, 0, copy.length);
        }
    }
}
