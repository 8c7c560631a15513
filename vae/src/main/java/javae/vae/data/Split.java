package javae.vae.data;

/** Which part of a dataset to use: CelebA's partition file marks them 0, 1 and 2. */
public enum Split {
    /** For fitting the model. */
    TRAIN,
    /** For choosing hyper-parameters and watching over-fitting. */
    VALID,
    /** For the final numbers. */
    TEST;

    /** The split of a command-line word: "train", "valid" or "test" (any case). */
    public static Split parse(String name) {
        for (Split split : values()) {
            if (split.name().equalsIgnoreCase(name.trim())) return split;
        }
        throw new IllegalArgumentException("unknown split '" + name + "', expected train, valid or test");
    }
}
