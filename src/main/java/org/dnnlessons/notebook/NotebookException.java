package org.dnnlessons.notebook;

/**
 * A notebook could not be read, run or verified. The message is one line naming the notebook, the
 * cell and what went wrong.
 */
public class NotebookException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Reports a notebook problem.
   *
   * @param message the notebook, the cell and the problem
   */
  public NotebookException(String message) {
    super(message);
  }

  /**
   * As {@link #NotebookException(String)}, keeping the cause.
   *
   * @param message one line naming the notebook and what was wrong
   * @param cause the underlying exception, kept for the stack trace
   */
  public NotebookException(String message, Throwable cause) {
    super(message, cause);
  }
}
