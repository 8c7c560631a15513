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
            // Inside a tile (on a worker or on the calling thread), a nested forEach runs its tiles where it is.
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
    void aFailingTileReachesTheCallerAfterTheOthersRan() {
        int threadsBefore = Parallel.threads();
        try {
            Parallel.setThreads(2);
            AtomicIntegerArray runs = new AtomicIntegerArray(8);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forEach(8, tile -> {
                runs.incrementAndGet(tile);
                if (tile == 3) throw new IllegalStateException("tile 3 failed");
            }));
            assertEquals("tile 3 failed", e.getMessage());
            for (int i = 0; i < runs.length(); i++) assertEquals(1, runs.get(i), "tile " + i);
            // and the pool still works afterwards
            AtomicIntegerArray again = new AtomicIntegerArray(5);
            Parallel.forEach(again.length(), again::incrementAndGet);
            for (int i = 0; i < again.length(); i++) assertEquals(1, again.get(i), "tile " + i + " of the next loop");
        } finally {
            Parallel.setThreads(threadsBefore);
        }
    }

    @Test
    void chunksCoverEveryIndexOnceInWholeVectors() {
        int threadsBefore = Parallel.threads();
        try {
            Parallel.setThreads(2);
            for (int length : new int[] {0, 5, Parallel.MIN_CHUNKED_LENGTH - 1, Parallel.MIN_CHUNKED_LENGTH, 1_000_003}) {
                AtomicIntegerArray covered = new AtomicIntegerArray(length);
                AtomicIntegerArray calls = new AtomicIntegerArray(1);
                Parallel.forEachChunk(length, Parallel.MIN_CHUNKED_LENGTH, (from, to) -> {
                    calls.incrementAndGet(0);
                    assertTrue(from < to || length == 0, "an empty chunk [" + from + ", " + to + ") of " + length);
                    if (to < length) assertEquals(0, (to - from) % 64, "a chunk [" + from + ", " + to + ") that is not whole vectors");
                    for (int i = from; i < to; i++) covered.incrementAndGet(i);
                });
                for (int i = 0; i < length; i++) assertEquals(1, covered.get(i), "index " + i + " of " + length);
                int expectedCalls = length < Parallel.MIN_CHUNKED_LENGTH ? 1 : 8;
                assertEquals(expectedCalls, calls.get(0), "chunks of " + length);
            }
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
