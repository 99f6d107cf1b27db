package io.rnnstream.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A session cluster's REST API: upload a jar and run it (what the web UI's job submission does:
 * the entry point runs in the JobManager; {@code flink run} instead builds the job on the client
 * and posts it to {@code /jobs}), watch the job, stop it with a savepoint and cancel it (the
 * calls {@code flink stop} and {@code flink cancel} make), read its checkpoint statistics.
 */
public final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  public FlinkRest(String base) {
    this.base = base;
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpRequest r = request.timeout(Duration.ofMinutes(2)).build();
    HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(r.method() + " " + r.uri() + ": HTTP " + response.statusCode()
          + " " + response.body());
    }
    return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  public JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /** {@code GET /overview} answers (the dispatcher and its REST endpoint are up). */
  public boolean reachable() {
    try {
      get("/overview");
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The number of registered TaskManagers. */
  public int taskManagers() throws IOException, InterruptedException {
    return get("/overview").path("taskmanagers").asInt();
  }

  /** {@code POST /jars/upload} (multipart, field {@code jarfile}): the jar's id. */
  public String upload(Path jar) throws IOException, InterruptedException {
    String boundary = "----rnnstream" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\";"
        + " filename=\"" + jar.getFileName() + "\"\r\n"
        + "Content-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(Files.readAllBytes(jar));
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    JsonNode answer = send(HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    String file = answer.path("filename").asText();
    if (!"success".equals(answer.path("status").asText()) || file.isEmpty()) {
      throw new IOException("upload of " + jar + " failed: " + answer);
    }
    return Path.of(file).getFileName().toString();
  }

  /**
   * {@code POST /jars/<id>/run}: runs the jar's {@code entryClass} with {@code args} (the
   * program arguments of {@code flink run}), from {@code savepoint} when not null; the job id.
   */
  public String run(String jarId, String entryClass, List<String> args, int parallelism,
      String savepoint) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("entryClass", entryClass);
    body.putArray("programArgsList").addAll(args.stream().map(JSON.getNodeFactory()::textNode)
        .toList());
    body.put("parallelism", parallelism);
    if (savepoint != null) {
      body.put("savepointPath", savepoint);
      body.put("allowNonRestoredState", false);
    }
    return post("/jars/" + jarId + "/run", body).path("jobid").asText();
  }

  /** {@code GET /jobs/<id>}. */
  public JsonNode job(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId);
  }

  /** Whether the job is RUNNING with every task of every vertex running. */
  public boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
    JsonNode job = job(jobId);
    if (!"RUNNING".equals(job.path("state").asText())) {
      return false;
    }
    for (JsonNode v : job.path("vertices")) {
      int running = v.path("tasks").path("RUNNING").asInt();
      if (running != v.path("parallelism").asInt()) {
        return false;
      }
    }
    return true;
  }

  /** {@code POST /jobs/<id>/stop} without draining: the savepoint's trigger id. */
  public String stopWithSavepoint(String jobId, Path directory)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("drain", false);
    body.put("targetDirectory", directory.toUri().toString());
    return post("/jobs/" + jobId + "/stop", body).path("request-id").asText();
  }

  /**
   * Polls {@code /jobs/<id>/savepoints/<trigger>} until the savepoint completes: its location.
   */
  public String awaitSavepoint(String jobId, String trigger, Duration timeout)
      throws IOException, InterruptedException {
    JsonNode status = await("savepoint " + trigger, timeout, () -> get("/jobs/" + jobId
        + "/savepoints/" + trigger), s -> "COMPLETED".equals(s.path("status").path("id")
        .asText()));
    JsonNode op = status.path("operation");
    if (op.has("failure-cause")) {
      throw new IOException("savepoint failed: " + op.path("failure-cause"));
    }
    return op.path("location").asText();
  }

  /** {@code PATCH /jobs/<id>?mode=cancel} ({@code flink cancel}). */
  public void cancel(String jobId) throws IOException, InterruptedException {
    send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
        .method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }

  /** {@code GET /jobs/<id>/checkpoints}: counts, summary, latest and history. */
  public JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId + "/checkpoints");
  }

  /** A REST call that may fail while the cluster starts or fails over. */
  public interface Call {
    JsonNode call() throws IOException, InterruptedException;
  }

  /** Polls {@code call} every 250 ms until {@code done} holds for its answer. */
  public static JsonNode await(String what, Duration timeout, Call call, Predicate<JsonNode> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    Exception error = null;
    while (System.nanoTime() < deadline) {
      try {
        last = call.call();
        error = null;
        if (done.test(last)) {
          return last;
        }
      } catch (IOException e) {
        error = e;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("gave up waiting for " + what + " after " + timeout
        + "; last answer: " + last, error);
  }
}
