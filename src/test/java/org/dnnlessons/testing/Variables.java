package org.dnnlessons.testing;

import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.nn.NamedVariable;
import org.dnnlessons.nn.Tensors;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/** Reads variables' current values out of a session, for comparisons. */
public final class Variables {

  private Variables() {}

  /** Each variable's values, in order. */
  public static List<float[]> values(Session session, List<NamedVariable<TFloat32>> variables) {
    List<float[]> out = new ArrayList<>();
    for (NamedVariable<TFloat32> v : variables) {
      try (Result r = session.runner().fetch(v).run()) {
        out.add(Tensors.toArray((TFloat32) r.get(0)));
      }
    }
    return out;
  }
}
