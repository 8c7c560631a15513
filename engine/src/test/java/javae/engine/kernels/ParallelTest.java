package javae.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyTileRunsExactlyOnceOnAnyThreadCount() {
        int threadsBefore = Parallel.threads();
        try {
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                assertEquals(threads, Parallel.threads());
                AtomicIntegerArray runs = new AtomicIntegerArray(37);
                Parallel.forEach(runs.length(), runs::incrementAndGet);
                for (int i = 0; i < runs.length(); i++) assertEquals(1, runs.get(i), "tile " + i + " on " + threads + " threads");
            }
        } finally {
            Parallel.setThreads(threadsBefore);
        }
    }

    @Test
    void smallAndNestedWorkStaysOnTheCallingThread() {
        int threadsBefore = Parallel.threads();
        try {
            Parallel.setThreads(2);
            assertFalse(Parallel.worthSplitting(1, 1L << 30, 0), "one tile");
            assertFalse(Parallel.worthSplitting(8, 100, 1000), "too little work");
            assertTrue(Parallel.worthSplitting(8, 1000, 1000));
            // Inside a pool task, a nested forEach runs its tiles where it is.
            AtomicIntegerArray nestedOnOwnThread = new AtomicIntegerArray(4);
            Parallel.forEach(4, outer -> {
                Thread caller = Thread.currentThread();
                Parallel.forEach(3, inner -> {
                    if (Thread.currentThread() == caller) nestedOnOwnThread.incrementAndGet(outer);
                });
            });
            for (int i = 0; i < 4; i++) assertEquals(3, nestedOnOwnThread.get(i));
        } finally {
            Parallel.setThreads(threadsBefore);
        }
    }

    @Test
    void rejectsFewerThanOneThread() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }
}
