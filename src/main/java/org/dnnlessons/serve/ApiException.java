package org.dnnlessons.serve;

/**
 * A request the server answers with an HTTP error and TensorFlow Serving's error body, {@code
 * {"error": "..."}}: 400 for a request that cannot be run (bad JSON, wrong shape, non-numeric
 * values, too many instances), 404 for an unknown model, version or path, 405 for a wrong method,
 * 413 for a body over the limit.
 */
public final class ApiException extends Exception {

  private static final long serialVersionUID = 1L;

  /** The HTTP status code the server answers with. */
  private final int status;

  /**
   * Reports a bad request with the HTTP status to answer.
   *
   * @param status the HTTP status code
   * @param message what was wrong, in one line
   */
  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /**
   * The HTTP status code.
   *
   * @return the status the server answers with, 400 to 599
   */
  public int status() {
    return status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }
}
