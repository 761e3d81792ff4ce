/**
 * The lesson as Java notebooks ({@code notebooks-equivalent/}): {@link
 * org.dnnlessons.notebook.Notebook} reads and writes {@code .ipynb} files, {@link
 * org.dnnlessons.notebook.JavaCells} evaluates Java cells with JShell on the project's class path,
 * {@link org.dnnlessons.notebook.NotebookRunner} runs and verifies notebooks without Jupyter, and
 * {@link org.dnnlessons.notebook.NotebookKernel} is the Jupyter kernel ({@link
 * org.dnnlessons.notebook.KernelSpec} installs it).
 *
 * <p>Knows nothing of training internals: cells use the public API like any user.
 */
package org.dnnlessons.notebook;
