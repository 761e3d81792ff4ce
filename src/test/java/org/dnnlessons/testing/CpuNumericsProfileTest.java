package org.dnnlessons.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Under {@code mvn verify -Pnumerics} the test JVM really runs with the profile's {@code
 * ONEDNN_MAX_CPU_ISA} (oneDNN reads it from the process environment; the Python processes the tests
 * start inherit it, which {@code ReluLessonIT} checks).
 */
@CpuNumerics
class CpuNumericsProfileTest {

  @Test
  void theProfilesIsaReachesThisJvmsEnvironment() {
    String isa = System.getProperty("numerics.isa");
    if (isa != null) {
      assertEquals(isa, System.getenv("ONEDNN_MAX_CPU_ISA"), "ONEDNN_MAX_CPU_ISA in the test JVM");
    }
  }
}
