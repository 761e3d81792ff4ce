package org.dnnlessons.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** MNIST's preprocessing of a person's picture: polarity, colour, size, placement, refusals. */
class DigitImageTest {

  /** Float32 pixel tolerance for the same picture drawn in other colours. */
  private static final float EPSILON = 1e-5f;

  static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** A "7" drawn with anti-aliased strokes in {@code ink} on {@code paper}. */
  static BufferedImage seven(int type, Color paper, Color ink) {
    BufferedImage image = new BufferedImage(300, 240, type);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(paper);
    g.fillRect(0, 0, 300, 240);
    g.setColor(ink);
    g.setStroke(new java.awt.BasicStroke(14, java.awt.BasicStroke.CAP_ROUND, 0));
    g.drawLine(90, 40, 200, 40);
    g.drawLine(200, 40, 120, 200);
    g.dispose();
    return image;
  }

  @Test
  void darkOnLightLightOnDarkColourAndGreyGiveTheSameDigit() throws Exception {
    float[] grey =
        DigitImage.read(png(seven(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK)), "a");
    float[] inverted =
        DigitImage.read(png(seven(BufferedImage.TYPE_INT_RGB, Color.BLACK, Color.WHITE)), "b");
    float[] greyType =
        DigitImage.read(png(seven(BufferedImage.TYPE_BYTE_GRAY, Color.WHITE, Color.BLACK)), "c");
    float[] colour =
        DigitImage.read(
            png(seven(BufferedImage.TYPE_INT_RGB, new Color(255, 255, 0), new Color(0, 0, 255))),
            "d");
    BufferedImage transparent =
        seven(BufferedImage.TYPE_INT_ARGB, new Color(0, 0, 0, 0), Color.BLACK);
    float[] alpha = DigitImage.read(png(transparent), "e");
    assertArrayEquals(grey, inverted, EPSILON);
    assertArrayEquals(grey, greyType, EPSILON);
    assertArrayEquals(grey, colour, EPSILON);
    assertArrayEquals(grey, alpha, EPSILON);
  }

  @Test
  void boundingBoxFitsTwentyByTwentyAndCentreOfMassIsAtTheCentre() throws Exception {
    BufferedImage bar = new BufferedImage(500, 400, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = bar.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 500, 400);
    g.setColor(Color.BLACK);
    g.fillRect(30, 20, 100, 300); // off-centre, 1:3
    g.dispose();
    float[] p = DigitImage.read(png(bar), "bar");
    int top = 28;
    int bottom = -1;
    int left = 28;
    int right = -1;
    double mass = 0;
    double mx = 0;
    double my = 0;
    for (int r = 0; r < 28; r++) {
      for (int c = 0; c < 28; c++) {
        float v = p[r * 28 + c];
        assertTrue(v >= 0 && v <= 1, "pixel " + v);
        if (v > 0) {
          top = Math.min(top, r);
          bottom = Math.max(bottom, r);
          left = Math.min(left, c);
          right = Math.max(right, c);
        }
        mass += v;
        mx += v * c;
        my += v * r;
      }
    }
    assertEquals(20, bottom - top + 1, "the long side becomes 20 pixels");
    assertEquals(7, right - left + 1, "the short side keeps the aspect ratio: 100 * 20 / 300");
    assertEquals(14, mx / mass, 0.5, "centre of mass at 14, as in MNIST");
    assertEquals(14, my / mass, 0.5, "centre of mass at 14, as in MNIST");
  }

  @Test
  void mnistDigitsDrawnLargeComeBackAsTheyWere() throws Exception {
    DataSet test =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false))
            .test();
    double worst = 0;
    double total = 0;
    int n = 100;
    for (int i = 0; i < n; i++) {
      BufferedImage big = new BufferedImage(280, 280, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 280; y++) {
        for (int x = 0; x < 280; x++) {
          big.getRaster().setSample(x, y, 0, 255 - test.pixel(i, y / 10, x / 10));
        }
      }
      float[] back = DigitImage.read(png(big), "mnist " + i);
      double diff = 0;
      for (int p = 0; p < 784; p++) {
        diff += Math.abs(back[p] - test.pixel(i, p / 28, p % 28) / 255f);
      }
      diff /= 784;
      worst = Math.max(worst, diff);
      total += diff;
    }
    System.out.printf("MNIST round trip: mean |diff| %.4f, worst image %.4f%n", total / n, worst);
    // MNIST's own digits were made this way: they come back as they were, up to the resampling's
    // rounding (with the field's centre at 13.5 instead of 14 the mean was 0.058: one pixel off)
    assertTrue(total / n < 1e-3, "mean absolute difference per pixel " + total / n);
    assertTrue(worst < 1e-2, "worst image's mean absolute difference per pixel " + worst);
  }

  @Test
  void blankPicturesHugePicturesAndNonPicturesAreRefusedInOneLine() throws Exception {
    BufferedImage blank = new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB);
    DatasetException e =
        assertThrows(DatasetException.class, () -> DigitImage.read(png(blank), "blank"));
    assertTrue(e.getMessage().contains("no digit found"), e.getMessage());
    byte[] huge = png(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY));
    ByteBuffer ihdr = ByteBuffer.wrap(huge);
    ihdr.putInt(16, 100_000).putInt(20, 100_000); // IHDR width and height
    CRC32 crc = new CRC32();
    crc.update(huge, 12, 17);
    ihdr.putInt(29, (int) crc.getValue());
    e = assertThrows(DatasetException.class, () -> DigitImage.read(huge, "huge"));
    assertTrue(e.getMessage().contains("100000x100000 pixels"), e.getMessage());
    e =
        assertThrows(
            DatasetException.class, () -> DigitImage.read("not a picture".getBytes(), "text"));
    assertTrue(e.getMessage().contains("not a picture"), e.getMessage());
  }
}
