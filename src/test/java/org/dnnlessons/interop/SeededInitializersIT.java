package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.dnnlessons.nn.SeededCases;
import org.dnnlessons.testing.Close;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;

/**
 * Same seeds, bit-identical numbers: the initializers and dropout masks of {@link SeededCases}
 * against {@code seeded_initializers.py} run now, on this machine (the recorded copy that {@code
 * InitializersTest} reads may differ from this machine's C library in the last bit).
 */
@CpuNumerics
class SeededInitializersIT {

  @Test
  void everySeededCaseMatchesPythonOnThisMachineBitForBit() throws Exception {
    Map<String, float[]> python =
        SeededCases.parse(
            new BufferedReader(
                new StringReader(PythonTensorFlow.output(Map.of(), "seeded_initializers.py"))));
    int compared = 0;
    for (String name : SeededCases.names()) {
      List<float[]> java = SeededCases.run(name);
      for (int i = 0; i < java.size(); i++) {
        float[] expected = python.get(name + "#" + i);
        assertNotNull(expected, "Python printed no " + name + "#" + i);
        Close.assertBitwiseEqual(expected, java.get(i), name + "#" + i);
        compared++;
      }
    }
    assertEquals(python.size(), compared, "every case Python printed was compared");
  }
}
