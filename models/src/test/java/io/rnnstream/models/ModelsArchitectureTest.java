package io.rnnstream.models;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * {@code models} is pure Java: it must run anywhere, so it may not touch Flink, Kafka or Avro.
 * Plain JUnit (not the ArchUnit engine) so that the rule runs under any surefire setup.
 */
class ModelsArchitectureTest {
  private static final JavaClasses MODELS = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.rnnstream.models");

  static ArchRule noDependencyOn(String... packages) {
    return noClasses().should().dependOnClassesThat().resideInAnyPackage(packages)
        .because("models stays free of Flink, Kafka and Avro (DESIGN.md section 1)");
  }

  @Test
  void shouldNotDependOnFlinkKafkaOrAvro() {
    assertThat(MODELS.size()).as("imported model classes").isGreaterThan(20);
    noDependencyOn("org.apache.flink..", "org.apache.kafka..", "org.apache.avro..").check(MODELS);
  }

  @Test
  void ruleShouldCatchAViolation() {
    // The same rule against a package models does use must fail, or the test above proves nothing.
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> noDependencyOn("com.fasterxml.jackson..").check(MODELS))
        .isInstanceOf(AssertionError.class);
  }
}
