package org.dnnlessons.serve;

import java.nio.file.Path;
import org.dnnlessons.savedmodel.SavedModelRunner;

/** The loader {@code serve} uses: a SavedModel through its signature, anything else as layers. */
public final class ModelLoaders {

  private ModelLoaders() {}

  /**
   * Loads {@code path}: a SavedModel directory with {@link SavedModelServedModel}, a lesson
   * checkpoint or Keras file with {@link MlpServedModel}.
   *
   * @param path a SavedModel directory, a checkpoint prefix or directory, or a Keras form ({@code
   *     .keras}, {@code .weights.h5})
   * @param version the version to report (a checkpoint's global step, or 1)
   * @return the loaded model; the caller owns and closes it
   * @throws Exception naming what is wrong with the files ({@link
   *     org.dnnlessons.checkpoint.CheckpointException} for a corrupt or mismatched checkpoint)
   */
  public static ServedModel load(Path path, long version) throws Exception {
    return SavedModelRunner.isSavedModel(path)
        ? SavedModelServedModel.load(path, version)
        : MlpServedModel.load(path, version);
  }
}
