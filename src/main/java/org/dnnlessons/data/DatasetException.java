package org.dnnlessons.data;

import java.io.IOException;

/**
 * A data set could not be read or fetched: a missing or truncated file, a wrong IDX header, a label
 * out of range, a download that failed or did not match its checksum. The message is one line for a
 * user; it names the file (or URL) and what was expected versus found.
 */
public class DatasetException extends IOException {

  private static final long serialVersionUID = 1L;

  /** The file, resource or URL concerned. */
  private final String source;

  /** What was expected and what was found, without the source. */
  private final String reason;

  /**
   * Reports a problem with a data set source.
   *
   * @param source the file, resource or URL concerned
   * @param reason what was expected and what was found
   */
  public DatasetException(String source, String reason) {
    this(source, reason, null);
  }

  /**
   * As {@link #DatasetException(String, String)}, keeping the underlying cause.
   *
   * @param source the file, resource or URL concerned
   * @param reason what was expected and what was found
   * @param cause the underlying exception, kept for the stack trace
   */
  public DatasetException(String source, String reason, Throwable cause) {
    super("".equals(source) ? reason : source + ": " + reason, cause);
    this.source = source;
    this.reason = reason;
  }

  /**
   * The file, resource or URL concerned.
   *
   * @return the source given to the constructor
   */
  public String source() {
    return source;
  }

  /**
   * The reason alone, without the source.
   *
   * @return what was expected and what was found; the message adds the source
   */
  public String reason() {
    return reason;
  }
}
