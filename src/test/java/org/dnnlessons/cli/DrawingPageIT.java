package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dnnlessons.serve.CheckpointSource;
import org.dnnlessons.serve.MlpServedModel;
import org.dnnlessons.serve.ModelManager;
import org.dnnlessons.serve.ModelServer;
import org.dnnlessons.serve.ServeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The drawing page in a real browser: headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}) draws a 1, a 0 and a 7 with the mouse on the page of a network trained here,
 * and reads the prediction, the ten bars and the 28×28 the network saw. The last drawing's
 * screenshot is saved to {@code target/serve-page.png} (the README's picture is a copy).
 */
class DrawingPageIT {

  @TempDir Path dir;

  /** A digit and its strokes, each a polyline in the 280×280 canvas's pixels. */
  record Drawing(int digit, int[][][] strokes) {}

  static List<Drawing> drawings() {
    List<int[]> zero = new ArrayList<>();
    for (int k = 0; k <= 32; k++) {
      double a = 2 * Math.PI * k / 32;
      zero.add(
          new int[] {
            140 + (int) Math.round(55 * Math.sin(a)), 140 - (int) Math.round(85 * Math.cos(a))
          });
    }
    return List.of(
        new Drawing(1, new int[][][] {{{150, 45}, {146, 100}, {142, 160}, {138, 235}}}),
        new Drawing(0, new int[][][] {zero.toArray(new int[0][])}),
        new Drawing(
            7,
            new int[][][] {{{75, 55}, {140, 55}, {205, 55}, {175, 120}, {145, 185}, {125, 240}}}));
  }

  @Test
  void drawnDigitsArePredictedWithTheirBarsAndTheImageTheNetworkSaw() throws Exception {
    CliRun train =
        CliRun.of(
            "train",
            "--hidden",
            "128",
            "--epochs",
            "4",
            "--learning-rate",
            "0.5",
            "--init-stddev",
            "0.1",
            "--seed",
            "3",
            "--save",
            dir.resolve("run/model.ckpt").toString());
    assertEquals(0, train.status(), train.err());
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=900,640",
        "--disable-gpu");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    try (ModelManager manager =
            new ModelManager(
                CheckpointSource.loadLatest(dir.resolve("run"), MlpServedModel::load));
        ModelServer server =
            ModelServer.start(
                ServeOptions.defaults().withAddress("127.0.0.1", 0), manager, line -> {})) {
      ChromeDriver driver = new ChromeDriver(service, options);
      try {
        driver.get(server.url());
        WebElement pad = driver.findElement(By.id("pad"));
        JavascriptExecutor js = driver;
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        List<String> seen = new ArrayList<>();
        for (Drawing d : drawings()) {
          driver.findElement(By.id("clear")).click();
          for (int[][] stroke : d.strokes()) {
            Actions a =
                new Actions(driver).moveToElement(pad, stroke[0][0] - 140, stroke[0][1] - 140);
            a.clickAndHold();
            for (int k = 1; k < stroke.length; k++) {
              a.moveToElement(pad, stroke[k][0] - 140, stroke[k][1] - 140);
            }
            a.release().perform();
          }
          wait.until(
              w ->
                  (Boolean)
                      js.executeScript(
                          "return sent > 0 && shown === sent"
                              + " && document.body.dataset.answers === String(sent);"));
          String predicted = driver.findElement(By.id("prediction")).getText();
          double[] bars = new double[10];
          double sum = 0;
          int highest = 0;
          for (int c = 0; c < 10; c++) {
            bars[c] =
                Double.parseDouble(driver.findElement(By.id("bar-" + c)).getAttribute("data-p"));
            sum += bars[c];
            if (bars[c] > bars[highest]) {
              highest = c;
            }
          }
          long ink =
              (Long)
                  js.executeScript(
                      "const d = document.getElementById('seen').getContext('2d')"
                          + ".getImageData(0, 0, 28, 28).data; let s = 0;"
                          + " for (let i = 0; i < d.length; i += 4) s += d[i]; return s;");
          String line =
              String.format(
                  Locale.ROOT,
                  "drew %d: predicted %s with p=%.3f",
                  d.digit(),
                  predicted,
                  bars[highest]);
          System.out.println(line);
          seen.add(line);
          assertEquals(1.0, sum, 1e-3, "the ten bars are probabilities");
          assertEquals(Integer.toString(highest), predicted, "the prediction is the highest bar");
          assertTrue(ink > 255 * 20, "the 28x28 the network saw has ink: " + ink);
          assertEquals(Integer.toString(d.digit()), predicted, line);
        }
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "serve-page.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("screenshot: " + target.toAbsolutePath() + " " + seen);
      } finally {
        driver.quit();
      }
    }
  }
}
