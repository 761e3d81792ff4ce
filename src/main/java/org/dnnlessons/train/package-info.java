/**
 * Training runs and what users see of them: {@link org.dnnlessons.train.TrainingRun} (one run end
 * to end, as {@code dnn-lessons train} does it: data, graph, loop, checkpoints, TensorBoard,
 * SavedModel, plot; its options {@link org.dnnlessons.train.TrainingRunOptions}), the listeners
 * that watch the loop ({@link org.dnnlessons.train.TrainingListener}), {@link
 * org.dnnlessons.train.Trainer} (the notebook's epochs of {@code next_batch} steps, timing the loop
 * alone), {@link org.dnnlessons.train.Evaluator}, progress ({@link
 * org.dnnlessons.train.ConsoleProgress}), the learning curve ({@link
 * org.dnnlessons.train.LearningCurvePlot}) and TensorBoard event files ({@link
 * org.dnnlessons.train.TensorBoardLog}).
 *
 * <p>Knows nothing of how checkpoints are encoded: it saves and restores through {@link
 * org.dnnlessons.checkpoint.Saver}.
 */
package org.dnnlessons.train;
