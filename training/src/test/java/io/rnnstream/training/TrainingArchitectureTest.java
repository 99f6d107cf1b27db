package io.rnnstream.training;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * {@code training} is pure Java on top of {@code models}: no Flink, Kafka or Avro, and nothing of the serving modules. Module dependencies point one way (docs/design.md §1): models <- training; models <- operators <- jobs <- cli; training <- cli; benchmarks on top.
 * Plain JUnit (not the ArchUnit engine) so that the rule runs under any surefire setup.
 */
class TrainingArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.rnnstream.training");

  static ArchRule noDependencyOn(String... packages) {
    return noClasses().should().dependOnClassesThat().resideInAnyPackage(packages)
        .because("training depends on models only");
  }

  @Test
  void shouldDependOnModelsOnly() {
    assertThat(CLASSES.size()).as("imported classes").isGreaterThan(20);
    noDependencyOn("org.apache.flink..", "org.apache.kafka..", "org.apache.avro..",
        "io.rnnstream.operators..", "io.rnnstream.jobs..", "io.rnnstream.cli..",
        "io.rnnstream.benchmarks..", "io.rnnstream.schemas..").check(CLASSES);
  }

  @Test
  void ruleShouldCatchAViolation() {
    // The same rule against a package this module does use must fail, or the test above proves
    // nothing.
    assertThatThrownBy(() -> noDependencyOn("io.rnnstream.models..").check(CLASSES))
        .isInstanceOf(AssertionError.class);
  }
}
