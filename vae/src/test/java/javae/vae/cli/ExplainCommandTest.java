package javae.vae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code javae explain}: the shapes it prints are the model's, its walk matches the model, and its gradient check holds. */
class ExplainCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsEveryShapeOfTheDefaultSmallModel() {
        Run r = run("explain", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        String[][] expected = {
            {"conv1 s2 p1, relu", "[2, 64, 8, 8]"},
            {"conv2 s2 p1, relu", "[2, 64, 4, 4]"},
            {"conv3 s1 p0, relu", "[2, 256, 1, 1]"},
            {"flatten(1)", "[2, 256]"},
            {"fc_enc (Ops.linear)", "[2, 8]"},
            {"mean = first dim_z", "[2, 4]"},
            {"var = softplus(0.5 rest)", "[2, 4]"},
            {"z", "[2, 4]"},
            {"fc_dec, relu", "[2, 256]"},
            {"reshape", "[2, 256, 1, 1]"},
            {"tconv1 s1 p0", "[2, 64, 4, 4]"},
            {"relu, tconv2 s2 p1", "[2, 64, 8, 8]"},
            {"relu, tconv3 s2 p1", "[2, 3, 16, 16]"},
            {"tanh = mu_theta(z)", "[2, 3, 16, 16]"},
        };
        for (String[] row : expected) {
            Matcher m = Pattern.compile("(?m)^ {3}" + Pattern.quote(row[0]) + " +(\\[[0-9, ]+\\])").matcher(r.out());
            assertTrue(m.find(), "no line for " + row[0] + " in:\n" + r.out());
            assertEquals(row[1], m.group(1), row[0]);
        }
        assertTrue(r.out().contains("the same number, bit for bit"), "the walk should reproduce ConvVae.elbo's loss:\n" + r.out());
    }

    @Test
    void theFiniteDifferenceAgreesWithBackwardAndAdamMatchesTheHandUpdate() {
        Run r = run("explain", "--seed", "3", "--size", "8", "--batch", "3", "--dim-z", "2", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("relu, tconv2 s2 p1         [3, 3, 8, 8]"), r.out());
        double numeric = number(r.out(), "numeric .*: (\\S+)");
        double analytic = number(r.out(), "analytic \\(backward\\): +(\\S+)");
        assertTrue(Math.abs(numeric) > 1, "the checked gradient should be well above rounding: " + numeric);
        assertTrue(ExplainCommand.relativeDifference(numeric, analytic) < ExplainCommand.AGREEMENT, numeric + " vs " + analytic);
        double byHand = number(r.out(), "of \\(mu - x\\) / var_x \\* \\(1 - mu\\^2\\): +(\\S+)");
        assertTrue(ExplainCommand.relativeDifference(byHand, analytic) < 1e-4, "the chain rule by hand should match backward: " + byHand + " vs " + analytic);
        assertEquals(number(r.out(), "= (\\S+) by hand"), number(r.out(), "Adam.step gave (\\S+)"), 1e-6);
        double before = number(r.out(), "noise: (\\S+) before"), after = number(r.out(), "before, (\\S+) after");
        assertTrue(after < before, "one Adam step on the same batch should lower the loss: " + before + " -> " + after);
    }

    @Test
    void helpAndBadInput() {
        Run help = run("explain", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Usage: javae explain") && help.out().contains("--seed"), help.out());
        Run bad = run("explain", "--size", "12");
        assertEquals(Main.EXIT_FAILURE, bad.code());
        assertTrue(bad.err().strip().endsWith("image size must be 8, 16, 32 or 64, got 12"), bad.err());
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
