package javae.vae.tsne;

import javae.engine.Tensor;
import javae.engine.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class TsneInputTest {
    @TempDir
    Path dir;

    @Test
    void readsCsvWithHeaderAndLabelColumn() throws Exception {
        Path file = dir.resolve("points.csv");
        Files.writeString(file, "a,b,label\n1.5,2,0\n-3,4e-1,2\n\n5,6,1\n");
        TsneInput input = TsneInput.read(file, 2);
        assertArrayEquals(new double[] {1.5, 2}, input.points()[0]);
        assertArrayEquals(new double[] {-3, 0.4}, input.points()[1]);
        assertArrayEquals(new int[] {0, 2, 1}, input.labels());
        assertNull(TsneInput.read(file, -1).labels());
        assertEquals(3, TsneInput.read(file, -1).points()[2].length);
    }

    @Test
    void readsNpy() throws Exception {
        Path file = dir.resolve("points.npy");
        Npy.write(file, Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        TsneInput input = TsneInput.read(file, -1);
        assertEquals(3, input.points().length);
        assertArrayEquals(new double[] {5, 6}, input.points()[2]);
    }

    @Test
    void badFilesGiveOneClearLine() throws Exception {
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "1,2,3\n4,5\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TsneInput.read(ragged, -1));
        assertEquals(ragged + ": line 2 has 2 values, the first data line has 3", e.getMessage());

        Path nan = dir.resolve("nan.csv");
        Files.writeString(nan, "1,2\n3,NaN\n");
        e = assertThrows(IllegalArgumentException.class, () -> TsneInput.read(nan, -1));
        assertEquals(nan + ": row 2, column 2 is NaN", e.getMessage());

        Path text = dir.resolve("text.csv");
        Files.writeString(text, "1,2\n3,x\n");
        e = assertThrows(IllegalArgumentException.class, () -> TsneInput.read(text, -1));
        assertEquals(text + ": line 2, column 2 is not a number: 'x'", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> TsneInput.read(nan, 5));
        assertEquals(nan + ": label column 5 does not exist in rows of 2 values", e.getMessage());

        Path cube = dir.resolve("cube.npy");
        Npy.write(cube, Tensor.zeros(2, 2, 2));
        e = assertThrows(IllegalArgumentException.class, () -> TsneInput.read(cube, -1));
        assertTrue(e.getMessage().startsWith(cube + ": expected a 2-D array [points, dimensions], got shape"), e.getMessage());
    }
}
