package org.dnnlessons.serve;

import java.nio.file.Path;
import org.dnnlessons.savedmodel.SavedModelRunner;

/** The loader {@code serve} uses: a SavedModel through its signature, anything else as layers. */
public final class ModelLoaders {

  private ModelLoaders() {}

  /**
   * Loads {@code path}: a SavedModel directory with {@link SavedModelServedModel}, a lesson
   * checkpoint or Keras file with {@link MlpServedModel}.
   */
  public static ServedModel load(Path path, long version) throws Exception {
    return SavedModelRunner.isSavedModel(path)
        ? SavedModelServedModel.load(path, version)
        : MlpServedModel.load(path, version);
  }
}
