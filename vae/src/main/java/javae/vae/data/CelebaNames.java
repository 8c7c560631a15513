package javae.vae.data;

import java.util.List;

/**
 * The file and folder names of CelebA's published layout, and its 40 attribute names in its order
 * (as in the header of {@code list_attr_celeba.txt}: Male is column 20, Young column 39).
 */
final class CelebaNames {
    static final String IMAGE_FOLDER = "img_align_celeba";
    static final String ATTRIBUTE_FILE = "list_attr_celeba.txt";
    static final String PARTITION_FILE = "list_eval_partition.txt";

    static final List<String> ATTRIBUTES = List.of(
        "5_o_Clock_Shadow", "Arched_Eyebrows", "Attractive", "Bags_Under_Eyes", "Bald", "Bangs",
        "Big_Lips", "Big_Nose", "Black_Hair", "Blond_Hair", "Blurry", "Brown_Hair",
        "Bushy_Eyebrows", "Chubby", "Double_Chin", "Eyeglasses", "Goatee", "Gray_Hair", "Heavy_Makeup",
        "High_Cheekbones", "Male", "Mouth_Slightly_Open", "Mustache", "Narrow_Eyes", "No_Beard",
        "Oval_Face", "Pale_Skin", "Pointy_Nose", "Receding_Hairline", "Rosy_Cheeks", "Sideburns",
        "Smiling", "Straight_Hair", "Wavy_Hair", "Wearing_Earrings", "Wearing_Hat", "Wearing_Lipstick",
        "Wearing_Necklace", "Wearing_Necktie", "Young");

    /** CelebA's image name for 0-based index i: 000001.jpg for 0. */
    static String imageName(int index) {
        return String.format("%06d.jpg", index + 1);
    }

    private CelebaNames() {}
}
