package org.brandequity.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Money;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.Touchpoint;

/** Sample records and hand-edited variants of the CustomerInteraction schema for the wire tests. */
final class Interactions {

    static final Instant EVENT_TIME = Instant.parse("2025-03-14T09:26:53.589Z");

    private Interactions() {}

    static CustomerInteraction interaction(String eventId) {
        return CustomerInteraction.newBuilder()
                .setEventId(eventId)
                .setCustomerId("customer-42")
                .setEventTime(EVENT_TIME)
                .setTouchpoint(Touchpoint.SUPPORT_CONTACT)
                .setStage(LifecycleStage.SERVICE)
                .setChannel("phone")
                .setRating(4)
                .setLikelihoodToRecommend(9)
                .setSentiment(0.62)
                .setEffort(6)
                .setOutcome(Outcome.SUCCESS)
                .setSpend(Money.newBuilder().setAmount(19.9).setCurrency("EUR").build())
                .build();
    }

    /** The current schema as JSON, changed by {@code edit}, parsed back. */
    static Schema editedSchema(Consumer<ObjectNode> edit) {
        ObjectMapper json = new ObjectMapper();
        try {
            ObjectNode root = (ObjectNode) json.readTree(CustomerInteraction.getClassSchema().toString());
            edit.accept(root);
            return new Schema.Parser().parse(root.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ArrayNode fields(ObjectNode record) {
        return (ArrayNode) record.get("fields");
    }

    static ObjectNode field(ObjectNode record, String name) {
        for (var field : fields(record)) {
            if (field.get("name").asText().equals(name)) {
                return (ObjectNode) field;
            }
        }
        throw new IllegalArgumentException("No field " + name);
    }
}
