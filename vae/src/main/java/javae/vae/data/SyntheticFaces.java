package javae.vae.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javae.engine.Rng;
import javae.engine.kernels.Parallel;
import javae.vae.report.AtomicFiles;
import javae.vae.ui.ProgressBar;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A deterministic generator of synthetic faces in CelebA's layout, the embedded default dataset
 * (CelebA itself cannot ship). Each image is 178x218 like CelebA's aligned crops, with the face
 * where CelebA has it, so the same centre crop (148) and resize (64) frame it. Image {@code i} of
 * seed {@code s} is always the same picture with the same attributes.
 *
 * <p>All 40 CelebA attributes are drawn with rates close to CelebA's, and depend on each other
 * plausibly (beards only on men, grey hair mostly on older faces, hair colours exclusive, about
 * 15% blond). The attributes in {@link #RENDERED_ATTRIBUTES} change the picture; the others
 * (Attractive, Bags_Under_Eyes, Double_Chin, High_Cheekbones, Oval_Face,
 * Pointy_Nose, Straight_Hair: straight is simply not wavy) are labels only. Besides the attributes, every face varies in pose (offset, tilt,
 * scale), lighting (a gradient in a random direction), background colour, skin tone and hair shape.
 *
 * <p>Rendering is Java2D; it runs headless.
 */
public final class SyntheticFaces {
    /** Image width, as CelebA's aligned crops. */
    public static final int WIDTH = 178;
    /** Image height, as CelebA's aligned crops. */
    public static final int HEIGHT = 218;

    /** The attributes that visibly change the picture. */
    public static final Set<String> RENDERED_ATTRIBUTES = Set.of(
        "5_o_Clock_Shadow", "Arched_Eyebrows", "Bald", "Bangs", "Big_Lips", "Big_Nose", "Black_Hair",
        "Blond_Hair", "Blurry", "Brown_Hair", "Bushy_Eyebrows", "Chubby", "Eyeglasses", "Goatee",
        "Gray_Hair", "Heavy_Makeup", "Male", "Mouth_Slightly_Open", "Mustache", "Narrow_Eyes",
        "No_Beard", "Pale_Skin", "Receding_Hairline", "Rosy_Cheeks", "Sideburns", "Smiling",
        "Wavy_Hair", "Wearing_Earrings", "Wearing_Hat", "Wearing_Lipstick",
        "Wearing_Necklace", "Wearing_Necktie", "Young");

    private static final float JPEG_QUALITY = 0.9f;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private final long seed;

    /** A generator whose images are all determined by {@code seed}. */
    public SyntheticFaces(long seed) {
        this.seed = seed;
    }

    /** CelebA's 40 attribute names, in CelebA's column order. */
    public static List<String> attributeNames() {
        return CelebaNames.ATTRIBUTES;
    }

    /** The 40 attributes of image {@code index} (+1 or -1), in the order of {@link #attributeNames()}. */
    public int[] attributes(int index) {
        return face(index).attributes;
    }

    /** Image {@code index}, 178x218 RGB. */
    public BufferedImage image(int index) {
        return render(face(index));
    }

    /**
     * Writes {@code count} faces in CelebA's published layout into {@code dir} (created if needed):
     * {@code img_align_celeba/000001.jpg ...} (JPEG quality 0.9), {@code list_attr_celeba.txt} and
     * {@code list_eval_partition.txt} (the first 80% train, the next 10% valid, the rest test,
     * contiguous like CelebA's). The list files are written last, each to a temporary file then
     * renamed, so a layout whose {@code list_eval_partition.txt} exists is complete.
     *
     * @throws DataException if a file cannot be written
     */
    public static void writeCelebaLayout(Path dir, int count, long seed, ProgressBar progress) {
        if (count < 1) throw new IllegalArgumentException("count must be at least 1, got " + count);
        SyntheticFaces faces = new SyntheticFaces(seed);
        Path imageDir = dir.resolve(CelebaNames.IMAGE_FOLDER);
        try {
            Files.createDirectories(imageDir);
        } catch (IOException e) {
            throw new DataException(imageDir + ": cannot create folder (" + e.getMessage() + ")", e);
        }
        int[][] attributes = new int[count][];
        Parallel.forEach(count, i -> {
            Face face = faces.face(i);
            attributes[i] = face.attributes;
            writeJpeg(render(face), imageDir.resolve(CelebaNames.imageName(i)));
            progress.step();
        });
        writeAttributeFile(dir.resolve(CelebaNames.ATTRIBUTE_FILE), attributes);
        writePartitionFile(dir.resolve(CelebaNames.PARTITION_FILE), count);
        progress.finish();
    }

    /** The partition (0 train, 1 valid, 2 test) of image {@code index} among {@code count}. */
    static int partitionOf(int index, int count) {
        long trainEnd = Math.round(count * 0.8), validEnd = Math.round(count * 0.9);
        return index < trainEnd ? 0 : index < validEnd ? 1 : 2;
    }

    private static void writeJpeg(BufferedImage image, Path file) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(Files.newOutputStream(file))) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new DataException(file + ": cannot write JPEG (" + e.getMessage() + ")", e);
        } finally {
            writer.dispose();
        }
    }

    // CelebA's style: the count, the names, then "000001.jpg -1  1 ..." with values right-aligned in 2 columns.
    private static void writeAttributeFile(Path file, int[][] attributes) {
        writeTextAtomically(file, out -> {
            out.write(attributes.length + "\n");
            out.write(String.join(" ", CelebaNames.ATTRIBUTES) + " \n");
            for (int i = 0; i < attributes.length; i++) {
                StringBuilder row = new StringBuilder(CelebaNames.imageName(i));
                for (int value : attributes[i]) row.append(value > 0 ? "  1" : " -1");
                out.write(row.append('\n').toString());
            }
        });
    }

    private static void writePartitionFile(Path file, int count) {
        writeTextAtomically(file, out -> {
            for (int i = 0; i < count; i++) out.write(CelebaNames.imageName(i) + " " + partitionOf(i, count) + "\n");
        });
    }

    /** Writes text to a file. */
    private interface TextBody {
        void writeTo(Writer out) throws IOException;
    }

    // Atomic (temporary file, then rename): a list file that exists is complete, so callers may test for it.
    private static void writeTextAtomically(Path file, TextBody body) {
        try {
            AtomicFiles.write(file, temporary -> {
                try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
                    body.writeTo(out);
                }
            });
        } catch (IOException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- sampling a face

    /** Everything that determines one picture: its attributes and its free appearance. */
    private static final class Face {
        final int[] attributes = new int[CelebaNames.ATTRIBUTES.size()];
        final Map<String, Boolean> has = new HashMap<>();
        // pose: head offset in pixels, tilt in radians, scale
        double dx, dy, tilt, scale;
        // lighting: direction in radians and strength in [0, 1]
        double lightAngle, lightStrength;
        Color background, backgroundShade, skin, hair, clothes, iris, lips, hat;
        int hairLength; // 0 short, 1 shoulder, 2 long
        double faceWidth, wave;
        long detailSeed; // for the small things drawn while rendering (hair strands, parting)

        boolean is(String name) {
            Boolean value = has.get(name);
            if (value == null) throw new IllegalStateException("attribute not sampled: " + name);
            return value;
        }
    }

    private Face face(int index) {
        return face(index, Map.of());
    }

    /**
     * Image {@code index} with some attributes forced to a value and everything else as drawn;
     * e.g. the same face with and without {@code Eyeglasses}.
     */
    BufferedImage image(int index, Map<String, Boolean> forced) {
        return render(face(index, forced));
    }

    private Face face(int index, Map<String, Boolean> forced) {
        Rng rng = new Rng(new Rng(seed ^ (0x9E3779B97F4A7C15L * (index + 1L))).nextLong());
        Face f = new Face();
        sampleAttributes(f, rng);
        f.has.putAll(forced);
        sampleAppearance(f, rng);
        for (int k = 0; k < f.attributes.length; k++) f.attributes[k] = f.is(CelebaNames.ATTRIBUTES.get(k)) ? 1 : -1;
        return f;
    }

    private static void set(Face f, String name, boolean value) {
        f.has.put(name, value);
    }

    private static boolean chance(Rng rng, double p) {
        return rng.nextDouble() < p;
    }

    // Rates follow CelebA's marginals; the conditionals are plausible guesses.
    private static void sampleAttributes(Face f, Rng rng) {
        boolean male = chance(rng, 0.42);
        boolean young = chance(rng, male ? 0.68 : 0.84);
        set(f, "Male", male);
        set(f, "Young", young);

        // Hair colour: at most one of the four; the rest are auburn, red or dark blond.
        double u = rng.nextDouble();
        double blond = male ? 0.04 : 0.23, gray = young ? 0.01 : 0.22, black = 0.25, brown = 0.21;
        set(f, "Blond_Hair", u < blond);
        set(f, "Gray_Hair", u >= blond && u < blond + gray);
        set(f, "Black_Hair", u >= blond + gray && u < blond + gray + black);
        set(f, "Brown_Hair", u >= blond + gray + black && u < blond + gray + black + brown);

        boolean bald = male && chance(rng, young ? 0.02 : 0.15);
        set(f, "Bald", bald);
        set(f, "Receding_Hairline", !bald && chance(rng, male ? (young ? 0.08 : 0.3) : 0.04));
        set(f, "Bangs", !bald && !f.is("Receding_Hairline") && chance(rng, male ? 0.08 : 0.2));
        boolean wavy = !bald && chance(rng, male ? 0.15 : 0.45);
        set(f, "Wavy_Hair", wavy);
        set(f, "Straight_Hair", !bald && !wavy && chance(rng, 0.35));

        set(f, "Smiling", chance(rng, 0.48));
        set(f, "Mouth_Slightly_Open", chance(rng, f.is("Smiling") ? 0.7 : 0.25));
        set(f, "High_Cheekbones", chance(rng, f.is("Smiling") ? 0.8 : 0.1));
        set(f, "Eyeglasses", chance(rng, young ? 0.05 : 0.12));
        set(f, "Pale_Skin", chance(rng, 0.045));
        set(f, "Wearing_Hat", chance(rng, 0.05));
        set(f, "Narrow_Eyes", chance(rng, 0.12));
        set(f, "Chubby", chance(rng, young ? 0.04 : 0.14));
        set(f, "Double_Chin", chance(rng, f.is("Chubby") ? 0.5 : 0.02));
        set(f, "Big_Nose", chance(rng, male ? 0.4 : 0.1));
        set(f, "Big_Lips", chance(rng, 0.24));
        set(f, "Pointy_Nose", chance(rng, 0.28));
        set(f, "Oval_Face", chance(rng, 0.28));
        set(f, "Bags_Under_Eyes", chance(rng, young ? 0.15 : 0.4));
        set(f, "Blurry", chance(rng, 0.05));
        set(f, "Attractive", chance(rng, young ? 0.6 : 0.2));
        set(f, "Arched_Eyebrows", chance(rng, male ? 0.05 : 0.43));
        set(f, "Bushy_Eyebrows", chance(rng, male ? 0.25 : 0.06));
        set(f, "Rosy_Cheeks", chance(rng, male ? 0.01 : 0.11));

        boolean beardAllowed = male;
        set(f, "No_Beard", !beardAllowed || chance(rng, 0.6));
        boolean beard = !f.is("No_Beard");
        set(f, "Goatee", beard && chance(rng, 0.35));
        set(f, "Mustache", beard && chance(rng, 0.25));
        set(f, "Sideburns", beardAllowed && chance(rng, beard ? 0.3 : 0.03));
        set(f, "5_o_Clock_Shadow", beardAllowed && !beard && chance(rng, 0.45));

        set(f, "Heavy_Makeup", !male && chance(rng, 0.65));
        set(f, "Wearing_Lipstick", !male && chance(rng, f.is("Heavy_Makeup") ? 0.95 : 0.5));
        set(f, "Wearing_Earrings", !male && chance(rng, 0.32));
        set(f, "Wearing_Necklace", !male && chance(rng, 0.2));
        set(f, "Wearing_Necktie", male && chance(rng, 0.17));
    }

    private static void sampleAppearance(Face f, Rng rng) {
        f.dx = (rng.nextDouble() - 0.5) * 14;
        f.dy = (rng.nextDouble() - 0.5) * 12;
        f.tilt = (rng.nextDouble() - 0.5) * Math.toRadians(16);
        f.scale = 1.0 + rng.nextDouble() * 0.16;
        f.lightAngle = rng.nextDouble() * 2 * Math.PI;
        f.lightStrength = 0.1 + 0.3 * rng.nextDouble();

        float hue = rng.nextFloat(), saturation = 0.1f + 0.45f * rng.nextFloat(), brightness = 0.35f + 0.6f * rng.nextFloat();
        f.background = Color.getHSBColor(hue, saturation, brightness);
        f.backgroundShade = Color.getHSBColor(hue + 0.05f * (rng.nextFloat() - 0.5f), saturation, brightness * 0.7f);

        // Every draw happens whatever the attributes, so forcing one attribute changes only what it governs.
        f.skin = skinTone(f.is("Pale_Skin"), rng.nextDouble(), rng.nextDouble());
        f.hair = hairColour(f, rng.nextDouble(), rng.nextInt(3));
        f.clothes = Color.getHSBColor(rng.nextFloat(), 0.2f + 0.6f * rng.nextFloat(), 0.15f + 0.7f * rng.nextFloat());
        f.hat = Color.getHSBColor(rng.nextFloat(), 0.3f + 0.5f * rng.nextFloat(), 0.2f + 0.6f * rng.nextFloat());
        Color[] irises = {new Color(70, 45, 25), new Color(40, 30, 20), new Color(60, 100, 150), new Color(80, 110, 70)};
        f.iris = irises[rng.nextInt(irises.length)];
        Color lipstick = Color.getHSBColor(0.97f + 0.04f * rng.nextFloat(), 0.65f + 0.25f * rng.nextFloat(), 0.55f + 0.3f * rng.nextFloat());
        f.lips = f.is("Wearing_Lipstick") ? lipstick : mix(f.skin, new Color(120, 40, 50), 0.5);
        f.hairLength = f.is("Male") ? (chance(rng, 0.1) ? 1 : 0) : (chance(rng, 0.15) ? 1 : 2);
        f.faceWidth = (f.is("Chubby") ? 46 : f.is("Male") ? 42 : 39) + 3 * (rng.nextDouble() - 0.5);
        double wave = 5 + 3 * rng.nextDouble();
        f.wave = f.is("Wavy_Hair") ? wave : 0;
        f.detailSeed = rng.nextLong();
    }

    // u picks the tone (lighter tones more often), t blends it towards the next darker one.
    private static Color skinTone(boolean pale, double u, double t) {
        if (pale) return mix(new Color(250, 228, 218), new Color(240, 215, 200), t);
        Color[] tones = {new Color(241, 200, 170), new Color(224, 172, 135), new Color(198, 140, 100),
            new Color(160, 105, 70), new Color(110, 70, 45)};
        double[] weights = {0.4, 0.3, 0.15, 0.1, 0.05};
        int k = 0;
        while (k < tones.length - 1 && u >= weights[k]) u -= weights[k++];
        Color next = tones[Math.min(k + 1, tones.length - 1)];
        return mix(tones[k], next, 0.5 * t);
    }

    // t varies the shade; other picks among the colours of hair that is none of CelebA's four.
    private static Color hairColour(Face f, double t, int other) {
        if (f.is("Blond_Hair")) return mix(new Color(240, 215, 130), new Color(205, 165, 85), t);
        if (f.is("Gray_Hair")) return mix(new Color(200, 200, 198), new Color(140, 140, 140), t);
        if (f.is("Black_Hair")) return mix(new Color(20, 18, 18), new Color(45, 35, 30), t);
        if (f.is("Brown_Hair")) return mix(new Color(110, 70, 40), new Color(80, 50, 30), t);
        Color[] others = {new Color(150, 75, 40), new Color(145, 110, 70), new Color(60, 42, 30)}; // auburn, dark blond, dark brown
        return mix(others[other], new Color(90, 60, 40), 0.3 * t);
    }

    static Color mix(Color a, Color b, double t) {
        return new Color(
            (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
            (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
            (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    private static Color withAlpha(Color c, double alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * alpha));
    }

    // ---------------------------------------------------------------- rendering

    // The head's centre in CelebA's aligned crops: eyes near y = 112, mouth near y = 150.
    private static final double HEAD_X = WIDTH / 2.0, HEAD_Y = 118;

    private static BufferedImage render(Face f) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        Rng rng = new Rng(f.detailSeed);

        g.setPaint(new GradientPaint(0, 0, f.background, WIDTH, HEIGHT, f.backgroundShade));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        drawShoulders(g, f);

        // Everything on the head shares one transform: the pose. Below, coordinates are relative
        // to the head's centre at scale 1, with y pointing down: eyes at y = -6, mouth at y = 32.
        AffineTransform canvas = g.getTransform();
        g.translate(HEAD_X + f.dx, HEAD_Y + f.dy);
        g.rotate(f.tilt);
        g.scale(f.scale, f.scale);

        Shape face = faceShape(f);
        drawHairBehind(g, f);
        drawNeckAndEars(g, f);
        g.setColor(f.skin);
        g.fill(face);
        shadeFace(g, f, face);
        if (!f.is("Young")) drawWrinkles(g, f);
        drawBeard(g, f, face);
        drawEyes(g, f);
        drawNose(g, f);
        drawMouth(g, f);
        drawHairFront(g, f, rng);
        if (f.is("Eyeglasses")) drawGlasses(g);
        if (f.is("Wearing_Hat")) drawHat(g, f);
        g.setTransform(canvas);

        drawLighting(g, f);
        g.dispose();
        return f.is("Blurry") ? blur(image) : image;
    }

    private static Shape faceShape(Face f) {
        double w = f.faceWidth;
        Area face = new Area(new Ellipse2D.Double(-w, -50, 2 * w, 102));
        if (f.is("Male") || f.is("Chubby")) {
            // a squarer jaw
            face.add(new Area(new RoundRectangle2D.Double(-w * 0.92, -5, 1.84 * w, 54, 34, 34)));
        }
        return face;
    }

    private static void drawShoulders(Graphics2D g, Face f) {
        double x = HEAD_X + f.dx * 0.5, top = 186 + f.dy * 0.5;
        double width = f.is("Male") ? 190 : 160;
        g.setColor(mix(f.skin, Color.BLACK, 0.12));
        g.fill(new Rectangle2D.Double(x - 17, top - 30, 34, 40));
        g.setColor(f.clothes);
        g.fill(new Ellipse2D.Double(x - width / 2, top, width, 120));
        if (f.is("Male")) {
            // collar opening
            g.setColor(mix(f.skin, Color.BLACK, 0.12));
            Path2D.Double collar = new Path2D.Double();
            collar.moveTo(x - 16, top);
            collar.lineTo(x + 16, top);
            collar.lineTo(x, top + 22);
            collar.closePath();
            g.fill(collar);
        }
        if (f.is("Wearing_Necktie")) {
            g.setColor(mix(f.clothes, new Color(120, 20, 30), 0.7));
            Path2D.Double tie = new Path2D.Double();
            tie.moveTo(x - 5, top + 8);
            tie.lineTo(x + 5, top + 8);
            tie.lineTo(x + 8, top + 34);
            tie.lineTo(x, top + 40);
            tie.lineTo(x - 8, top + 34);
            tie.closePath();
            g.fill(tie);
        }
        if (f.is("Wearing_Necklace")) {
            g.setColor(new Color(225, 190, 90));
            g.setStroke(new BasicStroke(2.2f));
            g.draw(new Arc2D.Double(x - 22, top - 26, 44, 36, 200, 140, Arc2D.OPEN));
        }
    }

    private static void drawHairBehind(Graphics2D g, Face f) {
        if (f.is("Bald")) return;
        g.setColor(mix(f.hair, Color.BLACK, 0.15));
        double w = f.faceWidth + 9;
        if (f.hairLength == 0) {
            g.fill(hairOutline(w, -27, 43, f.wave));
            return;
        }
        double bottom = f.hairLength == 1 ? 48 : 92;
        double spread = f.hairLength == 1 ? 6 : 16;
        Path2D.Double hair = new Path2D.Double();
        hair.moveTo(-w, -20);
        hair.curveTo(-w, -80, w, -80, w, -20);
        // the right edge down to the ends, waving if the hair is wavy
        for (double y = -20; y <= bottom; y += 4) {
            double t = (y + 20) / (bottom + 20);
            hair.lineTo(w + spread * t + f.wave * Math.sin(y / 7.0), y);
        }
        for (double y = bottom; y >= -20; y -= 4) {
            double t = (y + 20) / (bottom + 20);
            hair.lineTo(-w - spread * t - f.wave * Math.sin(y / 7.0 + 1), y);
        }
        hair.closePath();
        g.fill(hair);
    }

    // An ellipse of hair; wavy hair gives it a curly outline.
    private static Shape hairOutline(double halfWidth, double centreY, double halfHeight, double wave) {
        Path2D.Double outline = new Path2D.Double();
        for (int step = 0; step <= 72; step++) {
            double angle = 2 * Math.PI * step / 72;
            double bump = 1 + wave / 110 * Math.sin(14 * angle);
            double x = halfWidth * bump * Math.cos(angle), y = centreY + halfHeight * bump * Math.sin(angle);
            if (step == 0) outline.moveTo(x, y);
            else outline.lineTo(x, y);
        }
        outline.closePath();
        return outline;
    }

    private static void drawNeckAndEars(Graphics2D g, Face f) {
        Color shadowed = mix(f.skin, Color.BLACK, 0.08);
        g.setColor(shadowed);
        double w = f.faceWidth;
        g.fill(new Ellipse2D.Double(-w - 6, -16, 14, 26));
        g.fill(new Ellipse2D.Double(w - 8, -16, 14, 26));
        if (f.is("Wearing_Earrings")) {
            g.setColor(new Color(230, 195, 80));
            g.fill(new Ellipse2D.Double(-w - 3, 10, 6, 6));
            g.fill(new Ellipse2D.Double(w - 3, 10, 6, 6));
        }
    }

    // A soft shadow on one side of the face, so faces look round and lighting varies.
    private static void shadeFace(Graphics2D g, Face f, Shape face) {
        double dx = Math.cos(f.lightAngle) * 45, dy = Math.sin(f.lightAngle) * 45;
        g.setPaint(new GradientPaint((float) dx, (float) dy, new Color(255, 255, 255, 30),
            (float) -dx, (float) -dy, new Color(0, 0, 0, 55)));
        g.fill(face);
        if (f.is("Rosy_Cheeks") || f.is("Heavy_Makeup")) {
            g.setColor(new Color(225, 70, 85, f.is("Rosy_Cheeks") ? 110 : 35));
            g.fill(new Ellipse2D.Double(-33, 5, 20, 13));
            g.fill(new Ellipse2D.Double(13, 5, 20, 13));
        }
    }

    private static void drawWrinkles(Graphics2D g, Face f) {
        g.setColor(withAlpha(mix(f.skin, Color.BLACK, 0.45), 0.6));
        g.setStroke(new BasicStroke(1.1f));
        for (int k = 0; k < 2; k++) g.draw(new QuadCurve2D.Double(-16, -28 - 5 * k, 0, -31 - 5 * k, 16, -28 - 5 * k));
        g.draw(new QuadCurve2D.Double(-10, 14, -17, 22, -15, 32));
        g.draw(new QuadCurve2D.Double(10, 14, 17, 22, 15, 32));
    }

    private static void drawBeard(Graphics2D g, Face f, Shape face) {
        // the jaw: the face minus an ellipse over the eyes, nose and cheeks, thickest at the chin
        Area lowerFace = new Area(face);
        lowerFace.subtract(new Area(new Ellipse2D.Double(-f.faceWidth * 0.8, -70, 1.6 * f.faceWidth, 98)));
        Color beardColour = mix(f.hair, Color.BLACK, 0.2);
        if (f.is("5_o_Clock_Shadow")) {
            g.setColor(withAlpha(mix(f.skin, new Color(60, 60, 60), 0.6), 0.35));
            g.fill(lowerFace);
        }
        if (!f.is("No_Beard") && !f.is("Goatee") && !f.is("Mustache")) {
            g.setColor(withAlpha(beardColour, 0.9));
            g.fill(lowerFace);
        }
        g.setColor(withAlpha(beardColour, 0.92));
        if (f.is("Goatee")) g.fill(new RoundRectangle2D.Double(-11, 39, 22, 16, 10, 10));
        if (f.is("Mustache")) g.fill(new RoundRectangle2D.Double(-15, 22, 30, 7, 6, 6));
        if (f.is("Sideburns")) {
            double w = f.faceWidth;
            g.fill(new Rectangle2D.Double(-w + 1, -22, 7, 32));
            g.fill(new Rectangle2D.Double(w - 8, -22, 7, 32));
        }
    }

    private static void drawEyes(Graphics2D g, Face f) {
        double height = f.is("Narrow_Eyes") ? 5 : 8;
        Color brow = mix(f.hair, Color.BLACK, f.is("Blond_Hair") || f.is("Gray_Hair") ? 0.35 : 0.2);
        for (int side = -1; side <= 1; side += 2) {
            double x = side * 17;
            if (f.is("Heavy_Makeup")) {
                // eye shadow above the eye, and a dark liner along its upper edge
                g.setColor(new Color(105, 55, 95, 140));
                g.fill(new Ellipse2D.Double(x - 11, -15, 22, 12));
                g.setColor(new Color(20, 15, 20));
                g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(new Arc2D.Double(x - 9, -6 - height / 2 - 0.5, 18, height + 1, 10, 160, Arc2D.OPEN));
            }
            g.setColor(new Color(245, 245, 240));
            g.fill(new Ellipse2D.Double(x - 8, -6 - height / 2, 16, height));
            g.setColor(f.iris);
            g.fill(new Ellipse2D.Double(x - 3.5, -6 - Math.min(3.5, height / 2), 7, Math.min(7, height)));
            g.setColor(Color.BLACK);
            g.fill(new Ellipse2D.Double(x - 1.5, -7.5, 3, 3));
            // eyebrow
            g.setColor(brow);
            g.setStroke(new BasicStroke(f.is("Bushy_Eyebrows") ? 4.2f : 2.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            double arch = f.is("Arched_Eyebrows") ? -6 : -2;
            g.draw(new QuadCurve2D.Double(x - side * 9, -15, x + side * 2, -17 + arch, x + side * 11, -15));
        }
    }

    private static void drawNose(Graphics2D g, Face f) {
        double size = f.is("Big_Nose") ? 1.35 : 1.0;
        g.setColor(withAlpha(mix(f.skin, Color.BLACK, 0.35), 0.7));
        g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new QuadCurve2D.Double(-2, -2, -6 * size, 12 * size, -5 * size, 14 * size));
        g.draw(new QuadCurve2D.Double(-5 * size, 15 * size, 0, 18 * size, 5 * size, 15 * size));
    }

    private static void drawMouth(Graphics2D g, Face f) {
        double halfWidth = (f.is("Smiling") ? 15 : 11) + (f.is("Big_Lips") ? 2 : 0);
        double lipHeight = f.is("Big_Lips") ? 6 : 3;
        double curve = f.is("Smiling") ? 7 : 1;
        double open = f.is("Mouth_Slightly_Open") ? (f.is("Smiling") ? 8 : 5) : 0;
        double y = 32;
        // the upper edge rises less than the lower one falls: a smile is a crescent
        Path2D.Double mouth = new Path2D.Double();
        mouth.moveTo(-halfWidth, y - curve * 0.4);
        mouth.quadTo(0, y + curve * 0.2 - lipHeight, halfWidth, y - curve * 0.4);
        mouth.quadTo(0, y + curve + open + lipHeight, -halfWidth, y - curve * 0.4);
        mouth.closePath();
        g.setColor(f.lips);
        g.fill(mouth);
        if (open > 0) {
            Path2D.Double opening = new Path2D.Double();
            opening.moveTo(-halfWidth + 3, y - curve * 0.3);
            opening.quadTo(0, y + curve * 0.3, halfWidth - 3, y - curve * 0.3);
            opening.quadTo(0, y + curve + open, -halfWidth + 3, y - curve * 0.3);
            opening.closePath();
            g.setColor(new Color(60, 20, 25));
            g.fill(opening);
            if (f.is("Smiling")) {
                g.setColor(new Color(240, 238, 230));
                Area teeth = new Area(opening);
                teeth.intersect(new Area(new Rectangle2D.Double(-halfWidth, y - 10, 2 * halfWidth, 10 + curve * 0.5 + 2)));
                g.fill(teeth);
            }
        } else {
            g.setColor(withAlpha(mix(f.lips, Color.BLACK, 0.5), 0.8));
            g.setStroke(new BasicStroke(1.2f));
            g.draw(new QuadCurve2D.Double(-halfWidth + 1, y - curve * 0.4, 0, y + curve * 0.6, halfWidth - 1, y - curve * 0.4));
        }
    }

    private static void drawHairFront(Graphics2D g, Face f, Rng rng) {
        double w = f.faceWidth + 6;
        Area cap = new Area(hairOutline(w, -23, 45, f.wave));
        double hairline = f.is("Bangs") ? -16 : f.is("Receding_Hairline") ? -44 : -32;
        double parting = (rng.nextDouble() - 0.5) * 14;
        if (f.is("Bald")) {
            // only a fringe above the ears
            cap.subtract(new Area(new Rectangle2D.Double(-w, -80, 2 * w, 62)));
            cap.subtract(new Area(new Rectangle2D.Double(-w + 10, -20, 2 * w - 20, 60)));
        } else if (f.is("Bangs")) {
            cap.subtract(new Area(new Rectangle2D.Double(-w, hairline, 2 * w, 80)));
            cap.add(new Area(new Rectangle2D.Double(-w, hairline, 9, 30)));
            cap.add(new Area(new Rectangle2D.Double(w - 9, hairline, 9, 30)));
        } else {
            // the forehead: an ellipse whose top is the hairline, off-centre for a side parting
            double foreheadHalf = f.is("Receding_Hairline") ? w - 4 : w - 10;
            cap.subtract(new Area(new Ellipse2D.Double(-foreheadHalf + parting * 0.3, hairline, 2 * foreheadHalf, 110)));
        }
        g.setColor(f.hair);
        g.fill(cap);
        // a few strands give the hair texture
        g.setColor(withAlpha(mix(f.hair, Color.WHITE, 0.25), 0.45));
        g.setStroke(new BasicStroke(1.2f));
        Shape clip = g.getClip();
        g.clip(cap);
        for (int k = 0; k < 6; k++) {
            double x = -w + 2 * w * rng.nextDouble();
            g.draw(new QuadCurve2D.Double(x, -70, x + 8 * (rng.nextDouble() - 0.5), -40, x + 12 * (rng.nextDouble() - 0.5), 0));
        }
        g.setClip(clip);
    }

    private static void drawGlasses(Graphics2D g) {
        g.setColor(new Color(160, 190, 210, 50));
        g.fill(new RoundRectangle2D.Double(-30, -14, 25, 17, 7, 7));
        g.fill(new RoundRectangle2D.Double(5, -14, 25, 17, 7, 7));
        g.setColor(new Color(25, 25, 30));
        g.setStroke(new BasicStroke(2.6f));
        g.draw(new RoundRectangle2D.Double(-30, -14, 25, 17, 7, 7));
        g.draw(new RoundRectangle2D.Double(5, -14, 25, 17, 7, 7));
        g.draw(new Line2D.Double(-5, -8, 5, -8));
        g.draw(new Line2D.Double(-30, -9, -40, -11));
        g.draw(new Line2D.Double(30, -9, 40, -11));
    }

    private static void drawHat(Graphics2D g, Face f) {
        double w = f.faceWidth + 12;
        g.setColor(f.hat);
        g.fill(new RoundRectangle2D.Double(-w + 8, -96, 2 * w - 16, 60, 30, 30));
        g.setColor(mix(f.hat, Color.BLACK, 0.25));
        g.fill(new Ellipse2D.Double(-w - 10, -46, 2 * w + 20, 16));
    }

    // Light from one side over the whole picture, as a photo lit from a window.
    private static void drawLighting(Graphics2D g, Face f) {
        int alpha = (int) Math.round(255 * f.lightStrength * 0.5);
        float cx = WIDTH / 2f, cy = HEIGHT / 2f;
        float dx = (float) (Math.cos(f.lightAngle) * 110), dy = (float) (Math.sin(f.lightAngle) * 110);
        g.setPaint(new GradientPaint(cx + dx, cy + dy, new Color(255, 255, 255, alpha), cx - dx, cy - dy, new Color(0, 0, 0, alpha)));
        g.fillRect(0, 0, WIDTH, HEIGHT);
    }

    private static BufferedImage blur(BufferedImage image) {
        int size = 5;
        float[] box = new float[size * size];
        Arrays.fill(box, 1f / box.length);
        BufferedImage blurred = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        new ConvolveOp(new Kernel(size, size, box), ConvolveOp.EDGE_NO_OP, null).filter(image, blurred);
        return blurred;
    }
}
