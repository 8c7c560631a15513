package javae.vae.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final long SECOND = 1_000_000_000L;

    /** A clock the test moves by hand. */
    private static final class FakeClock {
        long nanos = 1000 * SECOND;

        long now() {
            return nanos;
        }
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final FakeClock clock = new FakeClock();

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void durationsAreMinutesAndSecondsThenHours() {
        assertEquals("0:00", ProgressBar.formatDuration(0));
        assertEquals("0:59", ProgressBar.formatDuration(59.4));
        assertEquals("1:15", ProgressBar.formatDuration(75));
        assertEquals("59:59", ProgressBar.formatDuration(3599));
        assertEquals("1:02:05", ProgressBar.formatDuration(3725));
    }

    @Test
    void ratesHaveOneDecimalOnlyWhenSmall() {
        assertEquals("8.3", ProgressBar.formatRate(8.333));
        assertEquals("99.9", ProgressBar.formatRate(99.94));
        assertEquals("812", ProgressBar.formatRate(812.4));
    }

    @Test
    void numbersHaveFourSignificantDigits() {
        assertEquals("412.3", ProgressBar.formatNumber(412.34));
        assertEquals("0.01235", ProgressBar.formatNumber(0.0123456));
        assertEquals("1.235e+07", ProgressBar.formatNumber(12345678));
        assertEquals("NaN", ProgressBar.formatNumber(Double.NaN));
    }

    @Test
    void lineShowsFractionCountRateEtaAndFields() {
        ProgressBar bar = new ProgressBar("train", 400, "img", out, ProgressBar.Mode.OFF, clock::now);
        clock.nanos += 5 * SECOND;
        bar.step(100);
        bar.field("loss", 412.34);
        bar.field("kl", "31.2");
        String line = bar.line();
        assertTrue(line.startsWith("train  [######..................]   25%  100/400"), line);
        assertTrue(line.contains("20.0 img/s"), line);
        assertTrue(line.contains("ETA 0:15"), line); // 300 left at 20 per second
        assertTrue(line.endsWith("loss=412.3  kl=31.2"), line);
    }

    @Test
    void etaIsUnknownBeforeAnyTimePasses() {
        ProgressBar bar = new ProgressBar("x", 10, "it", out, ProgressBar.Mode.OFF, clock::now);
        assertTrue(bar.line().contains("ETA ?"), bar.line());
    }

    @Test
    void plainModePrintsAboutEveryFivePercent() {
        ProgressBar bar = new ProgressBar("job", 100, "it", out, ProgressBar.Mode.PLAIN, clock::now);
        for (int i = 0; i < 100; i++) {
            clock.nanos += SECOND / 100;
            bar.step();
        }
        bar.finish();
        String[] lines = printed().split("\n");
        assertEquals(21, lines.length, printed()); // at 5%, 10%, ..., 100%, then the final line
        assertFalse(printed().contains("\r"));
        assertTrue(lines[20].contains("100/100") && lines[20].endsWith("in 0:01"), lines[20]);
    }

    @Test
    void plainModePrintsEveryTenSecondsWhenSlow() {
        ProgressBar bar = new ProgressBar("slow", 1000, "it", out, ProgressBar.Mode.PLAIN, clock::now);
        clock.nanos += 9 * SECOND;
        bar.step();
        assertEquals("", printed());
        clock.nanos += 2 * SECOND;
        bar.step();
        assertTrue(printed().contains("2/1000"), printed());
    }

    @Test
    void terminalModeRedrawsAtMostTenTimesASecond() {
        ProgressBar bar = new ProgressBar("fast", 1000, "it", out, ProgressBar.Mode.TERMINAL, clock::now);
        for (int i = 0; i < 1000; i++) {
            clock.nanos += SECOND / 1000; // one second in all
            bar.step();
        }
        long redraws = printed().chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 9 && redraws <= 10, "redraws: " + redraws);
        assertFalse(printed().contains("\n"));
        bar.finish();
        assertTrue(printed().endsWith("\n") && printed().contains("1000/1000  1000 it/s  in 0:01"), printed());
    }

    @Test
    void terminalModeBlanksTheTailOfALongerLine() {
        ProgressBar bar = new ProgressBar("t", 10, "it", out, ProgressBar.Mode.TERMINAL, clock::now);
        bar.field("note", "a long note that will disappear");
        clock.nanos += SECOND;
        bar.step();
        int longer = printed().length() - 1;
        bar.field("note", "");
        clock.nanos += SECOND;
        bar.step();
        String second = printed().substring(longer + 1);
        assertEquals(longer + 1, second.length(), "the redraw covers the whole previous line");
    }

    @Test
    void terminalLinesAreCutToTheTerminalWidth() {
        ProgressBar bar = new ProgressBar("wide", 10, "it", out, ProgressBar.Mode.TERMINAL, clock::now);
        bar.field("note", "x".repeat(300));
        clock.nanos += SECOND;
        bar.step();
        String drawn = printed().substring(1);
        assertEquals(ProgressBar.terminalColumns() - 1, drawn.length(), drawn);
        assertTrue(drawn.startsWith("wide  ["), drawn);
    }

    @Test
    void offModeAndFinishTwicePrintNothingMore() {
        ProgressBar silent = new ProgressBar("quiet", 10, "it", out, ProgressBar.Mode.OFF, clock::now);
        silent.step(10);
        silent.finish();
        assertEquals("", printed());
        ProgressBar bar = new ProgressBar("once", 1, "it", out, ProgressBar.Mode.PLAIN, clock::now);
        bar.finish();
        bar.finish();
        assertEquals(1, printed().split("\n").length);
    }
}
