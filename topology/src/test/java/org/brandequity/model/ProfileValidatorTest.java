package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.brandequity.avro.CustomerProfile;
import org.junit.jupiter.api.Test;

class ProfileValidatorTest {
    @Test
    void aProfileWithIdSegmentAndNonNegativeWeightIsValid() {
        assertTrue(ProfileValidator.validateAll(new CustomerProfile("c1", "high-value", null, 0.0, null)).isEmpty());
    }

    @Test
    void everyProblemOfAProfileIsListedWithItsField() {
        List<Violation> all = ProfileValidator.validateAll(new CustomerProfile(" ", "", null, -2.0, null));
        assertEquals(List.of("customerId", "segment", "valueWeight"), all.stream().map(Violation::field).toList());
    }

    @Test
    void aNaNValueWeightIsOutOfRange() {
        assertEquals(DeadLetterReason.OUT_OF_RANGE, ProfileValidator.validateAll(new CustomerProfile("c1", "s", null, Double.NaN, null)).get(0).reason());
    }

    @Test
    void aNulInTheCustomerIdIsAnInvalidId() {
        assertEquals(DeadLetterReason.INVALID_ID, ProfileValidator.validateAll(new CustomerProfile("c\u00001", "s", null, 1.0, null)).get(0).reason());
    }
}
