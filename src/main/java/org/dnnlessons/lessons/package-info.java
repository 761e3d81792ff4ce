/**
 * One class per notebook section, each reading like the notebook cell it ports: {@code main} runs
 * the notebook's settings, {@code run(options, out)} builds the graph, prints what the notebook
 * prints and returns a record named for what it holds, which tests assert on. Each class names its
 * cell, its test and its Python peer; {@link org.dnnlessons.lessons.LessonCatalog} lists them all,
 * and each lesson's {@code COMMAND} is its name in {@code dnn-lessons lesson NAME}.
 *
 * <p>Lessons delegate graph building to {@code org.dnnlessons.nn} and checkpoints to {@code
 * org.dnnlessons.checkpoint}; they know nothing of parsing, file formats or the command line (the
 * package map, {@code ArchitectureTest}, forbids the arrow), and protecting the machine from a run
 * too large for it is the command's business.
 */
package org.dnnlessons.lessons;
