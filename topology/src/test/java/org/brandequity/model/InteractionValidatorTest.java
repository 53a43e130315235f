package org.brandequity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Money;
import org.brandequity.avro.Touchpoint;
import org.junit.jupiter.api.Test;

class InteractionValidatorTest {
    private static final long NOW = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();
    private final InteractionValidator validator = new InteractionValidator(Duration.ofHours(1));

    private static CustomerInteraction.Builder valid() {
        return CustomerInteraction.newBuilder().setEventId("e1").setCustomerId("c1")
                .setEventTime(Instant.ofEpochMilli(NOW - 60_000)).setTouchpoint(Touchpoint.SURVEY_RESPONSE).setStage(LifecycleStage.USAGE);
    }

    @Test
    void aValidEventHasNoViolation() {
        assertNull(validator.validate("c1", valid().build(), NOW));
        assertTrue(validator.validateAll("c1", valid().build(), NOW).isEmpty());
    }

    @Test
    void validateAllListsEveryViolationWithItsFieldInCheckOrder() {
        CustomerInteraction e = valid().setEventId("").setRating(9).setEffort(0)
                .setSpend(new Money(-1.0, "EUR")).setEventTime(Instant.ofEpochMilli(NOW + Duration.ofHours(2).toMillis())).build();
        List<Violation> all = validator.validateAll("c1", e, NOW);
        assertEquals(List.of("eventId", "rating", "effort", "spend.amount", "eventTime"), all.stream().map(Violation::field).toList());
        assertEquals(List.of(DeadLetterReason.MISSING_FIELD, DeadLetterReason.OUT_OF_RANGE, DeadLetterReason.OUT_OF_RANGE,
                DeadLetterReason.OUT_OF_RANGE, DeadLetterReason.FUTURE_EVENT_TIME), all.stream().map(Violation::reason).toList());
    }

    @Test
    void validateReturnsTheFirstViolationValidateAllLists() {
        CustomerInteraction e = valid().setRating(9).setLikelihoodToRecommend(11).build();
        assertEquals(validator.validateAll("c1", e, NOW).get(0), validator.validate("c1", e, NOW));
    }

    @Test
    void anOutOfRangeSignalIsReportedBeforeAFutureTimeAsTheTopologyAlwaysDid() {
        CustomerInteraction e = valid().setRating(9).setEventTime(Instant.ofEpochMilli(NOW + Duration.ofHours(2).toMillis())).build();
        assertEquals(DeadLetterReason.OUT_OF_RANGE, validator.validate("c1", e, NOW).reason());
    }

    @Test
    void aNaNSentimentIsOutOfRange() {
        Violation v = validator.validate("c1", valid().setSentiment(Double.NaN).build(), NOW);
        assertEquals(DeadLetterReason.OUT_OF_RANGE, v.reason());
        assertEquals("sentiment", v.field());
    }

    @Test
    void aKeyOtherThanTheCustomerIdIsAMismatch() {
        assertEquals(DeadLetterReason.KEY_MISMATCH, validator.validate("c2", valid().build(), NOW).reason());
    }
}
