package javae.vae.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CelebA's two list files, parsed and checked against each other.
 * {@code list_attr_celeba.txt}: the image count, the attribute names, then one row per image:
 * its file name and one value (1 or -1) per attribute, separated by any spaces.
 * {@code list_eval_partition.txt}: one row per image, in the same order: file name and 0, 1 or 2.
 */
final class CelebaLists {
    final List<String> imageNames;
    final List<String> attributeNames;
    final byte[] attributes; // [images, attributes], +1 or -1
    final byte[] partition;  // [images], 0 train, 1 valid, 2 test

    private CelebaLists(List<String> imageNames, List<String> attributeNames, byte[] attributes, byte[] partition) {
        this.imageNames = imageNames;
        this.attributeNames = attributeNames;
        this.attributes = attributes;
        this.partition = partition;
    }

    /** Reads both list files of the layout in {@code dir}. */
    static CelebaLists read(Path dir) {
        Path attributeFile = dir.resolve(CelebaNames.ATTRIBUTE_FILE);
        List<String> lines = readLines(attributeFile);
        String where = attributeFile.toString();
        if (lines.size() < 2) throw new DataException(where + ": " + lines.size() + " lines, expected a count line and a names line");
        int count = parseCount(lines.get(0), where);
        List<String> names = List.of(tokens(lines.get(1)));
        if (names.isEmpty()) throw new DataException(where + " line 2: no attribute names");
        List<String> rows = withoutTrailingBlanks(lines.subList(2, lines.size()));
        if (rows.size() != count) throw new DataException(where + ": declares " + count + " images but has " + rows.size() + " rows");

        List<String> imageNames = new ArrayList<>(count);
        byte[] attributes = new byte[count * names.size()];
        for (int i = 0; i < count; i++) {
            String[] fields = tokens(rows.get(i));
            String line = where + " line " + (i + 3);
            if (fields.length == 0) throw new DataException(line + ": empty line");
            if (fields.length - 1 != names.size()) {
                throw new DataException(line + ": " + (fields.length - 1) + " values, expected " + names.size());
            }
            imageNames.add(fields[0]);
            for (int a = 0; a < names.size(); a++) {
                String value = fields[a + 1];
                if (!value.equals("1") && !value.equals("-1")) {
                    throw new DataException(line + ": value '" + value + "' for " + names.get(a) + ", expected 1 or -1");
                }
                attributes[i * names.size() + a] = (byte) Integer.parseInt(value);
            }
        }
        byte[] partition = readPartition(dir.resolve(CelebaNames.PARTITION_FILE), imageNames);
        return new CelebaLists(List.copyOf(imageNames), names, attributes, partition);
    }

    private static byte[] readPartition(Path file, List<String> imageNames) {
        String where = file.toString();
        List<String> rows = withoutTrailingBlanks(readLines(file));
        if (rows.size() != imageNames.size()) {
            throw new DataException(where + ": " + rows.size() + " rows, but " + CelebaNames.ATTRIBUTE_FILE + " lists " + imageNames.size() + " images");
        }
        byte[] partition = new byte[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            String[] fields = tokens(rows.get(i));
            String line = where + " line " + (i + 1);
            if (fields.length != 2) throw new DataException(line + ": " + fields.length + " fields, expected a file name and 0, 1 or 2");
            if (!fields[0].equals(imageNames.get(i))) {
                throw new DataException(line + ": " + fields[0] + ", but " + CelebaNames.ATTRIBUTE_FILE + " has " + imageNames.get(i) + " here");
            }
            if (!fields[1].matches("[012]")) throw new DataException(line + ": partition '" + fields[1] + "', expected 0, 1 or 2");
            partition[i] = (byte) (fields[1].charAt(0) - '0');
        }
        return partition;
    }

    private static int parseCount(String line, String where) {
        try {
            int count = Integer.parseInt(line.trim());
            if (count < 0) throw new NumberFormatException();
            return count;
        } catch (NumberFormatException e) {
            throw new DataException(where + " line 1: '" + line.trim() + "', expected the number of images");
        }
    }

    private static List<String> readLines(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            List<String> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) lines.add(line);
            return lines;
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    // Trailing blank lines are common; blank lines in the middle would shift the rows, so only the end is trimmed.
    private static List<String> withoutTrailingBlanks(List<String> lines) {
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) end--;
        return lines.subList(0, end);
    }

    private static String[] tokens(String line) {
        String trimmed = line.trim();
        return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
    }

    /** The indices of the images in {@code split}, in file order. */
    int[] indicesOf(Split split) {
        int[] indices = new int[partition.length];
        int n = 0;
        for (int i = 0; i < partition.length; i++) if (partition[i] == split.ordinal()) indices[n++] = i;
        return Arrays.copyOf(indices, n);
    }
}
