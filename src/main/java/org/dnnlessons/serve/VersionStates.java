package org.dnnlessons.serve;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every version of the model the server has known, with its state, as TensorFlow Serving's {@code
 * ServableStateMonitor} keeps them for {@code GET /v1/models/NAME} ({@code model_version_status}):
 * {@code LOADING} while a new checkpoint loads, {@code AVAILABLE} while it serves, {@code
 * UNLOADING} once a newer one replaced it and requests still hold it, {@code END} once closed, or
 * when its load failed (then with the error). Newest first; at most {@link #KEPT} versions (the
 * oldest ended ones are forgotten first). Thread-safe.
 */
final class VersionStates {

  /** Versions kept at most. */
  static final int KEPT = 64;

  /**
   * A version's state: TensorFlow Serving's {@code ModelVersionStatus.State} ({@code
   * get_model_status.proto}).
   */
  enum State {
    START,
    LOADING,
    AVAILABLE,
    UNLOADING,
    END
  }

  /**
   * One version's status, as {@code model_version_status} writes it.
   *
   * @param version the version (a checkpoint's global step, or 1)
   * @param state its state
   * @param errorCode {@code OK}, or {@code UNKNOWN} for a load that failed (TensorFlow's {@code
   *     error::Code} name)
   * @param errorMessage empty, or why its load failed
   */
  record Status(long version, State state, String errorCode, String errorMessage) {}

  private final TreeMap<Long, Status> versions = new TreeMap<>();

  synchronized void set(long version, State state) {
    versions.put(version, new Status(version, state, "OK", ""));
    trim();
  }

  synchronized void failed(long version, String message) {
    versions.put(version, new Status(version, State.END, "UNKNOWN", String.valueOf(message)));
    trim();
  }

  /** All versions known, newest first. */
  synchronized List<Status> all() {
    return new ArrayList<>(versions.descendingMap().values());
  }

  /** The status of {@code version}, or null when it is not known. */
  synchronized Status get(long version) {
    return versions.get(version);
  }

  private void trim() {
    Iterator<Map.Entry<Long, Status>> it = versions.entrySet().iterator();
    while (versions.size() > KEPT && it.hasNext()) {
      if (it.next().getValue().state() == State.END) {
        it.remove();
      }
    }
  }
}
