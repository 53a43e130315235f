package org.brandequity.topology;

import java.util.Set;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.ProcessorWrapper;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.WrappedFixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.WrappedProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.brandequity.avro.internal.ScoredInteraction;

/**
 * Test-only fault injection through Kafka Streams' processor wrapper (KIP-1112, config
 * {@code processor.wrapper.class}): the equity pre-aggregation throws on the event
 * {@value #EVENT_ID}, after the customer ledger processor has written its ledger (and the window
 * closer has run) and before the event reaches equity. Every other processor is left as it is.
 */
public final class FailBeforeEquityPreAggregation implements ProcessorWrapper {
    public static final String EVENT_ID = "fail-after-ledger-write";
    static final String PROCESSOR = "pre-aggregate-equity";

    @Override
    public <KIn, VIn, KOut, VOut> WrappedProcessorSupplier<KIn, VIn, KOut, VOut> wrapProcessorSupplier(
            String processorName, ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        if (!processorName.equals(PROCESSOR)) return ProcessorWrapper.asWrapped(supplier);
        return ProcessorWrapper.asWrapped(new ProcessorSupplier<>() {
            @Override
            public Processor<KIn, VIn, KOut, VOut> get() {
                Processor<KIn, VIn, KOut, VOut> delegate = supplier.get();
                return new Processor<>() {
                    @Override
                    public void init(ProcessorContext<KOut, VOut> context) {
                        delegate.init(context);
                    }

                    @Override
                    public void process(Record<KIn, VIn> record) {
                        if (record.value() instanceof ScoredInteraction s && s.getEventId().equals(EVENT_ID)) {
                            throw new IllegalStateException("injected failure after the ledger write of " + EVENT_ID);
                        }
                        delegate.process(record);
                    }

                    @Override
                    public void close() {
                        delegate.close();
                    }
                };
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return supplier.stores();
            }
        });
    }

    @Override
    public <KIn, VIn, VOut> WrappedFixedKeyProcessorSupplier<KIn, VIn, VOut> wrapFixedKeyProcessorSupplier(
            String processorName, FixedKeyProcessorSupplier<KIn, VIn, VOut> supplier) {
        return ProcessorWrapper.asWrappedFixedKey(supplier);
    }
}
