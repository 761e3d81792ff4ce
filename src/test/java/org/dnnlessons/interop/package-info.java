/**
 * Integration tests against real Python TensorFlow 2.21: checkpoints both ways, SavedModel, and
 * bit-for-bit parity of the lesson's graphs. Run by {@code mvn verify}; {@code -Dinterop.skip=true}
 * leaves them out.
 */
package org.dnnlessons.interop;
