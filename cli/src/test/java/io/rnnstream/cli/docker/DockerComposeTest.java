package io.rnnstream.cli.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rnnstream.cli.RnnstreamCli;
import io.rnnstream.jobs.JobCommand;
import io.rnnstream.jobs.captions.CaptionJob;
import io.rnnstream.jobs.sentiment.SentimentJob;
import io.rnnstream.jobs.slots.SlotFillingJob;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;
import picocli.CommandLine;

/**
 * Static checks of {@code docker/} (no Docker engine runs here): the compose file parses, every
 * image is pinned to the project's versions, the Flink configuration uses valid Flink 2.x keys
 * and values, topic names, ports and the submitted command agree with the jobs and the CLI, and
 * the scripts are executable shell. When {@code docker-compose} (or {@code docker compose}),
 * {@code promtool} or {@code shellcheck} are installed, they validate the files too.
 */
class DockerComposeTest {
  /** The repository root, seen from the cli module (surefire's working directory). */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path DOCKER = ROOT.resolve("docker");
  static final Path COMPOSE = DOCKER.resolve("compose.yaml");
  static final Path FLINK_CONF = DOCKER.resolve("flink/config.yaml");
  static final List<String> SCRIPTS = List.of("submit.sh", "publish-model.sh", "create-topics.sh",
      "flink/entrypoint.sh");
  /** The job jar's entry point. */
  static final String MAIN_CLASS = "io.rnnstream.jobs.Main";
  static final String PROMETHEUS_FACTORY =
      "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static JsonNode compose;
  static JsonNode services;
  static Map<String, String> pomProperties;
  static Map<String, String> flinkConf;

  @BeforeAll
  static void load() throws Exception {
    assertThat(COMPOSE).as("docker/compose.yaml").isRegularFile();
    compose = YAML.readTree(COMPOSE.toFile());
    services = compose.path("services");
    assertThat(services.isObject()).as("compose.yaml has a services map").isTrue();
    pomProperties = pomProperties(ROOT.resolve("pom.xml"));
    flinkConf = flinkConf();
  }

  // ---------------------------------------------------------------------------------- images

  @Test
  void shouldPinEveryImageTag() {
    Pattern pinned = Pattern.compile("^[a-z0-9][a-z0-9._/-]*:([A-Za-z0-9_][A-Za-z0-9_.-]*)"
        + "(@sha256:[0-9a-f]{64})?$");
    services.properties().forEach(e -> {
      String image = e.getValue().path("image").asText("");
      assertThat(image).as("service %s has an image (no local builds)", e.getKey()).isNotEmpty();
      Matcher m = pinned.matcher(image);
      assertThat(m.matches()).as("service %s: image %s has an explicit tag", e.getKey(), image)
          .isTrue();
      String tag = m.group(1);
      assertThat(tag).as("service %s: image %s", e.getKey(), image)
          .isNotEqualTo("latest")
          .as("service %s: image %s is pinned to a version", e.getKey(), image)
          .matches(".*\\d.*");
    });
  }

  @Test
  void shouldUseTheProjectsKafkaAndFlinkVersions() {
    String kafka = pomProperties.get("kafka.version");
    String flink = pomProperties.get("flink.version");
    String java = pomProperties.get("maven.compiler.release");
    assertThat(kafka).as("kafka.version in pom.xml").isNotBlank();
    assertThat(flink).as("flink.version in pom.xml").isNotBlank();

    assertThat(image("kafka")).isEqualTo("apache/kafka:" + kafka);
    assertThat(image("topics")).isEqualTo(image("kafka"));

    List<String> flinkServices = servicesWithImage("flink:");
    assertThat(flinkServices).contains("jobmanager", "taskmanager", "submit");
    for (String s : flinkServices) {
      assertThat(tag(image(s))).as("Flink image of %s", s)
          .startsWith(flink + "-")
          .contains("java" + java);
      assertThat(image(s)).as("every Flink service runs the same image")
          .isEqualTo(image("jobmanager"));
    }
    for (String s : servicesWithImage("eclipse-temurin:")) {
      assertThat(tag(image(s))).as("Java image of %s", s).startsWith(java);
    }
    assertThat(image("prometheus")).startsWith("prom/prometheus:v");
  }

