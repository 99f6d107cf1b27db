package io.rnnstream.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Loads the committed sentiment split ({@code data/sentiment/{train,dev,test}.jsonl}, made by
 * {@code data/sentiment/make_split.py}) and the vendored source files ({@code amazon.json},
 * {@code imdb.json}).
 *
 * <p>The files are read from the repository's {@code data/} directory, not from the classpath, so
 * the data lives in one place. {@link #defaultDirectory()} finds it: the system property
 * {@value #DATA_DIR_PROPERTY} or the environment variable {@value #DATA_DIR_ENV} (both name the
 * {@code data/} directory), else the first {@code data/sentiment/} found walking up from the working
 * directory (so trainers run from the repository root and tests run from {@code models/} both work).
 * A missing file fails with a message that says where it looked and how to fix it.
 */
public final class SentimentData {
  /** System property naming the repository's {@code data/} directory. */
  public static final String DATA_DIR_PROPERTY = "rnnstream.data.dir";
  /** Environment variable naming the repository's {@code data/} directory. */
  public static final String DATA_DIR_ENV = "RNNSTREAM_DATA_DIR";
  /** The two vendored sources, in the order the split script reads them. */
  public static final List<String> SOURCES = List.of("amazon", "imdb");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<Split, List<SentimentExample>> splits;

  private SentimentData(Map<Split, List<SentimentExample>> splits) {
    this.splits = splits;
  }

  /** Loads the three splits from {@link #defaultDirectory()}. */
  public static SentimentData load() {
    return load(defaultDirectory());
  }

  /** Loads the three splits from {@code dir} (the {@code data/sentiment} directory). */
  public static SentimentData load(Path dir) {
    Map<Split, List<SentimentExample>> m = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      m.put(s, readJsonl(dir.resolve(s.fileName() + ".jsonl")));
    }
    return new SentimentData(m);
  }

  /** The examples of one split, in file order (unmodifiable). */
  public List<SentimentExample> get(Split split) {
    return splits.get(split);
  }

  public List<SentimentExample> train() {
    return get(Split.TRAIN);
  }

  public List<SentimentExample> dev() {
    return get(Split.DEV);
  }

  public List<SentimentExample> test() {
    return get(Split.TEST);
  }

  /**
   * Every labelled sentence of a vendored source file ({@code amazon} or {@code imdb}), in file order,
   * without the trailing {@code {"text": "", "class": null}} entry the package appends to each file
   * (1000 sentences each, duplicates included).
   */
  public static List<SentimentExample> loadSource(String source) {
    return loadSource(defaultDirectory(), source);
  }

  public static List<SentimentExample> loadSource(Path dir, String source) {
    if (!SOURCES.contains(source)) {
      throw new IllegalArgumentException("source must be one of " + SOURCES + ", got '" + source + "'");
    }
    Path file = dir.resolve(source + ".json");
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(requireFile(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<SentimentExample> out = new ArrayList<>(root.size());
    for (JsonNode n : root) {
      JsonNode cls = n.get("class");
      if (cls == null || cls.isNull()) {
        continue; // the package's empty sentinel entry
      }
      out.add(new SentimentExample(n.get("text").asText(), cls.asInt(), source));
    }
    return Collections.unmodifiableList(out);
  }

  /** The {@code data/sentiment} directory; see the class comment for how it is found. */
  public static Path defaultDirectory() {
    return dataRoot().resolve("sentiment");
  }

  /**
   * The repository's {@code data/} directory: {@value #DATA_DIR_PROPERTY}, else
   * {@value #DATA_DIR_ENV}, else the nearest {@code data/} with a {@code sentiment/} subdirectory
   * walking up from the working directory.
   */
  public static Path dataRoot() {
    String configured = System.getProperty(DATA_DIR_PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(DATA_DIR_ENV);
    }
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("data").resolve("sentiment"))) {
        return p.resolve("data");
      }
    }
    throw new IllegalStateException(
        "cannot find the repository's data/ directory (looked for data/sentiment/ in "
            + start
            + " and its parents): run from the repository root, or set -D"
            + DATA_DIR_PROPERTY
            + "=<repo>/data or "
            + DATA_DIR_ENV
            + "=<repo>/data");
  }

  private static Path requireFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "missing "
              + file.toAbsolutePath()
              + ": the sentiment files are committed under data/sentiment/; regenerate the source files"
              + " with data/sentiment/fetch.sh and the split with /usr/bin/python3"
              + " data/sentiment/make_split.py (see data/README.md)");
    }
    return file;
  }

  private static List<SentimentExample> readJsonl(Path file) {
    List<SentimentExample> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(requireFile(file), StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = JSON.readTree(line);
        JsonNode text = n.get("text");
        JsonNode label = n.get("label");
        JsonNode source = n.get("source");
        if (text == null || label == null || source == null) {
          throw new IllegalStateException(
              file + ":" + lineNo + ": expected {\"text\", \"label\", \"source\"}, got " + line);
        }
        out.add(new SentimentExample(text.asText(), label.asInt(), source.asText()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return Collections.unmodifiableList(out);
  }
}
