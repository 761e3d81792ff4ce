package org.dnnlessons.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /proc/self/limits} read as the kernel writes it, and the inference preflight's line. */
class AddressSpaceTest {

  private static final String HEADER =
      "Limit                     Soft Limit           Hard Limit           Units     ";

  @Test
  void theSoftAddressSpaceLimitIsRead() {
    assertEquals(
        3_000_000L * 1024,
        AddressSpace.limit(
            List.of(
                HEADER,
                "Max stack size            8388608              unlimited            bytes     ",
                "Max address space         3072000000           unlimited            bytes     ")));
    assertEquals(
        Long.MAX_VALUE,
        AddressSpace.limit(
            List.of(HEADER, "Max address space         unlimited            unlimited  bytes")));
    assertEquals(Long.MAX_VALUE, AddressSpace.limit(List.of(HEADER)));
  }

  @Test
  void aNetworkBeyondTheMachineIsRefusedBeforeTensorFlowLoads() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> InferenceMemory.check("ckpt", 784, List.of(1 << 30, 1 << 30), 10000));
    assertTrue(
        e.getMessage().startsWith("ckpt: restoring a network with hidden widths"), e::getMessage);
    assertEquals(1, e.getMessage().lines().count());
    InferenceMemory.check("ckpt", 784, List.of(256, 256), 10000);
  }
}
