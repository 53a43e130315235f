package org.brandequity.wire;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 * changelog whose format changes; or, when fields are only appended at the end (each with a default),
 * a serde {@linkplain #readingEarlierLayouts reading the earlier layouts}: bytes of an earlier layout
 * end where its last field ends, so decoding them with the current schema runs out of bytes, and they
 * are then decoded with the earlier layout as writer schema (Avro schema resolution fills in the
 * defaults). Only such old records pay for the second attempt; current ones decode as before.
 */
public final class AvroBinarySerde<T extends SpecificRecord> implements Serde<T> {

    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    /** Readers of earlier layouts (writer = that layout, reader = current), newest first; usually none. */
    private final List<SpecificDatumReader<T>> earlierReaders = new ArrayList<>();
    private final List<Schema> earlierLayouts = new ArrayList<>();
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

    /**
     * A serde of {@code type} that also reads records written when it had only its first
     * {@code fieldCounts[i]} top-level fields (the later ones appended since, each with a default).
     */
    public static <T extends SpecificRecord> AvroBinarySerde<T> readingEarlierLayouts(Class<T> type, int... fieldCounts) {
        AvroBinarySerde<T> serde = new AvroBinarySerde<>(type);
        SpecificData model = new SpecificData(type.getClassLoader());
        for (int n : fieldCounts) {
            Schema layout = prefix(serde.schema, n);
            serde.earlierLayouts.add(layout);
            serde.earlierReaders.add(new SpecificDatumReader<>(layout, serde.schema, model));
        }
        return serde;
    }

    /** {@code schema} with only its first {@code n} fields, each of which must be followed by fields with defaults only. */
    static Schema prefix(Schema schema, int n) {
        List<Schema.Field> fields = schema.getFields();
        if (n < 1 || n >= fields.size()) throw new IllegalArgumentException(schema.getFullName() + " has " + fields.size() + " fields, not more than " + n);
        for (Schema.Field f : fields.subList(n, fields.size())) {
            if (!f.hasDefaultValue()) throw new IllegalArgumentException(schema.getFullName() + "." + f.name()
                    + " has no default: data of the layout without it cannot be read");
        }
        List<Schema.Field> kept = new ArrayList<>(n);
        for (Schema.Field f : fields.subList(0, n)) kept.add(new Schema.Field(f, f.schema()));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, kept);
    }

    public Schema schema() {
        return schema;
    }

    /** The earlier layouts this serde also reads (see {@link #readingEarlierLayouts}), newest first; usually none. */
    public List<Schema> earlierLayouts() {
        return List.copyOf(earlierLayouts);
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
            T earlier = earlierLayout(data);
            if (earlier != null) return earlier;
            throw e;
        } catch (IOException | RuntimeException e) {
            T earlier = earlierLayout(data);
            if (earlier != null) return earlier;
            throw new WireFormatException(WireFormatException.Reason.UNDECODABLE,
                    "Cannot decode " + data.length + " bytes as " + schema.getFullName() + " on topic " + topic
                            + ": " + e, e);
        }
        return value;
    }

    /** {@code data} decoded with the first earlier layout that reads it exactly, or null. */
    private T earlierLayout(byte[] data) {
        for (SpecificDatumReader<T> earlier : earlierReaders) {
            BinaryDecoder decoder = AvroCodec.local().decoder(data, 0, data.length);
            try {
                T value = earlier.read(null, decoder);
                if (decoder.isEnd()) return value;
            } catch (IOException | RuntimeException e) {
                // not this layout
            }
        }
        return null;
    }
}
