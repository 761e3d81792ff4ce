package org.dnnlessons.cli;

import java.nio.file.Path;
import java.util.TimeZone;

/**
 * Where JavaCPP extracts TensorFlow's native libraries for this process: one cache per time zone,
 * so that JVMs started in different zones never rewrite a library another one has mapped.
 *
 * <p>Why the zone matters: JavaCPP's {@code Loader.cacheResource} keeps an extracted library while
 * the file's size and last-modified time equal the jar entry's ({@code JarEntry.getTime()}), and
 * re-extracts it in place otherwise ({@code file.delete()}, then write, then {@code
 * setLastModified}). A jar entry's time is a DOS date and time without a zone, which {@code
 * java.util.zip} reads in the JVM's default zone: the same entry is 2025-06-20 02:32 UTC to one JVM
 * and 14 hours earlier to a JVM in {@code Pacific/Kiritimati}. Each therefore finds the other's
 * copy "changed" and rewrites {@code libtensorflow_cc.so.2} (632 MB) while the other is loading or
 * running it: SIGBUS (exit 134) or an {@code UnsatisfiedLinkError}. JavaCPP's file lock only keeps
 * two extractions apart, not an extraction and a running JVM.
 *
 * <p>JVMs in one zone agree on every timestamp, so they share a cache safely (JavaCPP's lock and
 * its second check under the lock cover a cold start); JVMs in different zones get different
 * caches. The cache is {@code ~/.cache/dnn-lessons/javacpp/<zone>}, unless the user set {@code
 * org.bytedeco.javacpp.cacheDir} (then it is theirs, as JavaCPP documents).
 */
final class NativeCache {

  /** JavaCPP's property naming its cache directory. */
  static final String CACHE_DIR = "org.bytedeco.javacpp.cacheDir";

  private NativeCache() {}

  /**
   * Sets {@value #CACHE_DIR} to this zone's cache, before anything loads TensorFlow; a value the
   * user set is kept.
   */
  static void configure() {
    if (System.getProperty(CACHE_DIR) == null) {
      System.setProperty(CACHE_DIR, directory(TimeZone.getDefault()).toString());
    }
  }

  /** The cache for JVMs in {@code zone}: its ID made a file name ({@code Pacific_Kiritimati}). */
  static Path directory(TimeZone zone) {
    String id = zone.getID().replaceAll("[^A-Za-z0-9+-]", "_");
    return Path.of(System.getProperty("user.home"), ".cache", "dnn-lessons", "javacpp", id);
  }
}
