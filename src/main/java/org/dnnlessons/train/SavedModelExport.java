package org.dnnlessons.train;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.files.FilePublisher;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Exports a trained multilayer perceptron as a TensorFlow SavedModel with one serving signature,
 * {@code serving_default}: input {@code x} ({@code [?, 28, 28, 1]} float32 pixels in [0, 1]),
 * outputs {@code logits} and {@code probabilities} ({@code [?, 10]}), tag {@code serve}. Python
 * loads it with {@code tf.saved_model.load(dir).signatures["serving_default"](x=...)}; TensorFlow
 * Serving serves it as it is.
 *
 * <p>The layout is the standard one: {@code saved_model.pb} (the graph, the saver's op names, the
 * signature) and {@code variables/variables.index} + {@code .data-00000-of-00001} written by the
 * graph's {@link Saver}. It is written into a temporary directory beside {@code dir} and renamed
 * when complete; an existing {@code dir} is an error rather than something overwritten.
 */
public final class SavedModelExport {

  /** The signature key TensorFlow Serving calls by default. */
  public static final String SIGNATURE_KEY = "serving_default";

  /** The tag of a model meant for serving. */
  public static final String SERVE_TAG = "serve";

  private SavedModelExport() {}

  /**
   * Exports {@code net}'s current variables from {@code session} to {@code dir}.
   *
   * @param saver a saver built on {@code net}'s graph (it writes the variables)
   * @param session the session holding {@code net}'s trained variables
   * @param net the network to export; its input {@code x} and outputs {@code logits} and {@code
   *     probabilities} make the signature
   * @param dir the SavedModel directory to create; must not exist
   * @throws IOException one line naming the directory when it cannot be written; no partial
   *     directory is left
   * @throws CheckpointException when the variables cannot be written
   */
  public static void export(Session session, Mlp.Network net, Saver saver, Path dir)
      throws IOException, CheckpointException {
    try {
      FilePublisher.publishDirectory(dir, model -> writeModel(session, net, saver, model));
    } catch (IOException e) {
      throw e instanceof FileAlreadyExistsException f
          ? new IOException(
              f.getFile() + ": already exists; a SavedModel is exported to a new directory", e)
          : e;
    }
  }

  private static void writeModel(Session session, Mlp.Network net, Saver saver, Path model)
      throws IOException, CheckpointException {
    saver.writeBundle(session, model.resolve("variables").resolve("variables").toString());
    SignatureDef signature =
        SignatureDef.newBuilder()
            .setMethodName("tensorflow/serving/predict")
            .putInputs("x", tensorInfo(net.x()))
            .putOutputs("logits", tensorInfo(net.logits()))
            .putOutputs("probabilities", tensorInfo(net.probabilities()))
            .build();
    MetaGraphDef meta =
        saver.metaGraph().toBuilder()
            .setMetaInfoDef(saver.metaGraph().getMetaInfoDef().toBuilder().addTags(SERVE_TAG))
            .putSignatureDef(SIGNATURE_KEY, signature)
            .build();
    Files.write(
        model.resolve("saved_model.pb"),
        SavedModel.newBuilder()
            .setSavedModelSchemaVersion(1)
            .addMetaGraphs(meta)
            .build()
            .toByteArray());
  }

  private static TensorInfo tensorInfo(Operand<?> tensor) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : tensor.shape().asArray()) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return TensorInfo.newBuilder()
        .setName(tensor.asOutput().op().name() + ":" + tensor.asOutput().index())
        .setDtype(DataType.DT_FLOAT)
        .setTensorShape(shape)
        .build();
  }
}
