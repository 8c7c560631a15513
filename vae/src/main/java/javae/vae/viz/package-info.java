/**
 * Figures as PNG, in pure Java2D (headless): {@link javae.vae.viz.ImageGrid} for samples and
 * reconstructions, {@link javae.vae.viz.ScatterPlot} for latent maps, {@link javae.vae.viz.LineChart}
 * for loss curves, and the shared {@link javae.vae.viz.Palette}.
 */
package javae.vae.viz;
