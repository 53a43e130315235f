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
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
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
 * <p>The registry client is shared and owned by the caller: closing the serde does not close it.
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final SchemaRegistryClient registry;
    private final boolean isKey;
    private final Schema readerSchema;
    private final SpecificData model;
    private final SpecificDatumWriter<T> writer;

    /** Schema id of {@link #readerSchema} per topic, so the registry is asked once per topic. */
    private final ConcurrentHashMap<String, Integer> idsByTopic = new ConcurrentHashMap<>();
    /** One resolving reader per writer schema id. */
    private final ConcurrentHashMap<Integer, Decoding<T>> decodings = new ConcurrentHashMap<>();
    /** Most topics carry one writer schema: remembering the last one skips boxing and the map lookup. */
    private volatile Decoding<T> lastDecoding;

    private final Serializer<T> serializer = new WireSerializer();
    private final Deserializer<T> deserializer = new WireDeserializer();

    public ConfluentAvroSerde(SchemaRegistryClient registry, Class<T> type, boolean isKey) {
        this(registry, SpecificData.getForClass(Objects.requireNonNull(type, "type")), type, isKey);
    }

    /**
     * @param readerSchema the schema of a generated {@link SpecificRecord} class on the classpath;
     *     records are decoded into that class
     */
    public ConfluentAvroSerde(SchemaRegistryClient registry, Schema readerSchema, boolean isKey) {
        this(registry, SpecificData.getForSchema(Objects.requireNonNull(readerSchema, "readerSchema")),
                readerSchema, isKey);
    }

    private ConfluentAvroSerde(SchemaRegistryClient registry, SpecificData model, Class<T> type, boolean isKey) {
        this(registry, model, model.getSchema(type), isKey);
    }

    private ConfluentAvroSerde(SchemaRegistryClient registry, SpecificData model, Schema readerSchema, boolean isKey) {
        this.registry = Objects.requireNonNull(registry, "registry");
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
        int id = WireFormat.schemaId(data, offset, length);
        Decoding<T> decoding = decodingFor(topic, id);
        BinaryDecoder decoder =
                AvroCodec.local().decoder(data, offset + WireFormat.HEADER_SIZE, length - WireFormat.HEADER_SIZE);
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
            Schema writerSchema;
            try {
                writerSchema = registry.schemaById(id);
            } catch (UnknownSchemaIdException e) {
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
         * Avro reports every resolution error as one AvroTypeException; the compatibility checker
         * tells a missing required field apart from other mismatches. It runs only on failure.
         */
        WireFormatException resolutionFailure(String topic, AvroTypeException cause) {
            for (Incompatibility incompatibility : SchemaCompatibility
                    .checkReaderWriterCompatibility(readerSchema, writerSchema).getResult().getIncompatibilities()) {
                if (incompatibility.getType() == SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE) {
                    return new WireFormatException(WireFormatException.Reason.MISSING_FIELD,
                            "Writer schema id " + id + " of a record on topic " + topic + " lacks field '"
                                    + incompatibility.getMessage() + "' (at " + incompatibility.getLocation()
                                    + ") that reader " + readerSchema.getFullName() + " requires and has no default for",
                            cause);
                }
            }
            return new WireFormatException(WireFormatException.Reason.UNDECODABLE,
                    "Writer schema id " + id + " of a record on topic " + topic + " cannot be read as "
                            + readerSchema.getFullName() + ": " + cause.getMessage(), cause);
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
