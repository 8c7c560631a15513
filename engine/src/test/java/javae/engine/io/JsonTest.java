package javae.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() {
        Object parsed = Json.parse(" {\"a\": [1, -2, 3.5e1], \"b\": {\"c\": \"x\\\"y\\u00e9\\n\"}, \"t\": true, \"f\": false, \"n\": null} ");
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("c", "x\"y\u00e9\n");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", Arrays.asList(1L, -2L, 35.0));
        expected.put("b", inner);
        expected.put("t", true);
        expected.put("f", false);
        expected.put("n", null);
        assertEquals(expected, parsed);
        assertEquals(Arrays.asList("a", "b", "t", "f", "n"), Arrays.asList(((Map<?, ?>) parsed).keySet().toArray()), "key order kept");
    }

    @Test
    void quotedStringsParseBack() {
        String tricky = "tab\t quote\" backslash\\ control\u0001 unicode \u4e2d";
        assertEquals(tricky, Json.parse(Json.quote(tricky)));
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : new String[] {"", "{", "{\"a\" 1}", "{\"a\":1,}", "[1 2]", "\"open", "{\"a\":1,\"a\":2}", "tru", "1 2", "\"\\x\"", "--1"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("JSON: "), e.getMessage());
        }
    }
}
