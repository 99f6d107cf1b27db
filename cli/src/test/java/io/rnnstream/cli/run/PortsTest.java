package io.rnnstream.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortsTest {
  @Test
  void shouldKeepAFreePortAndReplaceOneInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int busy = taken.getLocalPort();
      assertThat(Ports.preferred(busy)).as("a port in use is replaced").isNotEqualTo(busy)
          .isPositive();
    }
    int free = Ports.free();
    assertThat(Ports.preferred(free)).as("a free port is kept").isEqualTo(free);
    assertThat(Ports.preferred(0)).isPositive();
  }
}
