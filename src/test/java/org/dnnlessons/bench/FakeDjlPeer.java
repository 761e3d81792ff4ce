package org.dnnlessons.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for {@code bench-djl}'s jar in {@link DjlRowTest}: it speaks the line protocol with
 * fixed answers, and says which arguments and {@code OMP_WAIT_POLICY} it was started with. Packed
 * into a jar whose name contains {@code broken}, it fails at start with one error line instead.
 */
public final class FakeDjlPeer {

  private FakeDjlPeer() {}

  public static void main(String[] args) throws Exception {
    String self = FakeDjlPeer.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    if (self.contains("broken")) {
      System.err.println("Failed to load PyTorch native library");
      System.exit(3);
    }
    System.out.println("ready");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.trim().split(" ");
      switch (w[0]) {
        case "quit" -> {
          return;
        }
        case "describe" ->
            System.out.println(
                "describe "
                    + w[1]
                    + " DJL fake (args "
                    + String.join(" ", args)
                    + ", OMP_WAIT_POLICY="
                    + System.getenv("OMP_WAIT_POLICY")
                    + ")");
        case "train" -> System.out.println("time " + w[1] + " " + w[2] + " 0." + w[3]);
        case "check" -> System.out.println("loss " + w[1] + " " + w[2] + " 76.5");
        default -> {
          System.err.println("cannot read request '" + line + "'");
          System.exit(2);
        }
      }
      System.out.flush();
    }
  }
}
