package org.dnnlessons.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The options are given only where the JDK knows them and warns without them; the jar launched on
 * this JDK prints no JVM warning ({@code JarLaunchIT}, on JDK 17 and 25 in CI).
 */
class JvmOptionsTest {

  @Test
  void jdk24AndLaterAllowNativeAccessAndUnsafeMemoryAccessEarlierJdksNeedNothing() {
    List<String> both =
        List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
    assertEquals(List.of(), JvmOptions.forFeatureRelease(17), "JDK 17 refuses the second option");
    assertEquals(List.of(), JvmOptions.forFeatureRelease(23));
    assertEquals(both, JvmOptions.forFeatureRelease(24));
    assertEquals(both, JvmOptions.forFeatureRelease(25));
  }

  @Test
  void aModeChosenOnTheCommandLineIsKept() {
    // the test JVMs run with --sun-misc-unsafe-memory-access=allow on JDK 24+ (profile jdk24+),
    // and JDK 17 has no such warning: either way nothing is changed
    if (Runtime.version().feature() >= 24) {
      assertEquals("allow", System.getProperty("sun.misc.unsafe.memory.access"));
    }
    assertFalse(JvmOptions.allowUnsafeMemoryAccess());
  }
}
