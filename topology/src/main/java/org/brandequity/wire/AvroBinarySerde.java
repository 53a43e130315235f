package org.brandequity.wire;

import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Plain Avro binary, no header and no registry, for the application's own internal topics and state
 * stores (changelogs, repartition topics): their schema is fixed by the code that reads them, so a
 * registry round trip and a 5-byte header per record would buy nothing.
 *
 * <p>Changing the schema of such a store therefore needs a new store name or a reset, as for any
 * changelog whose format changes.
 */
public final class AvroBinarySerde<T extends SpecificRecord> implements Serde<T> {

    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final Serializer<T> serializer = this::serialize;
    private final Deserializer<T> deserializer = this::deserialize;

    public AvroBinarySerde(Class<T> type) {
        Objects.requireNonNull(type, "type");
        // The generated classes' own straight-line encode and decode ("custom coders") instead of
        // Avro's generic field-by-field readers and writers: the customer ledger is read and written
        // once per event, and its serde was a fifth of the stream thread's time in the benchmark
        // (docs/benchmark.md). Reader and writer schema are the same here, which is what they need.
        // A model of its own, so that the process-wide SpecificData keeps Avro's defaults.
        SpecificData model = new SpecificData(type.getClassLoader());
        model.setCustomCoders(true);
        model.setFastReaderEnabled(false);
        this.schema = model.getSchema(type);
        // Datum readers and writers hold no per-call state, so one of each serves every thread.
        this.writer = new SpecificDatumWriter<>(schema, model);
        this.reader = new SpecificDatumReader<>(schema, schema, model);
    }

    public Schema schema() {
        return schema;
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
        try {
            return AvroCodec.local().encode(writer, data, 0);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot encode " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        BinaryDecoder decoder = AvroCodec.local().decoder(data, 0, data.length);
        T value;
        try {
            value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new WireFormatException(WireFormatException.Reason.UNDECODABLE,
                        "Trailing bytes after a " + schema.getFullName() + " record on topic " + topic);
            }
        } catch (WireFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(WireFormatException.Reason.UNDECODABLE,
                    "Cannot decode " + data.length + " bytes as " + schema.getFullName() + " on topic " + topic
                            + ": " + e, e);
        }
        return value;
    }
}
