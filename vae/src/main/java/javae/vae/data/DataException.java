package javae.vae.data;

/**
 * Bad input data: a missing folder or file, a corrupt image, a malformed list file. The message is
 * one line that names the file and the problem, e.g.
 * {@code list_attr_celeba.txt line 5: 39 values, expected 40}, so the command line can print it as is.
 */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A data error with a one-line message naming the file and the problem. */
    public DataException(String message) {
        super(message);
    }

    /** A data error caused by {@code cause} (kept for debugging; the message alone should suffice). */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
