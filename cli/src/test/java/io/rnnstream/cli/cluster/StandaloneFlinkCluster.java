package io.rnnstream.cli.cluster;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Flink standalone session cluster as separate OS processes, started the way Flink's own
 * scripts ({@code jobmanager.sh}, {@code taskmanager.sh}) start it, but from the Flink artifacts
 * Maven resolves instead of a distribution (which is not on Maven Central):
 *
 * <ol>
 *   <li>{@code conf/config.yaml} and {@code conf/log4j.properties} in a directory of its own;
 *   <li>the JVM options and dynamic properties of each role from
 *       {@code BashJavaUtils GET_JM_RESOURCE_PARAMS|GET_TM_RESOURCE_PARAMS --configDir conf}, as
 *       the scripts compute them (heap, direct memory, metaspace; the memory components);
 *   <li>{@code java <those options> -Dlog.file=... -Dlog4j.configurationFile=... -cp <Flink>
 *       StandaloneSessionClusterEntrypoint|TaskManagerRunner --configDir conf <dynamic properties>}.
 * </ol>
 *
 * <p>{@link #flink} runs {@code bin/flink}'s class, {@code CliFrontend}, against it.
 *
 * <p>The classpath is this JVM's ({@code java.class.path}) without the project's own modules and
 * without what the job jar bundles (the Kafka connector, Kafka clients, Avro, picocli): user code
 * comes only from the submitted jar, as on a real cluster.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {
  /** What Flink's distribution passes every JVM on Java 17 ({@code env.java.opts.all}). */
  static final List<String> JAVA_17_OPTIONS = List.of(
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
      // rnnstream's Vector API kernels, as docker/flink/config.yaml adds them
      "--add-modules=jdk.incubator.vector");

  /** Artifacts the job jar bundles (Maven repository paths): kept off the cluster's classpath. */
  static final List<String> BUNDLED_IN_JOB_JAR = List.of("/org/apache/kafka/",
      "/org/apache/flink/flink-connector-kafka/", "/org/apache/avro/", "/info/picocli/",
      "/io/rnnstream/");

  static final String ENTRYPOINT =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  static final String CLI_FRONTEND = "org.apache.flink.client.cli.CliFrontend";
  static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
  static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

  private final Path home;
  private final Path conf;
  private final Path logs;
  private final String classpath;
  private final int restPort;
  private final Map<String, Process> processes = new LinkedHashMap<>();
  private List<List<String>> taskManagerParams;

  private StandaloneFlinkCluster(Path home, String classpath, int restPort) {
    this.home = home;
    this.conf = home.resolve("conf");
    this.logs = home.resolve("log");
    this.classpath = classpath;
    this.restPort = restPort;
    // should the test JVM end without closing it (a forked JVM stopped on timeout), no Flink
    // process outlives it
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stop-flink-processes"));
  }

  /**
   * Writes {@code home/conf/config.yaml} (free ports on localhost, directories under
   * {@code home}, then {@code settings}, which may override any of it) and the log4j file.
   */
  public static StandaloneFlinkCluster configure(Path home, Path projectRoot,
      Map<String, String> settings) throws IOException {
    int rpcPort = freePort();
    int restPort = freePort();
    int blobPort = freePort();
    Map<String, String> c = new LinkedHashMap<>();
    c.put("jobmanager.rpc.address", "localhost");
    c.put("jobmanager.bind-host", "localhost");
    c.put("jobmanager.rpc.port", String.valueOf(rpcPort));
    c.put("rest.address", "localhost");
    c.put("rest.bind-address", "localhost");
    c.put("rest.port", String.valueOf(restPort));
    c.put("blob.server.port", String.valueOf(blobPort));
    c.put("taskmanager.host", "localhost");
    c.put("taskmanager.bind-host", "localhost");
    c.put("taskmanager.rpc.port", "0");
    c.put("taskmanager.data.port", "0");
    c.put("io.tmp.dirs", home.resolve("tmp").toString());
    c.put("web.tmpdir", home.resolve("web").toString());
    c.put("web.upload.dir", home.resolve("web-upload").toString());
    c.put("blob.storage.directory", home.resolve("blobs").toString());
    c.put("execution.checkpointing.dir", home.resolve("checkpoints").toUri().toString());
    c.put("execution.checkpointing.savepoint-dir", home.resolve("savepoints").toUri().toString());
    c.putAll(settings);
    for (String dir : List.of("conf", "log", "tmp", "web", "web-upload", "blobs")) {
      Files.createDirectories(home.resolve(dir));
    }
    // Flink 2 reads conf/config.yaml; flat "key: value" lines are valid YAML for it.
    Files.writeString(home.resolve("conf/config.yaml"), c.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
    try (InputStream log4j = StandaloneFlinkCluster.class.getResourceAsStream(
        "log4j-cluster.properties")) {
      Files.copy(log4j, home.resolve("conf/log4j.properties"),
          StandardCopyOption.REPLACE_EXISTING);
    }
    return new StandaloneFlinkCluster(home, flinkClasspath(projectRoot), restPort);
  }

  /**
   * This JVM's classpath without the project's own modules (anything under {@code projectRoot})
   * and without the artifacts the job jar bundles.
   */
  static String flinkClasspath(Path projectRoot) {
    String root = projectRoot.toAbsolutePath().normalize().toString();
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.isBlank())
        .filter(e -> !Path.of(e).toAbsolutePath().normalize().toString().startsWith(root))
        .filter(e -> BUNDLED_IN_JOB_JAR.stream()
            .noneMatch(a -> e.replace(File.separatorChar, '/').contains(a)))
        .collect(Collectors.joining(File.pathSeparator));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The REST endpoint (and web UI), e.g. {@code http://localhost:PORT}. */
  public String restUrl() {
    return "http://" + restAddress();
  }

  /** {@code localhost:PORT} of the REST endpoint, as {@code flink run -m} takes it. */
  public String restAddress() {
    return "localhost:" + restPort;
  }

  public String classpath() {
    return classpath;
  }

  public Path home() {
    return home;
  }

  /** The log file of a process started as {@code name}. */
  public Path log(String name) {
    return logs.resolve(name + ".log");
  }

  /** Its stdout and stderr. */
  public Path out(String name) {
    return logs.resolve(name + ".out");
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * {@code BashJavaUtils CMD --configDir conf}: [JVM options, dynamic properties] from its
   * {@code BASH_JAVA_UTILS_EXEC_RESULT:} lines, as {@code config.sh} extracts them.
   */
  List<List<String>> bashJavaUtils(String command) throws IOException, InterruptedException {
    Path out = logs.resolve("bash-java-utils-" + command + ".out");
    Process p = new ProcessBuilder(java(), "-Dlog.file=" + logs.resolve("bash-java-utils.log"),
        "-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri(), "-cp",
        classpath, BASH_JAVA_UTILS, command, "--configDir", conf.toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("BashJavaUtils " + command + " failed: "
          + Files.readString(out));
    }
    List<List<String>> results = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      int i = line.indexOf(RESULT_PREFIX);
      if (i >= 0) {
        String r = line.substring(i + RESULT_PREFIX.length()).trim();
        results.add(r.isEmpty() ? List.of() : List.of(r.split("\\s+")));
      }
    }
    if (results.isEmpty()) {
      throw new IllegalStateException("BashJavaUtils " + command + " printed no result: "
          + Files.readString(out));
    }
    while (results.size() < 2) {
      results.add(List.of());
    }
    return results;
  }

  private Process start(String name, List<String> jvm, String mainClass, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(jvm);
    cmd.addAll(JAVA_17_OPTIONS);
    cmd.add("-Dlog.file=" + log(name));
    cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.add("--configDir");
    cmd.add(conf.toString());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out(name).toFile())).start();
    synchronized (processes) {
      processes.put(name, p);
    }
    return p;
  }

  /** Starts the JobManager ({@code jobmanager.sh start}): the standalone session entrypoint. */
  public Process startJobManager() throws IOException, InterruptedException {
    List<List<String>> params = bashJavaUtils("GET_JM_RESOURCE_PARAMS");
    return start("jobmanager", params.get(0), ENTRYPOINT, params.get(1));
  }

  /**
   * Starts a TaskManager ({@code taskmanager.sh start}) whose resource id is {@code name}, so
   * that the REST API's {@code /taskmanagers} names it.
   */
  public Process startTaskManager(String name) throws IOException, InterruptedException {
    if (taskManagerParams == null) {
      taskManagerParams = bashJavaUtils("GET_TM_RESOURCE_PARAMS");
    }
    List<String> args = new ArrayList<>(taskManagerParams.get(1));
    args.addAll(List.of("-D", "taskmanager.resource-id=" + name));
    return start(name, taskManagerParams.get(0), TASK_MANAGER, args);
  }

  /**
   * {@code bin/flink ARGS}: Flink's command line client ({@code CliFrontend}) with
   * {@code FLINK_CONF_DIR} pointing at this cluster's configuration, as {@code bin/flink} starts
   * it. Returns its output; fails unless it exits 0 within {@code timeout}.
   */
  public String flink(String name, List<String> args, java.time.Duration timeout)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(JAVA_17_OPTIONS);
    cmd.add("-Dlog.file=" + log(name));
    cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(CLI_FRONTEND);
    cmd.addAll(args);
    ProcessBuilder b = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out(name).toFile()));
    b.environment().put("FLINK_CONF_DIR", conf.toString());
    Process p = b.start();
    synchronized (processes) {
      processes.put(name, p);
    }
    boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    String output = Files.readString(out(name));
    if (!ended || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("flink " + String.join(" ", args) + " "
          + (ended ? "exited with " + p.exitValue() : "did not end in " + timeout) + ":\n"
          + output);
    }
    return output;
  }

  /** SIGKILL: no shutdown hook runs, the process's connections drop. */
  public void kill(String name) throws InterruptedException {
    Process p;
    synchronized (processes) {
      p = processes.get(name);
    }
    p.destroyForcibly();
    if (!p.waitFor(1, TimeUnit.MINUTES)) {
      throw new IllegalStateException(name + " survived SIGKILL");
    }
  }

  public Process process(String name) {
    synchronized (processes) {
      return processes.get(name);
    }
  }

  /**
   * The last {@code lines} lines of every process's log and stdout file, for a failure's report
   * (RocksDB's own LOG files, which Flink moves next to the log file, are left out).
   */
  public String tails(int lines) {
    try (Stream<Path> files = Files.list(logs)) {
      StringBuilder s = new StringBuilder();
      for (Path f : files.filter(f -> f.toString().endsWith(".log")
          || f.toString().endsWith(".out")).sorted().toList()) {
        List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
        s.append("==== ").append(f.getFileName()).append(" (last ").append(lines)
            .append(" lines)\n");
        all.subList(Math.max(0, all.size() - lines), all.size())
            .forEach(l -> s.append(l).append('\n'));
      }
      return s.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills every process it started (TaskManagers first) and waits for them to end. */
  @Override
  public void close() {
    List<Process> all;
    synchronized (processes) {
      all = new ArrayList<>(processes.values());
    }
    java.util.Collections.reverse(all);
    for (Process p : all) {
      p.destroyForcibly();
    }
    for (Process p : all) {
      try {
        p.waitFor(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
