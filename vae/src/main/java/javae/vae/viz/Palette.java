package javae.vae.viz;

import java.awt.Color;
import java.util.List;

/**
 * Twelve distinguishable colours for categories: Tableau's ten (also matplotlib's default cycle),
 * then two more. Colour {@code i} is {@code color(i)}; beyond twelve the cycle repeats.
 */
public final class Palette {
    private static final List<Color> COLORS = List.of(
        new Color(0x1F77B4), // blue
        new Color(0xFF7F0E), // orange
        new Color(0x2CA02C), // green
        new Color(0xD62728), // red
        new Color(0x9467BD), // purple
        new Color(0x8C564B), // brown
        new Color(0xE377C2), // pink
        new Color(0x7F7F7F), // grey
        new Color(0xBCBD22), // olive
        new Color(0x17BECF), // cyan
        new Color(0x393B79), // navy
        new Color(0xFFD92F)); // yellow

    /** The colour for a "no" in a yes/no attribute: a quiet grey-blue. */
    public static final Color NEGATIVE = new Color(0x8DA0CB);
    /** The colour for a "yes" in a yes/no attribute: a strong orange that stands out over {@link #NEGATIVE}. */
    public static final Color POSITIVE = new Color(0xE6550D);

    private Palette() {}

    /** The colour of category {@code index} (0 or more). */
    public static Color color(int index) {
        if (index < 0) throw new IllegalArgumentException("colour index must be >= 0, got " + index);
        return COLORS.get(index % COLORS.size());
    }

    /** How many distinct colours there are before the cycle repeats. */
    public static int size() {
        return COLORS.size();
    }
}
