package org.dnnlessons.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Swaps while requests run: no request sees a closed model, every old model is closed once. */
class ModelManagerTest {

  @Test
  void requestsRacingSwapsNeverUseAClosedModelAndEachOldModelIsClosedOnce() throws Exception {
    List<FakeModel> models = new ArrayList<>();
    FakeModel first = new FakeModel(1);
    models.add(first);
    ModelManager manager = new ModelManager(first);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Long>> readers = new ArrayList<>();
    float[][] image = {new float[ServedModel.PIXELS]};
    for (int t = 0; t < 4; t++) {
      readers.add(
          pool.submit(
              () -> {
                long calls = 0;
                while (!stop.get()) {
                  try (ModelManager.ServableHandle h = manager.acquire()) {
                    h.model().predict(image); // throws if the model was closed
                    calls++;
                  }
                }
                return calls;
              }));
    }
    for (int v = 2; v <= 2000; v++) {
      FakeModel next = new FakeModel(v);
      models.add(next);
      assertEquals(v - 1, manager.swap(next));
    }
    stop.set(true);
    long calls = 0;
    for (Future<Long> f : readers) {
      calls += f.get(); // rethrows a reader's failure
    }
    pool.shutdown();
    assertTrue(calls > 0);
    for (FakeModel m : models.subList(0, models.size() - 1)) {
      assertEquals(1, m.closes.get(), "version " + m.version + " closed once");
    }
    FakeModel last = models.get(models.size() - 1);
    assertEquals(0, last.closes.get(), "the served one stays open");
    manager.close();
    assertEquals(1, last.closes.get());
    assertThrows(IllegalStateException.class, manager::acquire);
  }

  @Test
  void aModelHeldByARequestIsClosedWhenTheRequestEndsNotAtTheSwap() {
    FakeModel old = new FakeModel(1);
    ModelManager manager = new ModelManager(old);
    ModelManager.ServableHandle held = manager.acquire();
    manager.swap(new FakeModel(2));
    assertEquals(0, old.closes.get(), "still held");
    held.model().predict(new float[][] {new float[ServedModel.PIXELS]});
    held.close();
    assertEquals(1, old.closes.get());
    held.close(); // twice is harmless
    assertEquals(1, old.closes.get());
    manager.close();
  }
}
