package org.dnnlessons.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.jvm.JvmOptions;

/**
 * The command line of a JVM a test starts: this JVM's {@code java}, the options the running JDK
 * needs to start it without JVM warnings ({@link JvmOptions#forChildJvm()}), then {@code args}.
 */
public final class ChildJvm {

  private ChildJvm() {}

  /** {@code java [options the JDK needs] args...}. */
  public static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JvmOptions.forChildJvm());
    command.addAll(List.of(args));
    return command;
  }
}
