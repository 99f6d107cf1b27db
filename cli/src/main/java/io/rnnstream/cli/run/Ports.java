package io.rnnstream.cli.run;

import java.io.IOException;
import java.net.ServerSocket;

/** Free TCP ports on this machine, for the servers of local runs ("port 0" options). */
public final class Ports {
  private Ports() {}

  /** A port free now; the caller binds it next (a race with other processes is possible). */
  public static int free() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /**
   * {@code port} if it is free now, else (or when it is 0) a free one: a local run should not
   * fail because another program holds a default port. The caller prints the port it got.
   */
  public static int preferred(int port) throws IOException {
    if (port != 0) {
      try (ServerSocket s = new ServerSocket(port)) {
        s.setReuseAddress(true);
        return port;
      } catch (IOException busy) {
        // taken: fall through to any free port
      }
    }
    return free();
  }
}