  // ------------------------------------------------------------------------------- Kafka

  @Test
  void shouldRunKafkaInKraftModeWithAnInternalAndAHostListener() {
    JsonNode env = services.path("kafka").path("environment");
    assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).contains("broker", "controller");
    String advertised = env.path("KAFKA_ADVERTISED_LISTENERS").asText();
    assertThat(advertised).contains("://kafka:9092");
    Matcher host = Pattern.compile("://localhost:(\\d+)").matcher(advertised);
    assertThat(host.find()).as("a listener for clients on the host: %s", advertised).isTrue();
    assertThat(texts(services.path("kafka").path("ports")))
        .as("the host listener's port is published")
        .contains(host.group(1) + ":" + host.group(1));
    assertThat(env.path("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asInt())
        .as("one broker: the transaction log (EXACTLY_ONCE sinks) has one replica").isEqualTo(1);
    assertThat(env.path("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR").asInt()).isEqualTo(1);
    assertThat(healthcheck("kafka")).contains("kafka-broker-api-versions.sh");
    assertThat(volumeTargets("kafka")).contains(env.path("KAFKA_LOG_DIRS").asText());
  }

  @Test
  void shouldCreateTheJobsDefaultTopics() throws IOException {
    assertThat(String.join(" ", texts(services.path("topics").path("entrypoint"))))
        .contains("create-topics.sh");
    assertThat(dependsOn("topics", "kafka")).isEqualTo("service_healthy");

    Map<String, String> created = new TreeMap<>();
    Map<String, Integer> partitions = new HashMap<>();
    Pattern line = Pattern.compile("^create\\s+(\\S+)\\s+(\\d+)(.*)$");
    for (String l : Files.readAllLines(DOCKER.resolve("create-topics.sh"))) {
      Matcher m = line.matcher(l.trim());
      if (m.matches()) {
        created.put(m.group(1), m.group(3));
        partitions.put(m.group(1), Integer.parseInt(m.group(2)));
      }
    }
    SentimentJob.Topics t = SentimentJob.Topics.defaults();
    SlotFillingJob.Topics s = SlotFillingJob.Topics.defaults();
    CaptionJob.Topics c = CaptionJob.Topics.defaults();
    assertThat(created.keySet()).as("topics created = the three jobs' default topics, plus the"
        + " captions job's optional feature-frames input")
        .containsExactlyInAnyOrder(t.messages(), t.snapshots(), t.predictions(), t.deadLetters(),
            s.utterances(), s.slots(), c.audio(), c.captions(), CaptionJob.Topics.DEFAULT_FRAMES);
    assertThat(partitions.get(CaptionJob.Topics.DEFAULT_FRAMES))
        .as("frames partitioned like the audio they replace").isEqualTo(partitions.get(c.audio()));
    assertThat(List.of(s.snapshots(), c.snapshots())).containsOnly(t.snapshots());
    assertThat(List.of(s.deadLetters(), c.deadLetters())).containsOnly(t.deadLetters());
    assertThat(partitions.get(t.messages())).isEqualTo(3);
    assertThat(partitions.get(t.snapshots())).isEqualTo(1);
    assertThat(created.get(t.snapshots()))
        .contains("cleanup.policy=compact")
        .contains("max.message.bytes=$SIXTEEN_MIB");
    assertThat(created.get(t.deadLetters())).contains("max.message.bytes=$SIXTEEN_MIB");
    assertThat(Files.readString(DOCKER.resolve("create-topics.sh")))
        .contains("SIXTEEN_MIB=" + (16 << 20));
  }

  // ------------------------------------------------------------------------------- Flink

  @Test
  void shouldRunAJobManagerAndTwoTaskManagers() {
    assertThat(texts(services.path("jobmanager").path("command"))).containsExactly("jobmanager");
    int taskManagers = 0;
    for (String s : servicesWithImage("flink:")) {
      if (texts(services.path(s).path("command")).equals(List.of("taskmanager"))) {
        JsonNode svc = services.path(s);
        taskManagers += svc.path("deploy").path("replicas").asInt(svc.path("scale").asInt(1));
      }
    }
    assertThat(taskManagers).as("TaskManager containers").isEqualTo(2);
    assertThat(healthcheck("jobmanager")).contains("8081");
    assertThat(texts(services.path("jobmanager").path("ports"))).contains("8081:8081");
    assertThat(dependsOn("taskmanager", "jobmanager")).isEqualTo("service_healthy");
  }

  @Test
  void shouldConfigureEveryFlinkContainerFromTheSharedConfigFile() {
    for (String s : List.of("jobmanager", "taskmanager", "submit")) {
      assertThat(String.join(" ", texts(services.path(s).path("entrypoint"))))
          .as("%s merges docker/flink/config.yaml", s)
          .contains("/opt/rnnstream/flink/entrypoint.sh");
      assertThat(texts(services.path(s).path("volumes")))
          .as("%s mounts docker/flink", s)
          .contains("./flink:/opt/rnnstream/flink:ro");
    }
  }

  @Test
  void shouldWriteTheFlinkConfigAsFlatKeyValueLinesWithoutBlanksInValues() throws IOException {
    // The image's FLINK_PROPERTIES handling reads `key: value` lines and word-splits values.
    Pattern kv = Pattern.compile("^[A-Za-z0-9._-]+: [^\\s#]+$");
    for (String l : Files.readAllLines(FLINK_CONF)) {
      if (l.isBlank() || l.stripLeading().startsWith("#")) {
        continue;
      }
      assertThat(l).as("docker/flink/config.yaml line").matches(kv);
    }
  }

  @Test
  void shouldUseOnlyCurrentFlink2Keys() throws Exception {
    Map<String, ConfigOption<?>> known = new HashMap<>();
    Map<String, String> deprecated = new HashMap<>();
    for (Class<?> c : List.of(CheckpointingOptions.class, StateBackendOptions.class,
        StateRecoveryOptions.class, RestartStrategyOptions.class, TaskManagerOptions.class,
        JobManagerOptions.class, CoreOptions.class, RestOptions.class, MetricOptions.class)) {
      for (Field f : c.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
          ConfigOption<?> o = (ConfigOption<?>) f.get(null);
          known.put(o.key(), o);
          for (FallbackKey k : o.fallbackKeys()) {
            if (k.isDeprecated()) {
              deprecated.put(k.getKey(), o.key());
            }
          }
        }
      }
    }
    for (String key : flinkConf.keySet()) {
      assertThat(deprecated.get(key)).as("%s is deprecated in Flink 2.x", key).isNull();
      assertThat(known.containsKey(key) || key.startsWith("metrics.reporter."))
          .as("%s is a Flink option", key).isTrue();
    }
  }

