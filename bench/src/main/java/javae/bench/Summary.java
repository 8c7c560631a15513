package javae.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
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
            results.addAll(new Runner(peakOnly(options)).run());
        }
        print(results);
    }

    /** The peak probe on one thread, with the run's fork, warm-up and measurement settings. */
    private static Options peakOnly(CommandLineOptions options) {
        ChainedOptionsBuilder peak = new OptionsBuilder().include(Pattern.quote(PEAK) + "$").param("threads", "1");
        if (options.getForkCount().hasValue()) peak.forks(options.getForkCount().get());
        if (options.getWarmupIterations().hasValue()) peak.warmupIterations(options.getWarmupIterations().get());
        if (options.getWarmupTime().hasValue()) peak.warmupTime(options.getWarmupTime().get());
        if (options.getMeasurementIterations().hasValue()) peak.measurementIterations(options.getMeasurementIterations().get());
        if (options.getMeasurementTime().hasValue()) peak.measurementTime(options.getMeasurementTime().get());
        return peak.build();
    }

    private static void print(Collection<RunResult> results) {
        double peakMean = Double.NaN, peakBest = Double.NaN;
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            if (params.getBenchmark().equals(PEAK) && params.getParam("threads").equals("1")) {
                peakMean = gflops(params, result.getPrimaryResult().getScore());
                peakBest = gflops(params, result.getPrimaryResult().getStatistics().getMin());
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-58s %11s %8s %7s %8s %7s%n",
                "benchmark", "us/call", "GFLOPS", "of peak", "best", "of peak");
        for (RunResult result : results) {
            BenchmarkParams params = result.getParams();
            double mean = gflops(params, result.getPrimaryResult().getScore());
            double best = gflops(params, result.getPrimaryResult().getStatistics().getMin());
            String threads = params.getParam("threads");
            int peakThreads = threads == null ? 1 : Integer.parseInt(threads);
            System.out.printf(Locale.ROOT, "%-58s %11.1f %8.1f %6.0f%% %8.1f %6.0f%%%n", label(params),
                    result.getPrimaryResult().getScore(), mean, 100 * mean / (peakMean * peakThreads),
                    best, 100 * best / (peakBest * peakThreads));
        }
        System.out.printf(Locale.ROOT, "peak = %s on 1 thread: %.1f GFLOPS mean, %.1f best; a share on t threads is of t x peak.%n",
                PEAK.substring(PEAK.lastIndexOf('.', PEAK.lastIndexOf('.') - 1) + 1), peakMean, peakBest);
        System.out.println("'best' uses each benchmark's fastest measured iteration: on a shared machine, neighbours only slow runs down.");
    }

    /** FLOPs per call over microseconds per call. */
    private static double gflops(BenchmarkParams params, double microsecondsPerCall) {
        return flops(params) / microsecondsPerCall / 1e3;
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
