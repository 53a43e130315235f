package org.brandequity.wire;

import static org.brandequity.wire.Interactions.interaction;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.brandequity.avro.CustomerInteraction;
import org.junit.jupiter.api.Test;

class AvroBinarySerdeTest {

    private static final String TOPIC = "app-store-changelog";

    private final AvroBinarySerde<CustomerInteraction> serde = new AvroBinarySerde<>(CustomerInteraction.class);

    @Test
    void aRecordSurvivesTheRoundTripUnchanged() {
        CustomerInteraction original = interaction("e-1");

        assertEquals(original, serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, original)));
    }

    @Test
    void theBytesArePlainAvroBinaryWithoutAHeader() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(expected, null);
        new SpecificDatumWriter<>(CustomerInteraction.class).write(interaction("e-1"), encoder);
        encoder.flush();

        assertArrayEquals(expected.toByteArray(), serde.serializer().serialize(TOPIC, interaction("e-1")));
    }

    @Test
    void nullIsWrittenAsNullAndReadAsNull() {
        assertNull(serde.serializer().serialize(TOPIC, null));
        assertNull(serde.deserializer().deserialize(TOPIC, null));
    }

    @Test
    void truncatedBytesAreRejectedAsUndecodable() {
        byte[] bytes = serde.serializer().serialize(TOPIC, interaction("e-1"));

        WireFormatException failure = assertThrows(WireFormatException.class,
                () -> serde.deserializer().deserialize(TOPIC, Arrays.copyOf(bytes, bytes.length - 3)));

        assertEquals(WireFormatException.Reason.UNDECODABLE, failure.reason());
    }

    @Test
    void aRecordLargerThanTheRetainedBufferStillRoundTrips() {
        CustomerInteraction large = interaction("e-" + "x".repeat(2 << 20));

        assertEquals(large, serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, large)));
        assertEquals(interaction("e-2"),
                serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, interaction("e-2"))));
    }

    @Test
    void threadsSharingOneSerdeEachGetTheirOwnRecordsBack() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        CustomerInteraction original = interaction("t" + thread + "-" + i);
                        byte[] bytes = serde.serializer().serialize(TOPIC, original);
                        assertEquals(original, serde.deserializer().deserialize(TOPIC, bytes));
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
