package org.dnnlessons.notebook;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.files.FilePublisher;
import org.dnnlessons.jvm.JvmOptions;

/**
 * Writes the Jupyter kernelspec {@code dnn-lessons-java}: a {@code kernel.json} whose {@code argv}
 * starts this project's kernel ({@code java ... notebook kernel {connection_file}}) with the class
 * path this JVM runs on.
 */
public final class KernelSpec {

  private KernelSpec() {}

  /**
   * The user's kernels directory: {@code $JUPYTER_DATA_DIR/kernels} or the platform default.
   *
   * @return {@code $JUPYTER_DATA_DIR/kernels}, else {@code $XDG_DATA_HOME/jupyter/kernels}, else
   *     {@code ~/.local/share/jupyter/kernels}, where {@code jupyter kernelspec list} finds user
   *     kernels on Linux
   */
  public static Path userKernelsDir() {
    String data = System.getenv("JUPYTER_DATA_DIR");
    if (data != null && !data.isBlank()) {
      return Path.of(data, "kernels");
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("jupyter").resolve("kernels");
  }

  /**
   * Writes {@code kernelsDir/dnn-lessons-java/kernel.json}.
   *
   * @param kernelsDir the kernels directory, e.g. {@link #userKernelsDir()}; created when missing
   * @return the kernelspec directory
   * @throws IOException one line naming the file when it cannot be written
   */
  public static Path install(Path kernelsDir) throws IOException {
    Path dir = kernelsDir.resolve(NotebookKernel.NAME);
    Files.createDirectories(dir);
    JsonArray argv = new JsonArray();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // JDK 24+: no JVM warnings at the top of the notebook's log
    JvmOptions.forChildJvm().forEach(argv::add);
    argv.add("-cp");
    argv.add(
        String.join(
            File.pathSeparator,
            JavaCells.classPath().stream()
                .map(p -> Path.of(p).toAbsolutePath().toString())
                .toList()));
    for (String arg :
        List.of("org.dnnlessons.cli.Main", "notebook", "kernel", "{connection_file}")) {
      argv.add(arg);
    }
    JsonObject spec = new JsonObject();
    spec.add("argv", argv);
    spec.addProperty("display_name", "Java (dnn-lessons)");
    spec.addProperty("language", "java");
    spec.addProperty("interrupt_mode", "message");
    JsonObject env = new JsonObject();
    env.addProperty("TF_CPP_MIN_LOG_LEVEL", "2");
    spec.add("env", env);
    FilePublisher.publishBytes(
        dir.resolve("kernel.json"),
        (new GsonBuilder().setPrettyPrinting().create().toJson(spec) + "\n")
            .getBytes(StandardCharsets.UTF_8));
    return dir;
  }
}
