package javae.vae.train;

/** Training met NaN or infinity; the message names the step and what went wrong. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
