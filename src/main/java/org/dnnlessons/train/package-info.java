/**
 * The training loop and what users see of it: {@link org.dnnlessons.train.Trainer} (the notebook's
 * epochs of {@code next_batch} steps, timing the loop alone), {@link
 * org.dnnlessons.train.Evaluator}, progress ({@link org.dnnlessons.train.ConsoleProgress}), the
 * learning curve ({@link org.dnnlessons.train.LearningCurvePlot}) and TensorBoard event files
 * ({@link org.dnnlessons.train.TensorBoardLog}).
 *
 * <p>Knows nothing of how checkpoints are encoded: saving is a hook the caller passes in.
 */
package org.dnnlessons.train;
