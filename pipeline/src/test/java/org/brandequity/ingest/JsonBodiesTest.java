package org.brandequity.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonBodiesTest {
    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void oneObjectIsOneItem() throws BodyException {
        assertEquals(1, JsonBodies.items(bytes("{\"a\":1}"), "application/json; charset=utf-8").size());
    }

    @Test
    void anArrayIsOneItemPerElement() throws BodyException {
        assertEquals(3, JsonBodies.items(bytes("[{},{},{}]"), "application/json").size());
    }

    @Test
    void ndjsonIsOneItemPerLineSkippingBlankLines() throws BodyException {
        assertEquals(2, JsonBodies.items(bytes("{\"a\":1}\n\n{\"a\":2}\n"), "application/x-ndjson").size());
    }

    @Test
    void malformedJsonIsA400NamingLineAndColumn() {
        BodyException e = assertThrows(BodyException.class, () -> JsonBodies.items(bytes("{\"a\":1}\n{\"a\":}"), "application/x-ndjson"));
        assertEquals(400, e.status());
        Problem p = e.problems().get(0);
        assertEquals(Problem.Code.MALFORMED_JSON, p.code());
        assertEquals(1, p.item());
        assertTrue(p.reason().contains("line 2"), p.reason());
    }

    @Test
    void aDuplicateFieldIsMalformed() {
        BodyException e = assertThrows(BodyException.class, () -> JsonBodies.items(bytes("{\"a\":1,\"a\":2}"), "application/json"));
        assertEquals(Problem.Code.MALFORMED_JSON, e.problems().get(0).code());
    }

    @Test
    void anItemThatIsNotAnObjectIsNamed() {
        BodyException e = assertThrows(BodyException.class, () -> JsonBodies.items(bytes("[{}, 5]"), "application/json"));
        assertEquals(new Problem(1, null, Problem.Code.NOT_AN_OBJECT, "item 1 is a JSON number, not an object"), e.problems().get(0));
    }

    @Test
    void twoJsonValuesWithoutNdjsonAreMalformed() {
        assertEquals(400, assertThrows(BodyException.class, () -> JsonBodies.items(bytes("{} {}"), "application/json")).status());
    }

    @Test
    void anEmptyBodyIsA400() {
        assertEquals(400, assertThrows(BodyException.class, () -> JsonBodies.items(new byte[0], "application/json")).status());
    }

    @Test
    void aFormBodyIsA415NamingTheAcceptedTypes() {
        BodyException e = assertThrows(BodyException.class, () -> JsonBodies.items(bytes("a=1"), "application/x-www-form-urlencoded"));
        assertEquals(415, e.status());
        assertTrue(e.getMessage().contains("application/x-ndjson"), e.getMessage());
    }
}
