package org.dnnlessons.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the project prints does not depend on the user's locale: numbers keep ASCII digits and a
 * point (an Arabic or Hindi locale has other digits, a German one a decimal comma), and names keep
 * their letters (Turkish lower-cases {@code I} to a dotless {@code ı}).
 */
class LocaleIndependenceTest {

  /** A call that formats with the default locale unless its first argument names one. */
  private static final Pattern LOCALIZED_CALL =
      Pattern.compile(
          "(String\\.format|\\.printf|\\.formatted|\\.toLowerCase|\\.toUpperCase)\\(\\s*(\\S{0,21})");

  @Test
  void everyFormatAndCaseConversionInMainCodeNamesLocaleRoot() throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = LOCALIZED_CALL.matcher(source);
        while (m.find()) {
          if (!m.group(2).matches("(java\\.util\\.)?Locale\\.ROOT\\b.*")) {
            int line = (int) source.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            offenders.add(file + ":" + (line + 1) + ": " + m.group().strip());
          }
        }
      }
    }
    assertEquals(
        List.of(),
        offenders,
        "pass Locale.ROOT (the default locale changes digits and letters; String.formatted"
            + " cannot take one)");
  }

  @Test
  void numpyFormatPrintsAsciiDigitsInAnArabicLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("ar-EG"));
      assertEquals("[1.e-05 1.e+00]", NumpyFormat.format(new float[] {1e-5f, 1f}, new long[] {2}));
    } finally {
      Locale.setDefault(before);
    }
  }
}
