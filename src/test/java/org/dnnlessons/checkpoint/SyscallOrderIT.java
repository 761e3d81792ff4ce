package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system calls a save really makes, traced with {@code strace} (installed by {@code
 * src/test/scripts/ensure_test_packages.sh}) around a JVM that overwrites the checkpoint the state
 * file names and saves a newer one with {@code maxToKeep(1)} ({@link KillAtStepChild}): every file
 * is fsynced before it is renamed into place, a checkpoint's index is renamed after its other
 * files, the directory is fsynced before the state file moves and after, the old index is deleted
 * before an overwritten prefix's data is replaced, and an expired checkpoint is deleted only after
 * the state file names the new one. Unlike {@link CrashAtEveryStepTest}'s step log, this sees a
 * missing {@code force()} even when the code around it is unchanged.
 */
class SyscallOrderIT {

  @TempDir Path dir;

  private static final Pattern CALL =
      Pattern.compile(
          "^\\d+\\s+(fsync|fdatasync|rename|renameat|renameat2|unlink|unlinkat)\\((.*)\\)\\s+= 0$");
  private static final Pattern FD_PATH = Pattern.compile("^\\d+<(.*)>$");
  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern TMP = Pattern.compile("\\.(.+)\\.tmp-\\d+-\\d+(.*)");

  @Test
  void fsyncsRenamesAndUnlinksComeInTheSafeOrder() throws Exception {
    Path work = Files.createDirectories(dir.resolve("run"));
    try (TinyModel first = new TinyModel(s -> s.maxToKeep(1), false)) {
      first.save(work.resolve("model.ckpt"), 1f, 1);
      first.save(work.resolve("model.ckpt"), 2f, 2);
    }
    Path trace = dir.resolve("strace.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                "strace",
                "-f",
                "-qq",
                "-y",
                "-e",
                "trace=fsync,fdatasync,rename,renameat,renameat2,unlink,unlinkat",
                "-o",
                trace.toString()));
    command.addAll(
        ChildJvm.command(
            "-cp",
            System.getProperty("java.class.path"),
            KillAtStepChild.class.getName(),
            work.toString(),
            "-1"));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the traced save did not end");
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("child.log")));

    String d = work.toRealPath().toString();
    List<String> events = new ArrayList<>(); // "FSYNC name", "RENAME from to", "UNLINK name"
    for (String line : Files.readAllLines(trace, StandardCharsets.UTF_8)) {
      Matcher m = CALL.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String call = m.group(1);
      String args = m.group(2);
      if (call.startsWith("fsync") || call.equals("fdatasync")) {
        Matcher fd = FD_PATH.matcher(args);
        if (fd.matches() && (fd.group(1).equals(d) || fd.group(1).startsWith(d + "/"))) {
          events.add("FSYNC " + relative(d, fd.group(1)));
        }
      } else {
        List<String> paths = new ArrayList<>();
        Matcher q = QUOTED.matcher(args);
        while (q.find()) {
          paths.add(q.group(1));
        }
        if (paths.isEmpty() || !paths.get(0).startsWith(d + "/") && !paths.get(0).startsWith(".")) {
          continue;
        }
        if (call.startsWith("rename")) {
          events.add(
              "RENAME "
                  + relative(d, paths.get(0))
                  + " "
                  + relative(d, paths.get(paths.size() - 1)));
        } else {
          events.add("UNLINK " + relative(d, paths.get(0)));
        }
      }
    }
    String all = String.join("\n", events);
    assertTrue(events.size() > 20, "traced events:\n" + all);
    int stateRenames = 0;
    for (int i = 0; i < events.size(); i++) {
      String[] e = events.get(i).split(" ");
      if (!e[0].equals("RENAME")) {
        continue;
      }
      String from = e[1];
      String to = e[2];
      Matcher tmp = TMP.matcher(from);
      assertTrue(tmp.matches(), "renamed from a temporary name: " + events.get(i));
      assertEquals(tmp.group(1) + tmp.group(2), to, events.get(i));
      assertTrue(
          events.subList(0, i).contains("FSYNC " + from),
          "fsync of " + from + " before it is renamed to " + to + ":\n" + all);
      int nextDirSync = events.subList(i + 1, events.size()).indexOf("FSYNC .") + i + 1;
      if (to.endsWith(".index")) {
        String prefix = to.substring(0, to.length() - ".index".length());
        for (int j = i + 1; j < events.size(); j++) {
          assertTrue(
              !events.get(j).startsWith("RENAME ")
                  || !events.get(j).endsWith(" " + prefix + ".meta")
                      && !events.get(j).contains(" " + prefix + ".data-"),
              prefix + " renamed after its index:\n" + all);
        }
        int stateRename = indexOf(events, i + 1, " checkpoint");
        assertTrue(
            nextDirSync > i && (stateRename < 0 || nextDirSync < stateRename),
            "directory fsync after " + to + ", before the state file moves:\n" + all);
      }
      if (to.equals("checkpoint")) {
        stateRenames++;
        assertEquals("FSYNC .", events.get(i + 1), "directory fsync after the state file:\n" + all);
      }
    }
    assertTrue(stateRenames >= 2, "the state file moved at each save:\n" + all);
    // the overwrite of model.ckpt-2: its old index goes before its data is replaced
    int unlinkOldIndex = events.indexOf("UNLINK model.ckpt-2.index");
    int replaceData = indexOf(events, 0, " model.ckpt-2.data-00000-of-00001");
    assertTrue(unlinkOldIndex >= 0 && unlinkOldIndex < replaceData, "old index first:\n" + all);
    // model.ckpt-2 expires when model.ckpt-3 is saved: after the state file names model.ckpt-3
    int lastUnlink = events.lastIndexOf("UNLINK model.ckpt-2.index");
    int lastState = -1;
    for (int j = 0; j < events.size(); j++) {
      if (events.get(j).startsWith("RENAME ") && events.get(j).endsWith(" checkpoint")) {
        lastState = j;
      }
    }
    assertTrue(lastUnlink > lastState, "expired checkpoint deleted after the state file:\n" + all);
    System.out.println(events.size() + " file-system calls traced, in the safe order");
  }

  private static String relative(String dir, String path) {
    return path.equals(dir)
        ? "."
        : path.startsWith(dir + "/") ? path.substring(dir.length() + 1) : path;
  }

  private static int indexOf(List<String> events, int from, String suffix) {
    for (int j = from; j < events.size(); j++) {
      if (events.get(j).startsWith("RENAME ") && events.get(j).endsWith(suffix)) {
        return j;
      }
    }
    return -1;
  }
}
