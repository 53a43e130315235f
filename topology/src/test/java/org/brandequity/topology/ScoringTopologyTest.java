package org.brandequity.topology;

import static org.brandequity.topology.Events.interaction;
import static org.brandequity.topology.Events.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.brandequity.avro.CustomerExperienceScore;
import org.brandequity.avro.CustomerInteraction;
import org.brandequity.avro.LifecycleStage;
import org.brandequity.avro.Outcome;
import org.brandequity.avro.Touchpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScoringTopologyTest {
    private final PipelineDriver pipeline = new PipelineDriver();

    @AfterEach
    void close() {
        pipeline.close();
    }

    static Stream<Arguments> signals() {
        return Stream.of(
                Arguments.of("CSAT 5 of 5", (UnaryOperator<CustomerInteraction.Builder>) b -> b.setRating(5), 1.0),
                Arguments.of("CSAT 2 of 5", (UnaryOperator<CustomerInteraction.Builder>) b -> b.setRating(2), -0.5),
                Arguments.of("likelihood to recommend 10 (promoter)", (UnaryOperator<CustomerInteraction.Builder>) b -> b.setLikelihoodToRecommend(10), 1.0),
                Arguments.of("likelihood to recommend 8 (passive)", (UnaryOperator<CustomerInteraction.Builder>) b -> b.setLikelihoodToRecommend(8), 0.2),
                Arguments.of("likelihood to recommend 3 (detractor)", (UnaryOperator<CustomerInteraction.Builder>) b -> b.setLikelihoodToRecommend(3), -1.0),
                Arguments.of("effort 7 (made it easy)", (UnaryOperator<CustomerInteraction.Builder>) b -> b.setEffort(7), 1.0),
                Arguments.of("effort 2", (UnaryOperator<CustomerInteraction.Builder>) b -> b.setEffort(2), -2.0 / 3),
                Arguments.of("sentiment -0.4", (UnaryOperator<CustomerInteraction.Builder>) b -> b.setSentiment(-0.4), -0.4),
                Arguments.of("outcome success", (UnaryOperator<CustomerInteraction.Builder>) b -> b.setOutcome(Outcome.SUCCESS), 0.5),
                Arguments.of("outcome failure", (UnaryOperator<CustomerInteraction.Builder>) b -> b.setOutcome(Outcome.FAILURE), -1.0),
                Arguments.of("CSAT 4 and failure: their mean", (UnaryOperator<CustomerInteraction.Builder>) b -> b.setRating(4).setOutcome(Outcome.FAILURE), -0.25));
    }

    @ParameterizedTest(name = "{0} scores {2}")
    @MethodSource("signals")
    void eachSignalKindMapsOntoTheExperienceScale(String name, UnaryOperator<CustomerInteraction.Builder> signal, double expected) {
        pipeline.send(signal.apply(interaction("c1", minutes(1))).build());
        pipeline.advanceStreamTime(minutes(12));

        CustomerExperienceScore score = pipeline.customerScores.readValue();
        assertEquals("c1", score.getCustomerId());
        assertEquals(expected, score.getScore(), 1e-12);
    }

    @Test
    void anEventWithoutSignalsScoresItsTouchpointPriorAtReducedWeight() {
        pipeline.send(interaction("c1", minutes(1)).setTouchpoint(Touchpoint.CANCELLATION).setStage(LifecycleStage.DISPOSAL).build());
        pipeline.advanceStreamTime(minutes(12));

        CustomerExperienceScore score = pipeline.customerScores.readValue();
        assertEquals(-1.0, score.getScore(), 1e-12);
        // cancellation weight 1.5 x disposal stage 0.8 x prior weight 0.25
        assertEquals(1.5 * 0.8 * 0.25, score.getWeight(), 1e-12);
    }

    @Test
    void aCustomerWindowIsTheWeightedMeanOfItsEventsWithPolarityCounts() {
        pipeline.send(
                interaction("c1", minutes(1)).setTouchpoint(Touchpoint.DELIVERY).setStage(LifecycleStage.PURCHASE).setRating(5).build(),
                interaction("c1", minutes(2)).setTouchpoint(Touchpoint.SUPPORT_CONTACT).setStage(LifecycleStage.SERVICE).setRating(1).build(),
                interaction("c1", minutes(3)).setTouchpoint(Touchpoint.WEBSITE_VISIT).setStage(LifecycleStage.CONSIDERATION).setRating(3).build());
        pipeline.advanceStreamTime(minutes(12));

        CustomerExperienceScore score = pipeline.customerScores.readValue();
        double wDelivery = 1.2 * 1.0, wSupport = 1.3 * 1.0, wWeb = 0.5 * 0.7;
        assertEquals((wDelivery * 1 + wSupport * -1 + wWeb * 0) / (wDelivery + wSupport + wWeb), score.getScore(), 1e-12);
        assertEquals(List.of(3L, 1L, 1L, 1L),
                List.of(score.getEvents(), score.getPositive(), score.getNeutral(), score.getNegative()));
    }
}
