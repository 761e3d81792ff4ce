/**
 * The {@code dnn-lessons} command line (picocli): maps options to the lessons and the library, and
 * is the one place that turns exceptions into one-line messages and exit codes.
 */
package org.dnnlessons.cli;
