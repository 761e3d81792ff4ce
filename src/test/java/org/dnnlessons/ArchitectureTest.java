package org.dnnlessons;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package map as a test: the arrows below are the only dependencies allowed between the
 * project's packages (a new arrow is a decision, written here and in {@code
 * src/site/markdown/design.md}, which {@link #theDesignPageDrawsThisMap} keeps in step), the
 * packages have no cycle, and every class lives in a package of the map.
 */
class ArchitectureTest {

  /** Each package and the packages it may use; the order is the design page's. */
  static final Map<String, List<String>> ALLOWED = new LinkedHashMap<>();

  static {
    ALLOWED.put("format", List.of());
    ALLOWED.put("files", List.of());
    ALLOWED.put("jvm", List.of());
    ALLOWED.put("nn", List.of());
    ALLOWED.put("data", List.of("format", "files"));
    ALLOWED.put("checkpoint", List.of("format", "files"));
    ALLOWED.put("savedmodel", List.of("nn", "data", "checkpoint", "format", "files"));
    ALLOWED.put("keras", List.of("nn", "checkpoint", "savedmodel", "format", "files"));
    ALLOWED.put("train", List.of("nn", "data", "checkpoint", "keras", "format", "files"));
    ALLOWED.put("lessons", List.of("nn", "data", "train", "checkpoint", "format"));
    ALLOWED.put("notebook", List.of("format", "files", "jvm"));
    ALLOWED.put(
        "serve",
        List.of("nn", "keras", "savedmodel", "checkpoint", "data", "train", "format", "files"));
    ALLOWED.put(
        "bench",
        List.of(
            "lessons",
            "train",
            "nn",
            "data",
            "checkpoint",
            "keras",
            "serve",
            "format",
            "files",
            "jvm"));
    ALLOWED.put(
        "cli",
        List.of(
            "lessons",
            "train",
            "nn",
            "data",
            "checkpoint",
            "savedmodel",
            "keras",
            "format",
            "files",
            "notebook",
            "serve",
            "bench",
            "jvm"));
  }

  private static JavaClasses classes;

  @BeforeAll
  static void importTheProductsClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target", "classes"));
  }

  @Test
  void packagesUseOnlyTheAllowedPackages() {
    LayeredArchitecture map = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (String p : ALLOWED.keySet()) {
      map = map.layer(p).definedBy("org.dnnlessons." + p + "..");
    }
    for (Map.Entry<String, List<String>> e : ALLOWED.entrySet()) {
      map =
          e.getValue().isEmpty()
              ? map.whereLayer(e.getKey()).mayNotAccessAnyLayer()
              : map.whereLayer(e.getKey()).mayOnlyAccessLayers(e.getValue().toArray(new String[0]));
    }
    map.withOptionalLayers(true).check(classes);
  }

  @Test
  void packagesHaveNoCycle() {
    ArchRule rule = slices().matching("org.dnnlessons.(*)..").should().beFreeOfCycles();
    rule.check(classes);
  }

  @Test
  void everyClassLivesInAPackageOfTheMap() {
    String[] packages =
        ALLOWED.keySet().stream().map(p -> "org.dnnlessons." + p + "..").toArray(String[]::new);
    ArchRuleDefinition.classes()
        .should()
        .resideInAnyPackage(packages)
        .because("a new package is a decision: add it and its arrows to ArchitectureTest.ALLOWED")
        .check(classes);
  }

  @Test
  void theDesignPageDrawsThisMap() throws Exception {
    String page = Files.readString(Path.of("src/site/markdown/design.md"));
    Map<String, List<String>> drawn = new LinkedHashMap<>();
    Matcher row = Pattern.compile("(?m)^\\| `([a-z]+)` \\| (.*) \\|$").matcher(page);
    while (row.find()) {
      String uses = row.group(2);
      drawn.put(
          row.group(1),
          uses.equals("nothing of the project")
              ? List.of()
              : Arrays.stream(uses.split(", ")).map(u -> u.replace("`", "")).toList());
    }
    assertEquals(ALLOWED, drawn, "src/site/markdown/design.md's table of arrows");
  }
}
