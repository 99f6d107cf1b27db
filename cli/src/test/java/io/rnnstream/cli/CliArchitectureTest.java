package io.rnnstream.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * {@code cli} is the top of the serving stack: it uses every other module but no benchmark code. Module dependencies point one way (docs/design.md §1): models <- training; models <- operators <- jobs <- cli; training <- cli; benchmarks on top.
 * Plain JUnit (not the ArchUnit engine) so that the rule runs under any surefire setup.
 */
class CliArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.rnnstream.cli");

  static ArchRule noDependencyOn(String... packages) {
    return noClasses().should().dependOnClassesThat().resideInAnyPackage(packages)
        .because("benchmarks build on the product, never the other way");
  }

  @Test
  void shouldNotDependOnBenchmarks() {
    assertThat(CLASSES.size()).as("imported classes").isGreaterThan(10);
    noDependencyOn("io.rnnstream.benchmarks..").check(CLASSES);
  }

  @Test
  void ruleShouldCatchAViolation() {
    // The same rule against a package this module does use must fail, or the test above proves
    // nothing.
    assertThatThrownBy(() -> noDependencyOn("io.rnnstream.jobs..").check(CLASSES))
        .isInstanceOf(AssertionError.class);
  }
}
