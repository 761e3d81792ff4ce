package org.dnnlessons.notebook;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;

/**
 * The Jupyter kernel {@code dnn-lessons-java}: Java cells evaluated by {@link JavaCells} (JShell in
 * this JVM, on the project's class path), spoken to Jupyter through the messaging library of the
 * JJava kernel ({@code org.dflib.jjava:jjava-jupyter}). Jupyter starts it as {@code dnn-lessons
 * notebook kernel CONNECTION_FILE}; {@code notebook install-kernel} writes the kernelspec that says
 * so.
 */
public final class NotebookKernel extends BaseKernel {

  /** The kernelspec name the notebooks ask for. */
  public static final String NAME = "dnn-lessons-java";

  private final JavaCells cells;

  private NotebookKernel(JavaCells cells) {
    super(
        "dnn-lessons",
        "0.1.0",
        new LanguageInfo.Builder("java")
            .version(System.getProperty("java.version"))
            .mimetype("text/x-java-source")
            .fileExtension(".jshell")
            .pygments("java")
            .codemirror("text/x-java")
            .build(),
        List.of(),
        null,
        new JupyterIO(StandardCharsets.UTF_8),
        new CommManager(),
        new Renderer(),
        null,
        new MagicsRegistry(),
        false,
        new StringStyler.Builder()
            .addPrimaryStyle(TextColor.BOLD_RESET_FG)
            .addSecondaryStyle(TextColor.BOLD_RED_FG)
            .build());
    this.cells = cells;
  }

  /**
   * Serves Jupyter on the connection {@code connectionFile} describes until Jupyter shuts the
   * kernel down.
   */
  public static void serve(Path connectionFile) throws Exception {
    KernelConnectionProperties properties =
        KernelConnectionProperties.parse(Files.readString(connectionFile));
    JupyterConnection connection = new JupyterConnection(properties);
    try (JavaCells cells = JavaCells.open()) {
      NotebookKernel kernel = new NotebookKernel(cells);
      Display.sink(
          png -> {
            DisplayData data = new DisplayData(Display.PNG_PLACEHOLDER);
            data.putData("image/png", Display.base64(png));
            kernel.display(data);
          });
      kernel.onStartup();
      kernel.becomeHandlerForConnection(connection);
      connection.connect();
      connection.waitUntilClose();
    }
  }

  @Override
  public Object evalRaw(String source) {
    try {
      cells.eval(source);
    } catch (JavaCells.CellFailure e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return null;
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    return null;
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    return null;
  }

  @Override
  public String isComplete(String code) {
    return cells.isComplete(code) ? IS_COMPLETE_YES : IS_COMPLETE_MAYBE;
  }
}
