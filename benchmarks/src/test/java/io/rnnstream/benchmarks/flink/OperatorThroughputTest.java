package io.rnnstream.benchmarks.flink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The harness's row names and the median its multi-round summary reports. */
class OperatorThroughputTest {
  @Test
  void shouldTakeTheMiddleValueOrTheMeanOfTheMiddleTwo() {
    assertThat(OperatorThroughput.median(new double[] {3, 1, 2})).isEqualTo(2.0);
    assertThat(OperatorThroughput.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(OperatorThroughput.median(new double[] {7})).isEqualTo(7.0);
  }

  @Test
  void shouldNotReorderTheCallersValues() {
    double[] rates = {3, 1, 2};
    OperatorThroughput.median(rates);
    assertThat(rates).containsExactly(3, 1, 2);
  }

  @Test
  void shouldReadTheBundleSizeOfMicroRows() {
    assertThat(OperatorThroughput.bundleSize("micro64")).isEqualTo(64);
    assertThat(OperatorThroughput.bundleSize("micro")).isEqualTo(OperatorThroughput.MICRO_BATCH);
    assertThat(OperatorThroughput.bundleSize("floor")).isZero();
    assertThat(OperatorThroughput.bundleSize("microx")).isZero();
  }
}
