package javae.vae.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run is, beyond the weights and the optimizer: the next step, the running sums of the
 * current epoch's terms, and the finished epochs' metrics. A checkpoint stores all of it, so a
 * resumed run writes the very same metrics.csv.
 */
final class TrainingState {
    private long step;
    private double lossSum, reconstructionSum, klSum;
    private int stepsInSums;
    private final List<EpochMetrics> history;

    TrainingState(long step, double lossSum, double reconstructionSum, double klSum, int stepsInSums, List<EpochMetrics> history) {
        this.step = step;
        this.lossSum = lossSum;
        this.reconstructionSum = reconstructionSum;
        this.klSum = klSum;
        this.stepsInSums = stepsInSums;
        this.history = new ArrayList<>(history);
    }

    static TrainingState fresh() {
        return new TrainingState(0, 0, 0, 0, 0, List.of());
    }

    long step() {
        return step;
    }

    void setStep(long step) {
        this.step = step;
    }

    void addTrainStep(double loss, double reconstruction, double kl) {
        lossSum += loss;
        reconstructionSum += reconstruction;
        klSum += kl;
        stepsInSums++;
    }

    /** Closes epoch {@code epoch} (0-based) with the validation terms {loss, reconstruction, kl}. */
    void finishEpoch(int epoch, double[] valid) {
        history.add(new EpochMetrics(epoch + 1, lossSum / stepsInSums, reconstructionSum / stepsInSums, klSum / stepsInSums,
                valid[0], valid[1], valid[2]));
        lossSum = reconstructionSum = klSum = 0;
        stepsInSums = 0;
    }

    /** The running sums {loss, reconstruction, kl, steps} of the unfinished epoch. */
    double[] epochSums() {
        return new double[] {lossSum, reconstructionSum, klSum, stepsInSums};
    }

    List<EpochMetrics> history() {
        return List.copyOf(history);
    }
}
