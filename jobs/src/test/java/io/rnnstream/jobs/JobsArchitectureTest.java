package io.rnnstream.jobs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * {@code jobs} is the jar submitted to a cluster: the pipelines and their Kafka wiring, with no training code, no CLI and no embedded broker or test kit inside. Module dependencies point one way (docs/design.md §1): models <- training; models <- operators <- jobs <- cli; training <- cli; benchmarks on top.
 * Plain JUnit (not the ArchUnit engine) so that the rule runs under any surefire setup.
 */
class JobsArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.rnnstream.jobs");

  static ArchRule noDependencyOn(String... packages) {
    return noClasses().should().dependOnClassesThat().resideInAnyPackage(packages)
        .because("the job jar holds the pipelines only");
  }

  @Test
  void shouldNotDependOnTrainingCliOrABroker() {
    assertThat(CLASSES.size()).as("imported classes").isGreaterThan(10);
    noDependencyOn("io.rnnstream.training..", "io.rnnstream.cli..", "io.rnnstream.benchmarks..",
        "kafka.server..", "org.apache.kafka.common.test..", "org.apache.kafka.server..").check(CLASSES);
  }

  @Test
  void ruleShouldCatchAViolation() {
    // The same rule against a package this module does use must fail, or the test above proves
    // nothing.
    assertThatThrownBy(() -> noDependencyOn("io.rnnstream.operators..").check(CLASSES))
        .isInstanceOf(AssertionError.class);
  }
}
