package javae.vae.cli;

/** A problem with what the user asked for (a file, a value); its message is the one line the CLI prints. */
public final class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserInputException(String message) {
        super(message);
    }
}
