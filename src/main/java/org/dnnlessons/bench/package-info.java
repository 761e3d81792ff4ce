/**
 * The side-by-side benchmark: Java measured in-process, Python through {@code
 * src/test/python/bench.py}, printed as one Markdown table ({@link
 * org.dnnlessons.bench.BenchmarkReport}). Speed goals are reported here, never asserted in timed
 * tests.
 */
package org.dnnlessons.bench;
