package org.brandequity.model.drivers;

import java.util.Objects;

/**
 * One change to the live observations of a segment: {@code multiplier} +1 adds {@code observation},
 * -1 retracts it (exactly as it was added, to the segment it was added to). The statistics fold
 * {@code multiplier} times the observation's terms, so that a retraction followed by the corrected
 * addition leaves them as if only the corrected observation had ever been added.
 */
public record ObservationChange(DriverObservation observation, int multiplier, String segment) {
    public ObservationChange {
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(segment, "segment");
        if (multiplier != 1 && multiplier != -1) throw new IllegalArgumentException("multiplier must be +1 or -1: " + multiplier);
    }

    public static ObservationChange addition(DriverObservation observation, String segment) {
        return new ObservationChange(observation, 1, segment);
    }

    public static ObservationChange retraction(DriverObservation observation, String segment) {
        return new ObservationChange(observation, -1, segment);
    }

    public boolean isRetraction() {
        return multiplier < 0;
    }
}
