package org.brandequity.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Per-thread Avro encoder, decoder and output buffer, shared by every serde on the thread.
 *
 * <p>Encoders and decoders are stateful, and Kafka Streams calls one serde from several stream
 * threads; one set per thread lets the hot path reuse them without locking. Sharing them between
 * serdes is safe because a serde call never nests another serde call on the same thread.
 */
final class AvroCodec {

    /** Buffers grown past this by one huge record are dropped rather than pinned to the thread. */
    private static final int RETAINED_BUFFER_LIMIT = 1 << 20;
    private static final int INITIAL_BUFFER = 512;

    private static final ThreadLocal<AvroCodec> LOCAL = ThreadLocal.withInitial(AvroCodec::new);

    static {
        // Before this class's first decode: Avro reads its limits once, when it first checks one.
        AvroLimits.apply();
    }

    private Output out = new Output(INITIAL_BUFFER);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;
    private final BoundedDecoder bounded = new BoundedDecoder();

    private AvroCodec() {}

    static AvroCodec local() {
        return LOCAL.get();
    }

    /** Avro binary of {@code datum}, with {@code headerSize} leading bytes left zeroed for the caller. */
    <T> byte[] encode(DatumWriter<T> writer, T datum, int headerSize) throws IOException {
        out.reset(headerSize);
        // Direct, not buffered: the target is already an in-memory buffer, a second buffer would copy twice.
        encoder = EncoderFactory.get().directBinaryEncoder(out, encoder);
        writer.write(datum, encoder);
        encoder.flush();
        byte[] bytes = out.toByteArray();
        if (out.capacity() > RETAINED_BUFFER_LIMIT) {
            out = new Output(INITIAL_BUFFER);
        }
        return bytes;
    }

    /** A decoder over {@code length} bytes of {@code bytes} at {@code offset}, without copying them. */
    BinaryDecoder decoder(byte[] bytes, int offset, int length) {
        decoder = DecoderFactory.get().binaryDecoder(bytes, offset, length, decoder);
        return decoder;
    }

    /**
     * A decoder over {@code length} bytes of {@code bytes} at {@code offset} that checks every length
     * prefix against the bytes left before allocating: for bytes from outside ({@link BoundedDecoder}).
     */
    BoundedDecoder boundedDecoder(byte[] bytes, int offset, int length) {
        return bounded.reset(decoder(bytes, offset, length));
    }

    /** ByteArrayOutputStream without its synchronized methods, which the hot path does not need. */
    private static final class Output extends OutputStream {
        private byte[] buf;
        private int count;

        Output(int capacity) {
            buf = new byte[capacity];
        }

        void reset(int reserved) {
            ensure(reserved);
            Arrays.fill(buf, 0, reserved, (byte) 0);
            count = reserved;
        }

        int capacity() {
            return buf.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }

        @Override
        public void write(int b) {
            ensure(count + 1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(count + len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        private void ensure(int needed) {
            if (needed > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
            }
        }
    }
}