  @Test
  void shouldUseRocksDbIncrementalExactlyOnceCheckpointsOnTheSharedVolume() {
    Configuration c = Configuration.fromMap(flinkConf);
    assertThat(c.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(c.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(c.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
        .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
    assertThat(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isPositive();
    assertThat(c.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .as("retained checkpoints let submit.sh resume after a restart")
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY)).isNotBlank();

    String dir = c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY);
    String savepoints = c.get(CheckpointingOptions.SAVEPOINT_DIRECTORY);
    assertThat(dir).startsWith("file:///");
    assertThat(savepoints).startsWith("file:///");
    String mount = "/" + Path.of(dir.substring("file://".length())).getName(0);
    assertThat(savepoints.substring("file://".length())).startsWith(mount + "/");
    String volume = null;
    for (String s : List.of("jobmanager", "taskmanager", "submit")) {
      String v = namedVolumeAt(s, mount);
      assertThat(v).as("%s mounts a named volume at %s", s, mount).isNotNull();
      volume = volume == null ? v : volume;
      assertThat(v).as("one checkpoint volume shared by every Flink container").isEqualTo(volume);
    }
    assertThat(compose.path("volumes").has(volume)).as("volume %s is declared", volume).isTrue();

    // The volume starts root-owned; Flink runs as uid 9999.
    assertThat(namedVolumeAt("init-checkpoints", mount)).isEqualTo(volume);
    assertThat(String.join(" ", texts(services.path("init-checkpoints").path("command"))))
        .contains("chown 9999:9999 " + mount);
    assertThat(dependsOn("jobmanager", "init-checkpoints"))
        .isEqualTo("service_completed_successfully");
  }

  @Test
  void shouldExposePrometheusMetricsOfEveryFlinkContainer() throws IOException {
    assertThat(flinkConf.get("metrics.reporter.prom.factory.class")).isEqualTo(PROMETHEUS_FACTORY);
    String port = flinkConf.get("metrics.reporter.prom.port");
    assertThat(port).matches("\\d+");

    assertThat(texts(services.path("prometheus").path("volumes")))
        .contains("./prometheus.yml:/etc/prometheus/prometheus.yml:ro");
    JsonNode prometheus = YAML.readTree(DOCKER.resolve("prometheus.yml").toFile());
    List<String> targets = new ArrayList<>();
    List<String> discovered = new ArrayList<>();
    for (JsonNode job : prometheus.path("scrape_configs")) {
      for (JsonNode sc : job.path("static_configs")) {
        targets.addAll(texts(sc.path("targets")));
      }
      for (JsonNode sd : job.path("dns_sd_configs")) {
        for (String name : texts(sd.path("names"))) {
          discovered.add(name + ":" + sd.path("port").asText());
        }
      }
    }
    assertThat(targets).contains("jobmanager:" + port);
    assertThat(discovered).as("every TaskManager replica, by DNS").contains("taskmanager:" + port);
  }

  // ------------------------------------------------------------------------- submission

  @Test
  void shouldSubmitTheSentimentJobWithTheMountedJobJar() throws IOException {
    List<String> command = texts(services.path("submit").path("command"));
    assertThat(command).startsWith("bash", "/opt/rnnstream/submit.sh");
    assertThat(command).containsSequence("-c", MAIN_CLASS);
    int jar = command.indexOf("/opt/rnnstream/rnnstream-jobs.jar");
    assertThat(jar).as("the jar in %s", command).isPositive();
    List<String> programArgs = command.subList(jar + 1, command.size());
    assertThat(programArgs).startsWith("sentiment");
    assertThat(programArgs).containsSequence("--bootstrap", "kafka:9092");
    assertThat(programArgs).containsSequence("--checkpoint-interval", "PT10S");

    // The program arguments are valid for the job's entry point (picocli parses without running).
    CommandLine.ParseResult run = new CommandLine(new JobCommand())
        .parseArgs(programArgs.toArray(String[]::new));
    assertThat(run.<Duration>matchedOptionValue("--checkpoint-interval", null))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(run.<String>matchedOptionValue("--bootstrap", null))
        .as("the bootstrap is Kafka's listener inside the compose network")
        .isIn(List.of(services.path("kafka").path("environment")
            .path("KAFKA_ADVERTISED_LISTENERS").asText().replaceAll("[A-Z_]+://", "").split(",")));

    assertThat(bindMount("submit", "/opt/rnnstream/rnnstream-jobs.jar"))
        .as("the job jar, read-only").isEqualTo("../jobs/target/rnnstream-jobs.jar");
    assertThat(texts(services.path("submit").path("volumes")))
        .contains("./submit.sh:/opt/rnnstream/submit.sh:ro");
    assertThat(dependsOn("submit", "jobmanager")).isEqualTo("service_healthy");
    assertThat(dependsOn("submit", "topics")).isEqualTo("service_completed_successfully");
    assertThat(services.path("submit").path("environment").path("JOB_NAME").asText())
        .as("the name the job jar gives the job").isEqualTo("rnnstream sentiment");

    String script = Files.readString(DOCKER.resolve("submit.sh"));
    assertThat(script).contains("run -d -m").contains("list -r -s").contains("/overview");
  }

  @Test
  void shouldPublishModelsWithTheCliOnDemand() throws IOException {
    JsonNode svc = services.path("publish-model");
    assertThat(texts(svc.path("profiles"))).as("runs only when asked for").isNotEmpty();
    assertThat(texts(svc.path("command"))).containsExactly("bash", "/opt/rnnstream/publish-model.sh");
    assertThat(svc.path("working_dir").asText()).isEqualTo("/opt/rnnstream");
    assertThat(bindMount("publish-model", "/opt/rnnstream/rnnstream.jar"))
        .as("the CLI jar").isEqualTo("../cli/target/rnnstream.jar");
    assertThat(bindMount("publish-model", "/opt/rnnstream/models")).isEqualTo("../models");
    assertThat(svc.path("environment").path("MODEL").asText())
        .as("relative to the working directory, where ../models is mounted")
        .startsWith("models/");
    assertThat(svc.path("environment").path("TOPIC").asText())
        .isEqualTo(SentimentJob.Topics.defaults().snapshots());
    assertThat(Files.readString(DOCKER.resolve("publish-model.sh")))
        .contains("publish --model \"$MODEL\" --bootstrap \"$BOOTSTRAP\" --topic \"$TOPIC\"")
        .contains("--version \"$VERSION\"");
  }

  @Test
  void shouldMatchThePublishCommandOfTheCli() {
    CommandLine cli = new CommandLine(new RnnstreamCli());
    Assumptions.assumeTrue(cli.getSubcommands().containsKey("publish"),
        "the CLI has no publish command yet");
    CommandLine.ParseResult parsed = cli.parseArgs("publish", "--model",
        "models/pretrained/sentiment.rnn", "--bootstrap", "kafka:9092", "--topic",
        "model-snapshots", "--version", "2");
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("publish");
  }

  // ---------------------------------------------------------------------- files, scripts

  @Test
  void shouldDeclareEveryNamedVolumeAndShipEveryMountedFile() {
    services.properties().forEach(e -> {
      for (JsonNode v : e.getValue().path("volumes")) {
        String source = v.isTextual() ? v.asText().split(":")[0] : v.path("source").asText();
        if (source.startsWith(".")) {
          if (!source.endsWith(".jar")) { // the jar is a build product
            assertThat(DOCKER.resolve(source).normalize())
                .as("%s mounts %s", e.getKey(), source).exists();
          }
        } else {
          assertThat(compose.path("volumes").has(source))
              .as("%s uses volume %s, declared at the top level", e.getKey(), source).isTrue();
        }
      }
    });
    assertThat(compose.path("volumes").has("kafka-data")).isTrue();
  }

  @Test
  @Timeout(60)
  void shouldShipExecutableScriptsThatBashParses() throws Exception {
    for (String s : SCRIPTS) {
      Path script = DOCKER.resolve(s);
      assertThat(script).as(s).isRegularFile();
      assertThat(Files.isExecutable(script)).as("%s is executable", s).isTrue();
      assertThat(Files.readAllLines(script).get(0)).as("%s shebang", s)
          .isEqualTo("#!/usr/bin/env bash");
      Result r = exec(ROOT, "bash", "-n", script.toString());
      assertThat(r.code).as("bash -n %s: %s", s, r.output).isZero();
    }
  }

  @Test
  @Timeout(120)
  void shouldPassDockerComposeConfigWhenAvailable() throws Exception {
    List<List<String>> tools = new ArrayList<>();
    if (onPath("docker-compose")) {
      tools.add(List.of("docker-compose"));
    }
    if (onPath("docker") && exec(ROOT, "docker", "compose", "version").code == 0) {
      tools.add(List.of("docker", "compose"));
    }
    Assumptions.assumeFalse(tools.isEmpty(), "neither docker-compose nor docker compose installed");
    for (List<String> tool : tools) {
      List<String> cmd = new ArrayList<>(tool);
      cmd.addAll(List.of("-f", "docker/compose.yaml", "config", "-q"));
      Result r = exec(ROOT, cmd.toArray(String[]::new));
      assertThat(r.code).as("%s: %s", String.join(" ", cmd), r.output).isZero();
    }
  }

  @Test
  @Timeout(60)
  void shouldPassPromtoolWhenAvailable() throws Exception {
    Assumptions.assumeTrue(onPath("promtool"), "promtool not installed");
    Result r = exec(ROOT, "promtool", "check", "config", "docker/prometheus.yml");
    assertThat(r.code).as("promtool check config: %s", r.output).isZero();
  }

  @Test
  @Timeout(60)
  void shouldPassShellcheckWhenAvailable() throws Exception {
    Assumptions.assumeTrue(onPath("shellcheck"), "shellcheck not installed");
    List<String> cmd = new ArrayList<>(List.of("shellcheck", "-S", "warning"));
    SCRIPTS.forEach(s -> cmd.add("docker/" + s));
    Result r = exec(ROOT, cmd.toArray(String[]::new));
    assertThat(r.code).as("shellcheck: %s", r.output).isZero();
  }

  // ----------------------------------------------------------------------------- helpers

  static Map<String, String> pomProperties(Path pom) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document d = f.newDocumentBuilder().parse(pom.toFile());
    Map<String, String> p = new LinkedHashMap<>();
    org.w3c.dom.NodeList props = d.getElementsByTagName("properties");
    assertThat(props.getLength()).as("<properties> in %s", pom).isPositive();
    org.w3c.dom.NodeList children = props.item(0).getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof org.w3c.dom.Element e) {
        p.put(e.getTagName(), e.getTextContent().trim());
      }
    }
    return p;
  }

  static Map<String, String> flinkConf() throws IOException {
    JsonNode conf = YAML.readTree(FLINK_CONF.toFile());
    Map<String, String> m = new LinkedHashMap<>();
    conf.properties().forEach(e -> {
      assertThat(e.getValue().isValueNode()).as("%s is a flat key", e.getKey()).isTrue();
      m.put(e.getKey(), e.getValue().asText());
    });
    return m;
  }

  static String image(String service) {
    String image = services.path(service).path("image").asText("");
    assertThat(image).as("image of service %s", service).isNotEmpty();
    return image;
  }

  static String tag(String image) {
    String noDigest = image.split("@")[0];
    return noDigest.substring(noDigest.lastIndexOf(':') + 1);
  }

  static List<String> servicesWithImage(String prefix) {
    List<String> names = new ArrayList<>();
    services.properties().forEach(e -> {
      if (e.getValue().path("image").asText("").startsWith(prefix)) {
        names.add(e.getKey());
      }
    });
    return names;
  }

  static List<String> texts(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (node.isValueNode()) {
      out.add(node.asText());
    }
    return out;
  }

  static String healthcheck(String service) {
    JsonNode test = services.path(service).path("healthcheck").path("test");
    assertThat(test.isMissingNode()).as("service %s has a healthcheck", service).isFalse();
    return String.join(" ", texts(test));
  }

  static String dependsOn(String service, String dependency) {
    JsonNode d = services.path(service).path("depends_on");
    if (d.isArray()) {
      return texts(d).contains(dependency) ? "service_started" : null;
    }
    JsonNode c = d.path(dependency);
    return c.isMissingNode() ? null : c.path("condition").asText("service_started");
  }

  static List<String> volumeTargets(String service) {
    List<String> targets = new ArrayList<>();
    for (JsonNode v : services.path(service).path("volumes")) {
      targets.add(v.isTextual() ? v.asText().split(":")[1] : v.path("target").asText());
    }
    return targets;
  }

  /** The named volume mounted at {@code target} in {@code service}, or null. */
  static String namedVolumeAt(String service, String target) {
    for (JsonNode v : services.path(service).path("volumes")) {
      String[] parts = v.isTextual() ? v.asText().split(":")
          : new String[] {v.path("source").asText(), v.path("target").asText()};
      if (parts.length >= 2 && parts[1].equals(target) && !parts[0].startsWith(".")
          && !parts[0].startsWith("/")) {
        return parts[0];
      }
    }
    return null;
  }

  /** The source of the read-only bind mount at {@code target} in {@code service}. */
  static String bindMount(String service, String target) {
    for (JsonNode v : services.path(service).path("volumes")) {
      if (v.isObject() && v.path("target").asText().equals(target)) {
        assertThat(v.path("type").asText()).isEqualTo("bind");
        assertThat(v.path("read_only").asBoolean()).as("%s is read-only", target).isTrue();
        return v.path("source").asText();
      }
      if (v.isTextual() && v.asText().split(":").length == 3
          && v.asText().split(":")[1].equals(target)) {
        assertThat(v.asText()).endsWith(":ro");
        return v.asText().split(":")[0];
      }
    }
    return fail("no bind mount at %s in service %s", target, service);
  }

  record Result(int code, String output) {}

  static Result exec(Path dir, String... cmd) throws Exception {
    Path log = Files.createTempFile("docker-compose-test", ".log");
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).redirectInput(new File("/dev/null")).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out: " + String.join(" ", cmd));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  static boolean onPath(String binary) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, binary))) {
        return true;
      }
    }
    return false;
  }

}
