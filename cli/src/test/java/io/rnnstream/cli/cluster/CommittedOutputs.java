package io.rnnstream.cli.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows a topic with {@code read_committed} from its beginning on a thread of its own and
 * notes when each record became visible, so that a test can wait for outputs and time them.
 */
public final class CommittedOutputs implements AutoCloseable {
  /** A committed record and the wall-clock time ({@code System.currentTimeMillis()}) it was read. */
  public record Seen(ConsumerRecord<byte[], byte[]> record, long seenAtMs) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Seen> seen = new ArrayList<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile RuntimeException failure;

  public CommittedOutputs(String bootstrap, String topic) {
    consumer = new KafkaConsumer<>(properties(bootstrap), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::follow, "committed-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  static Properties properties(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("isolation.level", "read_committed");
    p.put("enable.auto.commit", "false");
    return p;
  }

  private void follow() {
    try {
      while (!closed) {
        var records = consumer.poll(Duration.ofMillis(100));
        long now = System.currentTimeMillis();
        synchronized (seen) {
          records.forEach(r -> seen.add(new Seen(r, now)));
          seen.notifyAll();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close();
    }
  }

  /** Everything read so far. */
  public List<Seen> seen() {
    synchronized (seen) {
      return new ArrayList<>(seen);
    }
  }

  public int count() {
    synchronized (seen) {
      return seen.size();
    }
  }

  /** Waits until at least {@code n} records were read: what was read. */
  public List<Seen> await(int n, Duration timeout) throws InterruptedException {
    return await(s -> s.size() >= n, "at least " + n + " committed records", timeout);
  }

  public List<Seen> await(Predicate<List<Seen>> done, String what, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (seen) {
      while (!done.test(seen)) {
        if (failure != null) {
          throw failure;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("gave up waiting for " + what + " after " + timeout
              + "; read " + seen.size());
        }
        seen.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
      return new ArrayList<>(seen);
    }
  }

  /**
   * Everything committed in {@code topic}, read in one go up to the last stable offset of each
   * partition (for a topic no job writes to any more: nothing is still open).
   */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic,
      Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (var c = new KafkaConsumer<>(properties(bootstrap), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = c.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions); // read_committed: the LSO
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " up to " + end + " in "
              + timeout);
        }
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    consumer.wakeup();
    thread.join(TimeUnit.SECONDS.toMillis(30));
  }
}
