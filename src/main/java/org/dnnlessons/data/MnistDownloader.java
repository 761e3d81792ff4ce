package org.dnnlessons.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.dnnlessons.files.FilePublisher;

/**
 * Downloads the full MNIST set (60,000 training and 10,000 test digits) into a cache directory,
 * verifying each file's published size and SHA-256.
 *
 * <p>Each file is downloaded to a temporary name in the cache directory and renamed only when it is
 * complete and its checksum matches, so an interrupted or corrupt download never leaves a file that
 * looks good. Files already in the cache with the right checksum are not downloaded again. Every
 * request has a connect timeout and a read timeout (a stalled server counts as a failed attempt),
 * and each file gets a bounded number of attempts.
 */
public final class MnistDownloader {

  /** The mirror TensorFlow's own MNIST loader uses. */
  public static final URI DEFAULT_MIRROR =
      URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/");

  /** Connect timeout by default. */
  public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(10);

  /** Longest wait for the next bytes of a response, by default. */
  public static final Duration READ_TIMEOUT_DEFAULT = Duration.ofSeconds(30);

  /** Attempts per file by default. */
  public static final int ATTEMPTS_DEFAULT = 3;

  /**
   * One file of the set and its published checksum.
   *
   * @param name the file name, e.g. {@code train-images-idx3-ubyte.gz}
   * @param size its size in bytes
   * @param sha256 its SHA-256, lower-case hex
   */
  public record RemoteFile(String name, long size, String sha256) {}

  /** The four files of MNIST with the sizes and SHA-256 sums published for them. */
  public static final List<RemoteFile> FILES =
      List.of(
          new RemoteFile(
              "train-images-idx3-ubyte.gz",
              9_912_422,
              "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
          new RemoteFile(
              "train-labels-idx1-ubyte.gz",
              28_881,
              "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
          new RemoteFile(
              "t10k-images-idx3-ubyte.gz",
              1_648_877,
              "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
          new RemoteFile(
              "t10k-labels-idx1-ubyte.gz",
              4_542,
              "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"));

  private final URI mirror;
  private final Path cacheDir;
  private final List<RemoteFile> files;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int attempts;

  /**
   * Fetches the files from a mirror into a cache directory.
   *
   * @param mirror base URL the file names are resolved against (ending in {@code /})
   * @param cacheDir where the files are kept
   * @param files the files to fetch, usually {@link #FILES}
   * @param connectTimeout how long to wait for a connection
   * @param readTimeout how long to wait for the next bytes before giving up on an attempt
   * @param attempts attempts per file, at least 1
   */
  public MnistDownloader(
      URI mirror,
      Path cacheDir,
      List<RemoteFile> files,
      Duration connectTimeout,
      Duration readTimeout,
      int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, found " + attempts);
    }
    this.mirror = Objects.requireNonNull(mirror, "mirror");
    this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
    this.files = List.copyOf(files);
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.attempts = attempts;
  }

  /**
   * A downloader for {@link #FILES} from {@link #DEFAULT_MIRROR} with the default limits.
   *
   * @param cacheDir where the files are kept, e.g. {@link DatasetCatalog#defaultCacheDir()}
   * @return a downloader; nothing is fetched until asked
   */
  public static MnistDownloader standard(Path cacheDir) {
    return new MnistDownloader(
        DEFAULT_MIRROR,
        cacheDir,
        FILES,
        CONNECT_TIMEOUT_DEFAULT,
        READ_TIMEOUT_DEFAULT,
        ATTEMPTS_DEFAULT);
  }

  /**
   * The cache directory.
   *
   * @return the directory the files are downloaded into
   */
  public Path cacheDir() {
    return cacheDir;
  }

  /**
   * Makes sure every file is in the cache with the right checksum, downloading what is missing.
   *
   * @return the cache directory, ready for {@link MnistDataSets#read(Path, MnistDataSets.Options)}
   * @throws DatasetException naming the URL when a file cannot be fetched or never matches its
   *     checksum
   */
  public Path fetchAll() throws DatasetException {
    try {
      Files.createDirectories(cacheDir);
    } catch (IOException e) {
      throw new DatasetException(
          cacheDir.toString(), "cannot create the cache directory: " + e.getMessage(), e);
    }
    for (RemoteFile file : files) {
      fetch(file);
    }
    return cacheDir;
  }

  private void fetch(RemoteFile file) throws DatasetException {
    Path target = cacheDir.resolve(file.name());
    try {
      FilePublisher.checkTarget(target); // a FIFO or device in the cache: refused, not replaced
    } catch (IOException e) {
      throw new DatasetException(
          target.toString(),
          e instanceof FileSystemException f ? f.getReason() : e.getMessage(),
          e);
    }
    if (Files.isRegularFile(target) && file.sha256().equals(sha256(target))) {
      return;
    }
    URI uri = mirror.resolve(file.name());
    String lastProblem = "";
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        downloadOnce(uri, file, target);
        return;
      } catch (AttemptFailed e) {
        lastProblem = e.getMessage();
      }
      sleepBeforeRetry(attempt);
    }
    throw new DatasetException(
        uri.toString(),
        "download failed after "
            + attempts
            + " attempts ("
            + lastProblem
            + "); offline? pass --data DIR with the four MNIST files");
  }

  /** One attempt; on success the verified file is in place, published by {@link FilePublisher}. */
  private void downloadOnce(URI uri, RemoteFile file, Path target) throws AttemptFailed {
    try {
      HttpURLConnection connection = open(uri);
      try {
        int status = connection.getResponseCode();
        if (status != 200) {
          throw new AttemptFailed("HTTP status " + status);
        }
        FilePublisher.publish(
            target,
            out -> {
              MessageDigest digest = newSha256();
              long received = 0;
              try (InputStream in = connection.getInputStream()) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  received += n;
                  if (received > file.size()) {
                    throw new AttemptFailed(
                        "received more than the expected " + file.size() + " bytes");
                  }
                  digest.update(buffer, 0, n);
                  out.write(buffer, 0, n);
                }
              }
              if (received != file.size()) {
                throw new AttemptFailed("received " + received + " of " + file.size() + " bytes");
              }
              String actual = HexFormat.of().formatHex(digest.digest());
              if (!actual.equals(file.sha256())) {
                throw new AttemptFailed("SHA-256 " + actual + ", expected " + file.sha256());
              }
            });
      } finally {
        connection.disconnect();
      }
    } catch (SocketTimeoutException e) {
      throw new AttemptFailed("timed out: " + e.getMessage());
    } catch (IOException e) {
      throw new AttemptFailed(
          e instanceof FileSystemException
              ? FilePublisher.describe(e)
              : e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private HttpURLConnection open(URI uri) throws IOException {
    URL url = uri.toURL();
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    c.setConnectTimeout((int) connectTimeout.toMillis());
    c.setReadTimeout((int) readTimeout.toMillis());
    c.setInstanceFollowRedirects(true);
    return c;
  }

  private static void sleepBeforeRetry(int attempt) {
    try {
      Thread.sleep(200L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The SHA-256 of a file, lower-case hex, or "" when it cannot be read. */
  static String sha256(Path file) {
    MessageDigest digest = newSha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      return "";
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** One attempt failed; the message says why. */
  private static final class AttemptFailed extends Exception {
    private static final long serialVersionUID = 1L;

    AttemptFailed(String message) {
      super(message);
    }
  }
}
