package javae.vae.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javae.vae.report.AtomicFiles;

/** metrics.csv: one row per finished epoch ({@link EpochMetrics}), rewritten whole after each epoch. */
final class MetricsCsv {
    private final Path file;

    MetricsCsv(Path file) {
        this.file = file;
    }

    void rewrite(List<EpochMetrics> history) throws IOException {
        StringBuilder text = new StringBuilder(EpochMetrics.CSV_HEADER).append('\n');
        for (EpochMetrics row : history) text.append(row.toCsv()).append('\n');
        AtomicFiles.write(file, text.toString());
    }
}
