package javae.vae.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@code metrics.json} every command leaves beside its pictures: a JSON object built
 * from a map whose values are numbers, strings, booleans, lists or nested maps.
 */
public final class MetricsJson {
    private MetricsJson() {}

    /** Writes {@code metrics} to {@code file} as pretty-printed JSON, through a temporary file. */
    public static void write(Path file, Map<String, ?> metrics) throws IOException {
        StringBuilder out = new StringBuilder();
        appendValue(out, metrics, "");
        out.append('\n');
        AtomicFiles.write(file, out.toString());
    }

    /** The JSON text of one value. */
    static String toJson(Object value) {
        StringBuilder out = new StringBuilder();
        appendValue(out, value, "");
        return out.toString();
    }

    private static void appendValue(StringBuilder out, Object value, String indent) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            appendObject(out, map, indent);
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) out.append(", ");
                appendValue(out, list.get(i), indent);
            }
            out.append(']');
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            out.append(Double.isFinite(d) ? Double.toString(d) : "null"); // JSON has no NaN
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            appendString(out, value.toString());
        }
    }

    private static void appendObject(StringBuilder out, Map<?, ?> map, String indent) {
        String inner = indent + "  ";
        out.append("{");
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<?, ?> e = entries.next();
            out.append('\n').append(inner);
            appendString(out, e.getKey().toString());
            out.append(": ");
            appendValue(out, e.getValue(), inner);
            if (entries.hasNext()) out.append(',');
        }
        out.append(map.isEmpty() ? "}" : "\n" + indent + "}");
    }

    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
