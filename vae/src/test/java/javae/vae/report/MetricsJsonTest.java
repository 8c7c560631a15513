package javae.vae.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** metrics.json: nesting, escaping, and no NaN (JSON has none). */
class MetricsJsonTest {

    @Test
    void writesNestedValuesEscapedAndNaNAsNull() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("accuracy", 0.75);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\"\nline");
        m.put("epochs", 3);
        m.put("loss", Double.NaN);
        m.put("list", List.of(1, 2.5, true));
        m.put("probe", inner);
        assertEquals("{\n  \"name\": \"a \\\"quoted\\\"\\nline\",\n  \"epochs\": 3,\n  \"loss\": null,\n  \"list\": [1, 2.5, true],\n"
                + "  \"probe\": {\n    \"accuracy\": 0.75\n  }\n}", MetricsJson.toJson(m));
    }
}
