/** Terminal output for long work: {@link javae.vae.ui.ProgressBar}. */
package javae.vae.ui;
