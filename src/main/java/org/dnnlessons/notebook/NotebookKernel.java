package org.dnnlessons.notebook;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
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
 *
 * <ul>
 *   <li>Tab completes with JShell's {@code SourceCodeAnalysis}: members ({@code tf.pl} offers
 *       {@code placeholder(}, {@code net.} the network's parts), names in scope ({@code Ml} offers
 *       {@code Mlp}), packages after {@code import}, and the full name of a class not imported yet
 *       ({@code GraphPicture} offers {@code org.dnnlessons.notebook.GraphPicture}).
 *   <li>Shift-Tab shows the signatures of the method being called or of the name under the cursor
 *       (and javadoc where JShell finds sources: the JDK's, with its {@code src.zip}).
 *   <li>{@code is_complete} tells a console whether a cell is complete, still open (an open block:
 *       more lines, indented) or invalid.
 *   <li>A cell ending with an expression shows its value: a tensor as numpy prints the array, an
 *       image ({@code BufferedImage}) as a picture, anything else as text; {@link Display#png}
 *       shows a picture from anywhere in a cell.
 *   <li>Interrupt ({@code interrupt_mode: message}) stops the running cell, a training loop
 *       included, and the kernel keeps its definitions.
 * </ul>
 *
 * {@code KernelFeaturesIT} checks each through real {@code jupyter_client} messages.
 */
public final class NotebookKernel extends BaseKernel {

  /** The kernelspec name the notebooks ask for. */
  public static final String NAME = "dnn-lessons-java";

  /** The indentation an incomplete cell's next line gets. */
  private static final String INDENT = "    ";

  private final JavaCells cells;
  // what cells print and show reaches Jupyter from this thread, never from the cell's own
  private final OutputRelay relay = new OutputRelay(System.err);

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
   *
   * @param connectionFile the JSON connection file Jupyter passes as {@code {connection_file}}
   *     (ports, key, signature scheme)
   * @throws Exception when the connection file cannot be read or the sockets cannot be bound
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
            kernel.relay.execute(() -> kernel.display(data));
          });
      // JShell indexes the class path's packages and classes on first use: start it now, so
      // that completing "import org.dnnlessons." works by the time the user asks
      Thread warmUp = new Thread(() -> cells.complete("import java.", 12), "completion-index");
      warmUp.setDaemon(true);
      warmUp.start();
      kernel.onStartup();
      kernel.becomeHandlerForConnection(connection);
      connection.connect();
      connection.waitUntilClose();
    }
  }

  @Override
  public Object evalRaw(String source) {
    try {
      return cells.eval(source);
    } catch (JavaCells.CellFailure e) {
      throw new CellError(e.getMessage());
    } finally {
      // everything the cell printed goes out before its reply, none into the next cell's output
      System.out.flush();
      System.err.flush();
      relay.drain();
    }
  }

  /**
   * Jupyter's streams for a cell, relayed ({@link OutputRelay}): a cell's thread that prints while
   * interrupted neither fails nor leaves text behind for the next cell.
   */
  @Override
  protected void replaceOutputStreams(ShellReplyEnvironment env) {
    super.replaceOutputStreams(env);
    System.setOut(new PrintStream(relay.relayTo(System.out), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(relay.relayTo(System.err), true, StandardCharsets.UTF_8));
  }

  /**
   * Runs a cell; its value, when it ends with an expression, becomes the cell's result: a tensor as
   * numpy's text, an image as a PNG picture, anything else as its text.
   */
  @Override
  public DisplayData eval(String source) {
    Object value = evalRaw(source);
    if (value == null) {
      return null;
    }
    DisplayData data = new DisplayData(CellValue.text(value));
    byte[] png = CellValue.png(value);
    if (png != null) {
      data.putData("image/png", Display.base64(png));
    }
    return data;
  }

  /** Interrupt (Jupyter's interrupt_request): stops the running cell, the kernel carries on. */
  @Override
  public void interrupt() {
    cells.stop();
  }

  /** Shift-Tab: the signatures (and javadoc where the sources are known) at the cursor. */
  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    List<String> docs = cells.documentation(code, at);
    return docs.isEmpty() ? null : new DisplayData(String.join("\n\n", docs));
  }

  /** Tab: JShell's completions at the cursor ({@code tf.pl} offers {@code placeholder(}). */
  @Override
  public ReplacementOptions complete(String code, int at) {
    JavaCells.Completions c = cells.complete(code, at);
    return c.matches().isEmpty() ? null : new ReplacementOptions(c.matches(), c.start(), c.end());
  }

  /** Whether Enter runs the cell or opens a new line, in a console front end. */
  @Override
  public String isComplete(String code) {
    return switch (cells.completeness(code)) {
      case COMPLETE -> IS_COMPLETE_YES;
      case INVALID -> IS_COMPLETE_BAD;
      case INCOMPLETE -> INDENT;
    };
  }

  /** What a failed or interrupted cell reports: its message, without a Java stack trace. */
  static final class CellError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CellError(String message) {
      super(message, null, false, false);
    }
  }
}
