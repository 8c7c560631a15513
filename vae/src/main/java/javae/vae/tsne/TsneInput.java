package javae.vae.tsne;

import javae.engine.Tensor;
import javae.engine.io.Npy;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Points to embed, read from a 2-D {@code .npy} array or a CSV file (comma-separated numbers, one
 * point per line, an optional header line), with an optional integer label column that is split off
 * (for colouring) and not embedded.
 *
 * @param points [N][D] finite values
 * @param labels [N] labels, or null when no label column was given
 */
public record TsneInput(double[][] points, int[] labels) {

    /**
     * Reads {@code file}; {@code labelColumn} is the zero-based column holding labels, or -1.
     *
     * @throws IllegalArgumentException with one line naming the file and the offending row/value
     *         (ragged rows, a non-number, NaN or infinity, a bad label column, not 2-D)
     * @throws IOException when the file cannot be read or is not a valid .npy file
     */
    public static TsneInput read(Path file, int labelColumn) throws IOException {
        double[][] table = file.getFileName().toString().endsWith(".npy") ? readNpy(file) : readCsv(file);
        if (table.length == 0) throw new IllegalArgumentException(file + ": no rows");
        int width = table[0].length;
        if (labelColumn < -1 || labelColumn >= width) {
            throw new IllegalArgumentException(file + ": label column " + labelColumn + " does not exist in rows of " + width + " values");
        }
        if (labelColumn >= 0 && width < 2) throw new IllegalArgumentException(file + ": no columns left after the label column");
        double[][] points = new double[table.length][];
        int[] labels = labelColumn >= 0 ? new int[table.length] : null;
        for (int i = 0; i < table.length; i++) {
            double[] row = table[i];
            for (int c = 0; c < width; c++) {
                if (!Double.isFinite(row[c])) {
                    throw new IllegalArgumentException(file + ": row " + (i + 1) + ", column " + (c + 1) + " is " + row[c]);
                }
            }
            if (labelColumn < 0) {
                points[i] = row;
                continue;
            }
            labels[i] = (int) row[labelColumn];
            if (labels[i] != row[labelColumn]) {
                throw new IllegalArgumentException(file + ": row " + (i + 1) + " has label " + row[labelColumn] + ", not an integer");
            }
            points[i] = new double[width - 1];
            for (int c = 0, k = 0; c < width; c++) if (c != labelColumn) points[i][k++] = row[c];
        }
        return new TsneInput(points, labels);
    }

    private static double[][] readNpy(Path file) throws IOException {
        Tensor tensor = Npy.read(file);
        if (tensor.rank() != 2) {
            throw new IllegalArgumentException(file + ": expected a 2-D array [points, dimensions], got shape " + tensor.shape());
        }
        int n = tensor.dim(0), d = tensor.dim(1);
        // An empty array may still declare a huge side, e.g. (2147483647, 0): refuse it before allocating rows.
        if (n == 0 || d == 0) throw new IllegalArgumentException(file + ": no points to embed, shape " + tensor.shape());
        float[] data = tensor.data();
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) rows[i][c] = data[i * d + c];
        return rows;
    }

    private static double[][] readCsv(Path file) throws IOException {
        List<double[]> rows = new ArrayList<>();
        // Latin-1 decodes every byte, so a stray non-UTF-8 byte becomes a bad value on its line, not a decoder error.
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) continue;
                String[] fields = line.split(",", -1);
                if (rows.isEmpty() && lineNumber == 1 && !isNumber(fields[0].trim())) continue; // header
                if (!rows.isEmpty() && fields.length != rows.get(0).length) {
                    throw new IllegalArgumentException(file + ": line " + lineNumber + " has " + fields.length
                            + " values, the first data line has " + rows.get(0).length);
                }
                double[] row = new double[fields.length];
                for (int c = 0; c < fields.length; c++) {
                    String field = fields[c].trim();
                    if (!isNumber(field)) {
                        throw new IllegalArgumentException(file + ": line " + lineNumber + ", column " + (c + 1) + " is not a number: '" + field + "'");
                    }
                    row[c] = Double.parseDouble(field);
                }
                rows.add(row);
            }
        }
        return rows.toArray(new double[0][]);
    }

    private static boolean isNumber(String field) {
        try {
            Double.parseDouble(field);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
