package org.dnnlessons.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.files.FilePublisher;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * Draws the learning curve of a training run (mean training cost and validation accuracy per epoch,
 * on two axes) as a PNG, with XChart.
 */
public final class LearningCurvePlot {

  private LearningCurvePlot() {}

  /**
   * Writes the chart to {@code file} (a PNG), replacing it atomically.
   *
   * @param epochs the epochs' costs and validation accuracies, in order
   * @param title the chart's title
   * @param file the PNG file to write; replaced when it exists
   * @throws IOException one line naming the file when it cannot be written; the old file is then
   *     untouched
   */
  public static void write(List<EpochSummary> epochs, String title, Path file) throws IOException {
    if (epochs.isEmpty()) {
      throw new IllegalArgumentException("nothing to plot: no epochs");
    }
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(500)
            .title(title)
            .xAxisTitle("epoch")
            .yAxisTitle("training cost")
            .build();
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    List<Integer> x = new ArrayList<>();
    List<Double> cost = new ArrayList<>();
    List<Integer> vx = new ArrayList<>();
    List<Double> accuracy = new ArrayList<>();
    for (EpochSummary e : epochs) {
      x.add(e.epoch() + 1);
      cost.add(e.meanCost());
      if (e.validated()) {
        vx.add(e.epoch() + 1);
        accuracy.add(e.validationAccuracy());
      }
    }
    XYSeries costSeries = chart.addSeries("training cost", x, cost);
    costSeries.setYAxisGroup(0);
    if (!accuracy.isEmpty()) {
      XYSeries accSeries = chart.addSeries("validation accuracy", vx, accuracy);
      accSeries.setYAxisGroup(1);
      chart.setYAxisGroupTitle(1, "validation accuracy");
    }
    FilePublisher.publish(
        file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }
}
