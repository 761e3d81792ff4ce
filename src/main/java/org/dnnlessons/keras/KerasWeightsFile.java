package org.dnnlessons.keras;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointTensor;

/**
 * Every weight of a Keras 3 {@code .weights.h5} file or {@code .keras} archive as Keras stores it:
 * named by its HDF5 dataset path ({@code layers/dense/vars/0} is the first Dense layer's kernel,
 * {@code vars/1} its bias, {@code optimizer/vars/...} the optimizer's state), the names h5py shows.
 * What {@code inspect} lists for these files; to get the lesson's names use {@link
 * MlpWeights#read}.
 */
public final class KerasWeightsFile {

  private KerasWeightsFile() {}

  /**
   * True when {@code path} is a file that starts as an HDF5 file or a zip archive does.
   *
   * @param path any path; a directory or a missing file is not accepted
   * @return true for an HDF5 signature or a zip archive's local header at the file's start; the
   *     extension is not looked at
   */
  public static boolean accepts(Path path) {
    return Files.isRegularFile(path) && (KerasFiles.isHdf5(path) || KerasFiles.isZip(path));
  }

  /**
   * Reads every dataset, sorted by path, with its values (float32, float64, int32, int64).
   *
   * @param path a {@code .weights.h5} (or Keras 2 {@code .h5}) file, or a {@code .keras} archive
   *     whose {@code model.weights.h5} is read
   * @return one tensor per dataset, named by its HDF5 path ({@code layers/dense/vars/0}), dtype and
   *     shape as stored
   * @throws CheckpointException with a one-line reason when the file is not a readable HDF5 file or
   *     {@code .keras} archive, or a dataset's shape or an archive entry is beyond the bounds
   */
  public static List<CheckpointTensor> read(Path path) throws CheckpointException {
    return KerasFiles.allDatasets(path);
  }
}
