package javae.vae.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * report.html: the figures of a run with captions in the manner of the report, and a table of its
 * metrics. Figures are referenced by relative path, so the folder can be moved or zipped whole;
 * figures whose file is missing are left out.
 */
public final class ReportHtml {
    /** A picture in the report: its file (relative to the report), a heading and a caption. */
    public record Figure(String file, String heading, String caption) {}

    private final String title;
    private final String introduction;
    private final List<Figure> figures = new ArrayList<>();

    public ReportHtml(String title, String introduction) {
        this.title = title;
        this.introduction = introduction;
    }

    /** Adds a figure, in reading order. */
    public ReportHtml add(String file, String heading, String caption) {
        figures.add(new Figure(file, heading, caption));
        return this;
    }

    /** Writes the report into {@code dir}/report.html, with {@code metrics} as a table at the end. */
    public Path write(Path dir, Map<String, ?> metrics) throws IOException {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body { font-family: Georgia, serif; max-width: 900px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.5; }\n")
                .append("figure { margin: 2em 0; text-align: center; }\n")
                .append("figure img { max-width: 100%; image-rendering: pixelated; border: 1px solid #ddd; }\n")
                .append("figcaption { font-style: italic; color: #555; margin-top: 0.5em; }\n")
                .append("table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: 0.25em 0.75em; text-align: left; }\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n<p>")
                .append(escape(introduction)).append("</p>\n");
        for (Figure figure : figures) {
            if (!Files.exists(dir.resolve(figure.file()))) continue;
            html.append("<h2>").append(escape(figure.heading())).append("</h2>\n<figure>\n<img src=\"")
                    .append(escape(figure.file())).append("\" alt=\"").append(escape(figure.heading())).append("\">\n<figcaption>")
                    .append(escape(figure.caption())).append("</figcaption>\n</figure>\n");
        }
        html.append("<h2>Metrics</h2>\n<table>\n<tr><th>metric</th><th>value</th></tr>\n");
        for (Map.Entry<String, ?> e : metrics.entrySet()) {
            html.append("<tr><td>").append(escape(e.getKey())).append("</td><td>").append(escape(format(e.getValue()))).append("</td></tr>\n");
        }
        html.append("</table>\n<p>All numbers are also in <a href=\"metrics.json\">metrics.json</a>.</p>\n</body>\n</html>\n");
        Path file = dir.resolve("report.html");
        AtomicFiles.write(file, html.toString());
        return file;
    }

    private static String format(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Math.abs(d) >= 1e5 || (d != 0 && Math.abs(d) < 1e-3) ? String.format("%.4g", d) : String.format("%.4f", d).replaceAll("\\.?0+$", "");
        }
        return value instanceof Map || value instanceof List ? MetricsJson.toJson(value) : String.valueOf(value);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
