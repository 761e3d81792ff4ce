package org.dnnlessons.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class whose results come from TensorFlow's float kernels (matrix products,
 * reductions, softmax, training runs, accuracies, the notebook's outputs, Python parity). Besides
 * the plain {@code mvn verify}, CI runs these classes again with oneDNN held to other instructions,
 * {@code mvn verify -Pnumerics} ({@code ONEDNN_MAX_CPU_ISA=SSE41} by default, {@code
 * -Donednn.max.cpu.isa=AVX2} for another), so a value frozen on one CPU fails there, not on a
 * user's machine.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("numerics")
public @interface CpuNumerics {}
