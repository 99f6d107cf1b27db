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

  /** {@code port}, or a free one when it is 0. */
  public static int orFree(int port) throws IOException {
    return port == 0 ? free() : port;
  }
}
