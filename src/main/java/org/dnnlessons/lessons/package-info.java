/**
 * One class per notebook section, each reading like the notebook cell it ports: {@code main} hands
 * its arguments to the command line, {@code run(options, out)} builds the graph, prints what the
 * notebook prints and returns a result record that tests assert on. {@link
 * org.dnnlessons.lessons.LessonCatalog} lists them all.
 *
 * <p>Lessons delegate graph building to {@code org.dnnlessons.nn} and checkpoints to {@code
 * org.dnnlessons.checkpoint}; they know nothing of parsing or file formats.
 */
package org.dnnlessons.lessons;
