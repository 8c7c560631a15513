package javae.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The entry point of benchmarks.jar ({@code ./javae bench [JMH options] [regex]}): runs the selected
 * JMH benchmarks exactly as JMH's own main would, then prints them again as GFLOPS and as a share of
 * this machine's peak, measured by {@link PeakFmaBenchmark} in the same run (it is added to the
 * selection when missing). Listing and help options go straight to JMH.
 */
public final class Summary {
    private static final String PEAK = PeakFmaBenchmark.class.getName() + ".fma512";

    private Summary() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException, java.io.IOException {
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
                || options.shouldListProfilers() || options.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Collection<RunResult> results = new ArrayList<>(new Runner(options).run());
        if (results.stream().noneMatch(r -> r.getParams().getBenchmark().equals(PEAK))) {
            Options peakOnly = new OptionsBuilder().parent(options).include(PEAK + "$").build();
            results.addAll(new Runner(peakOnly).run());
        }
        print(results);
    }

    private static void print(Collection<RunResult> results) {
        double peakPerThread = Double.NaN;
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            if (params.getBenchmark().equals(PEAK) && params.getParam("threads").equals("1")) {
                peakPerThread = gflops(result);
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-60s %12s %10s %8s%n", "benchmark", "us/call", "GFLOPS", "of peak");
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            double gflops = gflops(result);
            String threads = params.getParam("threads");
            double peak = peakPerThread * (threads == null ? 1 : Integer.parseInt(threads));
            System.out.printf(Locale.ROOT, "%-60s %12.1f %10.1f %7.0f%%%n", label(params),
                    result.getPrimaryResult().getScore(), gflops, 100 * gflops / peak);
        }
        System.out.printf(Locale.ROOT, "(peak: %s at 1 thread = %.1f GFLOPS; 2-thread shares are of twice that)%n",
                PeakFmaBenchmark.class.getSimpleName() + ".fma512", peakPerThread);
    }

    /** FLOPs per call over microseconds per call. */
    private static double gflops(RunResult result) {
        return flops(result.getParams()) / result.getPrimaryResult().getScore() / 1e3;
    }

    private static double flops(BenchmarkParams params) {
        String name = params.getBenchmark();
        String method = name.substring(name.lastIndexOf('.') + 1);
        String owner = name.substring(0, name.lastIndexOf('.'));
        if (owner.equals(PeakFmaBenchmark.class.getName())) {
            return PeakFmaBenchmark.flops(method, Integer.parseInt(params.getParam("threads")));
        }
        if (owner.equals(GemmBenchmark.class.getName()) || owner.equals(ReferenceGemmBenchmark.class.getName())) {
            return GemmBenchmark.flops(Integer.parseInt(params.getParam("size")));
        }
        if (owner.equals(VaeGemmBenchmark.class.getName())) {
            return VaeGemmBenchmark.flops(params.getParam("layer"), params.getParam("pass"));
        }
        return Double.NaN;
    }

    private static String label(BenchmarkParams params) {
        String name = params.getBenchmark();
        List<String> parts = new ArrayList<>();
        parts.add(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1));
        for (String key : params.getParamsKeys()) parts.add(key + "=" + params.getParam(key));
        return String.join(" ", parts);
    }
}
