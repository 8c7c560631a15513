/**
 * Datasets for the VAEs: the {@link javae.vae.data.Dataset} interface (batches of
 * {@code [B, C, H, W]} floats in [-1, 1] plus per-image attributes), CelebA in its published layout
 * with a memory-mapped pixel cache, Fashion-MNIST from IDX files, and
 * {@link javae.vae.data.SyntheticFaces}, the generated faces that stand in for CelebA.
 * Bad input is a {@link javae.vae.data.DataException} with a one-line message naming the file.
 */
package javae.vae.data;
