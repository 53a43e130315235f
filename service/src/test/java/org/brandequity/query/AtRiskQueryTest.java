package org.brandequity.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code GET /customers/at-risk}'s ranking and parameters, without a cluster (the whole path runs in ClosedLoopRestartIntegrationTest). */
class AtRiskQueryTest {
    private static Map<String, Object> entry(String customer, double valueWeight, double shortfall) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customerId", customer);
        m.put("valueWeight", valueWeight);
        m.put("shortfall", shortfall);
        m.put("priority", valueWeight * shortfall);
        return m;
    }

    private static List<String> ranked(int limit, Map<String, Object>... entries) {
        return StoreQueries.byPriority(new ArrayList<>(List.of(entries)), limit).stream().map(m -> (String) m.get("customerId")).toList();
    }

    @Test
    void customersAreRankedByValueWeightTimesShortfall() {
        assertEquals(List.of("b", "c", "a"), ranked(10, entry("a", 1, 10), entry("b", 3, 5), entry("c", 2, 6)));
    }

    @Test
    void equalPrioritiesAreRankedByValueWeightThenCustomerId() {
        assertEquals(List.of("y", "x", "z"), ranked(10, entry("z", 1, 0), entry("x", 1, 0), entry("y", 2, 0)));
    }

    @Test
    void theLimitKeepsTheHighestPriorities() {
        assertEquals(List.of("b"), ranked(1, entry("a", 1, 10), entry("b", 3, 5)));
    }

    @Test
    void queryParametersAreDecoded() {
        assertEquals(Map.of("segment", "high value", "limit", "5"),
                QueryParameters.parse("segment=high%20value&limit=5", Set.of("segment", "limit", "scope")));
    }
}
