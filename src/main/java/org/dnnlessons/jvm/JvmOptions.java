package org.dnnlessons.jvm;

import java.lang.reflect.Field;
import java.util.List;

/**
 * The JVM options that keep JDK 24 and later from warning about what TensorFlow Java does on
 * purpose: JavaCPP loads TensorFlow's native library through JNI ({@code System::loadLibrary}, a
 * restricted method: JEP 472), and TensorFlow's {@code ndarray} reads tensor memory through {@code
 * sun.misc.Unsafe} (terminally deprecated: JEP 471/498). Each prints four {@code WARNING:} lines at
 * every JVM start unless the application allows it. JDK 17 to 23 print neither, and JDK 17 does not
 * know the second option, so the options are given only where the running JDK knows them.
 *
 * <p>Where each is allowed: {@code java -jar dnn-lessons.jar} gets native access from the jar's
 * manifest ({@code Enable-Native-Access: ALL-UNNAMED}); JVMs the project starts (the Jupyter kernel
 * its kernelspec names, benchmark children) get {@link #forChildJvm()}; Maven's forked test JVMs
 * get the same from the {@code jdk24+} profile; the CLI calls {@link #allowUnsafeMemoryAccess()},
 * since a manifest cannot allow {@code sun.misc.Unsafe}. A Java program that uses the library
 * decides for itself: {@code java --enable-native-access=ALL-UNNAMED
 * --sun-misc-unsafe-memory-access=allow ...} on JDK 24+.
 */
public final class JvmOptions {

  /** The first JDK that warns about JNI and {@code sun.misc.Unsafe}'s memory access. */
  static final int FIRST_WARNING_JDK = 24;

  private JvmOptions() {}

  /**
   * The options for a JVM of the running JDK (same {@code java.home}) that the project starts:
   * {@code [--enable-native-access=ALL-UNNAMED, --sun-misc-unsafe-memory-access=allow]} on JDK 24
   * and later, none before.
   *
   * @return the options, in the order given, possibly empty; immutable
   */
  public static List<String> forChildJvm() {
    return forFeatureRelease(Runtime.version().feature());
  }

  static List<String> forFeatureRelease(int feature) {
    return feature >= FIRST_WARNING_JDK
        ? List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
        : List.of();
  }

  /**
   * For the CLI's {@code main} only: allows {@code sun.misc.Unsafe}'s memory access as {@code
   * --sun-misc-unsafe-memory-access=allow} would, when the command line chose nothing, so that
   * {@code java -jar dnn-lessons.jar ...} on JDK 24+ prints no {@code WARNING:} lines for it. A jar
   * manifest has no attribute for this; the JDK prints its warning once per JVM and records that in
   * a private field of {@code sun.misc.Unsafe} (a package the JDK opens), which this sets before
   * TensorFlow's first use. It changes nothing when the user chose a mode ({@code
   * --sun-misc-unsafe-memory-access=warn}, {@code debug} or {@code deny} is honoured), on JDK 17 to
   * 23, or on a JDK without that field (the JDK's warning is printed then, as without this call).
   *
   * @return whether the warning is now off for this JVM
   */
  public static boolean allowUnsafeMemoryAccess() {
    if (Runtime.version().feature() < FIRST_WARNING_JDK
        || System.getProperty("sun.misc.unsafe.memory.access") != null) {
      return false;
    }
    try {
      Field warned = Class.forName("sun.misc.Unsafe").getDeclaredField("memoryAccessWarned");
      warned.setAccessible(true);
      warned.setBoolean(null, true);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
