/**
 * The side-by-side benchmark: Java measured in-process, Python through {@code
 * src/test/python/bench.py} (the training rows against its {@code --serve} mode, {@link
 * org.dnnlessons.bench.PythonTrainingServer}, in interleaved rounds), printed as one Markdown table
 * ({@link org.dnnlessons.bench.BenchmarkReport}). Speed goals are reported here, never asserted in
 * timed tests.
 */
package org.dnnlessons.bench;
