package org.dnnlessons.serve;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the served model and swaps in a newer one atomically, as TensorFlow Serving's {@code
 * AspiredVersionsManager} does with its servables: a request {@link #acquire acquires} a handle to
 * the model current at that moment and uses it to the end, even if a newer one is swapped in
 * meanwhile; the old model is closed when the last request holding it is done. Readers never see a
 * half-loaded model (a model is published only once loaded) nor a closed one (reference counting).
 */
public final class ModelManager implements AutoCloseable {

  private final AtomicReference<Counted> current;
  private final VersionStates states = new VersionStates();

  /**
   * Starts serving {@code first}; the manager owns it from now on.
   *
   * @param first the model to serve first
   */
  public ModelManager(ServedModel first) {
    current = new AtomicReference<>(new Counted(Objects.requireNonNull(first), states));
    states.set(first.version(), VersionStates.State.AVAILABLE);
  }

  /** Every version known and its state, newest first ({@code model_version_status}). */
  List<VersionStates.Status> versionStatuses() {
    return states.all();
  }

  /** The state of {@code version}, or null when this manager never knew it. */
  VersionStates.Status versionStatus(long version) {
    return states.get(version);
  }

  /** Says that {@code version} is loading (a source found it and loads it in the background). */
  void loading(long version) {
    states.set(version, VersionStates.State.LOADING);
  }

  /** Says that {@code version} failed to load: its state is END, with the error. */
  void failedToLoad(long version, String error) {
    states.failed(version, error);
  }

  /**
   * A handle to the model served now; close it when the request is done.
   *
   * @return a handle to the current model; it stays valid (and the model open) until the handle is
   *     closed, even across a {@link #swap}
   * @throws IllegalStateException after {@link #close}
   */
  public ServableHandle acquire() {
    while (true) {
      Counted c = current.get();
      if (c == null) {
        throw new IllegalStateException("the model manager is closed");
      }
      if (c.retain()) {
        return new ServableHandle(c);
      }
      // c was swapped out and released between get() and retain(): read the new one
    }
  }

  /**
   * The version served now.
   *
   * @return the version of the model served now (a checkpoint's global step, or 1)
   */
  public long version() {
    try (ServableHandle h = acquire()) {
      return h.model().version();
    }
  }

  /**
   * Serves {@code next} from now on; the previous model is closed once no request holds it.
   *
   * @param next the model to serve; the manager owns it from now on
   * @return the previous model's version
   * @throws IllegalStateException after {@link #close} (then {@code next} is closed here)
   */
  public long swap(ServedModel next) {
    Counted fresh = new Counted(Objects.requireNonNull(next), states);
    Counted old;
    do {
      old = current.get();
      if (old == null) {
        next.close();
        throw new IllegalStateException("the model manager is closed");
      }
    } while (!current.compareAndSet(old, fresh));
    states.set(next.version(), VersionStates.State.AVAILABLE);
    long version = old.model.version();
    if (version != next.version()) {
      states.set(version, VersionStates.State.UNLOADING);
      old.endsVersion = true;
    }
    old.release(); // the manager's own reference
    return version;
  }

  /** Stops serving: the model is closed once the requests holding it are done. */
  @Override
  public void close() {
    Counted old = current.getAndSet(null);
    if (old != null) {
      states.set(old.model.version(), VersionStates.State.UNLOADING);
      old.endsVersion = true;
      old.release();
    }
  }

  /** A model with a count of its holders: the manager (1) plus each request using it. */
  private static final class Counted {
    final ServedModel model;
    final AtomicInteger holders = new AtomicInteger(1);
    final VersionStates states;
    volatile boolean endsVersion; // its version is no longer served: END once closed

    Counted(ServedModel model, VersionStates states) {
      this.model = model;
      this.states = states;
    }

    /** Adds a holder unless the count already reached 0 (the model is closed or closing). */
    boolean retain() {
      while (true) {
        int n = holders.get();
        if (n == 0) {
          return false;
        }
        if (holders.compareAndSet(n, n + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (holders.decrementAndGet() == 0) {
        model.close();
        if (endsVersion) {
          states.set(model.version(), VersionStates.State.END);
        }
      }
    }
  }

  /** One request's hold on a model, as TensorFlow Serving's {@code ServableHandle}. */
  public static final class ServableHandle implements AutoCloseable {
    private final Counted counted;
    private boolean released;

    private ServableHandle(Counted counted) {
      this.counted = counted;
    }

    /**
     * The model; valid until {@link #close}.
     *
     * @return the model this handle holds
     */
    public ServedModel model() {
      return counted.model;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        counted.release();
      }
    }
  }
}
