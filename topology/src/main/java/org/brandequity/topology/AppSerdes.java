package org.brandequity.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.avro.specific.SpecificRecord;
import org.brandequity.avro.BrandEquity;
import org.brandequity.avro.CustomerAlert;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.CustomerProfile;
import org.brandequity.avro.EquityHistoryPoint;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.SegmentExperienceScore;
import org.brandequity.avro.TouchpointExperienceScore;
import org.brandequity.avro.internal.ClosedPane;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.avro.KeyDrivers;
import org.brandequity.avro.internal.DriverObservationChange;
import org.brandequity.avro.internal.KeyDriverState;
import org.brandequity.avro.internal.DropDetectorState;
import org.brandequity.avro.internal.EquityHistoryEntry;
import org.brandequity.avro.internal.EquityLedger;
import org.brandequity.avro.internal.EquityWindowSamples;
import org.brandequity.avro.internal.PendingContribution;
import org.brandequity.avro.internal.ScoredInteraction;
import org.brandequity.avro.internal.SegmentWindowAggregate;
import org.brandequity.avro.internal.SegmentWindowInput;
import org.brandequity.avro.internal.TouchpointWindowAggregate;
import org.brandequity.wire.AvroBinarySerde;
import org.brandequity.wire.ConfluentAvroSerde;
import org.brandequity.wire.SchemaRegistryClient;

/**
 * Every serde of the application, built in one place. Topics other programs read or write carry
 * Avro in the Confluent wire format with schemas in the registry; the application's own internal
 * topics and stores carry plain Avro binary, since their schema is fixed by this code.
 */
public final class AppSerdes {
    private final Serde<String> string = Serdes.String();
    private final Serde<Long> longs = Serdes.Long();
    private final Serde<CustomerInteraction> interaction;
    private final Serde<CustomerProfile> profile;
    private final Serde<CustomerExperienceScore> customerScore;
    private final Serde<SegmentExperienceScore> segmentScore;
    private final Serde<BrandEquity> brandEquity;
    private final Serde<ScoreDropAlert> alert;
    private final Serde<CustomerAlert> customerAlert;
    private final Serde<CustomerAlert> openCustomerAlert = new AvroBinarySerde<>(CustomerAlert.class);
    private final Serde<ScoredInteraction> scored = new AvroBinarySerde<>(ScoredInteraction.class);
    private final Serde<CustomerLedger> customerLedger = new AvroBinarySerde<>(CustomerLedger.class);
    private final Serde<SegmentWindowAggregate> segmentWindow = new AvroBinarySerde<>(SegmentWindowAggregate.class);
    private final Serde<SegmentWindowInput> segmentWindowInput = new AvroBinarySerde<>(SegmentWindowInput.class);
    private final Serde<DriverObservationChange> driverObservationChange = new AvroBinarySerde<>(DriverObservationChange.class);
    private final Serde<ClosedPane> closedPane = new AvroBinarySerde<>(ClosedPane.class);
    private final Serde<TouchpointWindowAggregate> touchpointWindow = new AvroBinarySerde<>(TouchpointWindowAggregate.class);
    private final Serde<TouchpointExperienceScore> touchpointScore;
    private final Serde<EquityLedger> ledger = new AvroBinarySerde<>(EquityLedger.class);
    private final Serde<PendingContribution> pending = new AvroBinarySerde<>(PendingContribution.class);
    private final Serde<DropDetectorState> dropDetector = new AvroBinarySerde<>(DropDetectorState.class);
    private final Serde<EquityWindowSamples> equitySamples = new AvroBinarySerde<>(EquityWindowSamples.class);
    private final Serde<EquityHistoryEntry> historyEntry = new AvroBinarySerde<>(EquityHistoryEntry.class);
    private final Serde<EquityHistoryPoint> historyPoint;
    private final Serde<KeyDriverState> keyDriverState = new AvroBinarySerde<>(KeyDriverState.class);
    private final Serde<KeyDrivers> keyDrivers;

    public AppSerdes(SchemaRegistryClient registry) {
        // Written by producers outside the pipeline: values over WireFormat.MAX_INPUT_VALUE_BYTES are refused unread.
        interaction = ConfluentAvroSerde.input(registry, CustomerInteraction.class);
        profile = ConfluentAvroSerde.input(registry, CustomerProfile.class);
        customerScore = value(registry, CustomerExperienceScore.class);
        segmentScore = value(registry, SegmentExperienceScore.class);
        touchpointScore = value(registry, TouchpointExperienceScore.class);
        brandEquity = value(registry, BrandEquity.class);
        alert = value(registry, ScoreDropAlert.class);
        customerAlert = value(registry, CustomerAlert.class);
        historyPoint = value(registry, EquityHistoryPoint.class);
        keyDrivers = value(registry, KeyDrivers.class);
    }

    private static <T extends SpecificRecord> Serde<T> value(SchemaRegistryClient registry, Class<T> type) {
        return new ConfluentAvroSerde<>(registry, type, false);
    }

    public Serde<String> string() { return string; }
    Serde<Long> longs() { return longs; }
    public Serde<CustomerInteraction> interaction() { return interaction; }
    public Serde<CustomerProfile> profile() { return profile; }
    public Serde<CustomerExperienceScore> customerScore() { return customerScore; }
    public Serde<SegmentExperienceScore> segmentScore() { return segmentScore; }
    public Serde<TouchpointExperienceScore> touchpointScore() { return touchpointScore; }
    public Serde<BrandEquity> brandEquity() { return brandEquity; }
    public Serde<ScoreDropAlert> alert() { return alert; }
    public Serde<CustomerAlert> customerAlert() { return customerAlert; }
    public Serde<EquityHistoryPoint> historyPoint() { return historyPoint; }
    public Serde<KeyDrivers> keyDrivers() { return keyDrivers; }
    /** The key-driver statistics store's values (read by the query API's /drivers). */
    public Serde<KeyDriverState> keyDriverState() { return keyDriverState; }
    /** The open-alert store's values: the public record, in the registry-free binary encoding of internal state. */
    Serde<CustomerAlert> openCustomerAlert() { return openCustomerAlert; }
    Serde<ScoredInteraction> scored() { return scored; }
    Serde<CustomerLedger> customerLedger() { return customerLedger; }
    Serde<SegmentWindowAggregate> segmentWindow() { return segmentWindow; }
    Serde<SegmentWindowInput> segmentWindowInput() { return segmentWindowInput; }
    Serde<DriverObservationChange> driverObservationChange() { return driverObservationChange; }
    Serde<ClosedPane> closedPane() { return closedPane; }
    Serde<TouchpointWindowAggregate> touchpointWindow() { return touchpointWindow; }
    Serde<EquityLedger> ledger() { return ledger; }
    Serde<PendingContribution> pending() { return pending; }
    Serde<DropDetectorState> dropDetector() { return dropDetector; }
    Serde<EquityWindowSamples> equitySamples() { return equitySamples; }
    Serde<EquityHistoryEntry> historyEntry() { return historyEntry; }
}
