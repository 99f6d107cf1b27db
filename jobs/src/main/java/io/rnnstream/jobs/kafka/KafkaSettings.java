package io.rnnstream.jobs.kafka;

import java.io.Serializable;
import java.util.Properties;

/**
 * Where a job's Kafka lives and how to talk to it. Every entry of {@link #client} (security,
 * SASL, SSL, timeouts) is passed through to every source, sink, producer and admin client.
 */
public final class KafkaSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  public final String bootstrap;
  public final Properties client;

  public KafkaSettings(String bootstrap, Properties client) {
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException("bootstrap servers must be set (--bootstrap HOST:PORT)");
    }
    this.bootstrap = bootstrap;
    this.client = new Properties();
    if (client != null) {
      this.client.putAll(client);
    }
  }

  /** Client properties plus bootstrap.servers, for plain Kafka clients. */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.putAll(client);
    p.put("bootstrap.servers", bootstrap);
    return p;
  }
}
