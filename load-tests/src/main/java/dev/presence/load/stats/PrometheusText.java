package dev.presence.load.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader for the Prometheus text exposition format (version 0.0.4) as the node's {@code /metrics}
 * serves it: {@code name{label="value",...} number}. Comments, timestamps and exemplars are skipped.
 */
public final class PrometheusText {

  /**
   * One sample line.
   *
   * @param name   metric name, e.g. {@code presence_sessions}
   * @param labels label values by name
   * @param value  the number (NaN if unparsable)
   */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private PrometheusText() {
  }

  /** @return every sample of the scrape, in order */
  public static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        Sample sample = parseLine(line.strip());
        if (sample != null) {
          samples.add(sample);
        }
      }
    }
    return samples;
  }

  /**
   * @param samples a scrape
   * @param name    metric name
   * @param labels  labels the sample must have (others are free)
   * @return the sum of matching samples, or NaN if none matches (absent metric: the report says n/a)
   */
  public static double sum(List<Sample> samples, String name, Map<String, String> labels) {
    double sum = 0;
    boolean found = false;
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
        sum += s.value();
        found = true;
      }
    }
    return found ? sum : Double.NaN;
  }

  private static Sample parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    if (space < 0) {
      return null;
    }
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    String rest;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int close = parseLabels(line, brace + 1, labels);
      if (close < 0) {
        return null;
      }
      rest = line.substring(close + 1).strip();
    } else {
      name = line.substring(0, space);
      rest = line.substring(space + 1).strip();
    }
    String number = rest.split("\\s+")[0];
    return new Sample(name, labels, parseNumber(number));
  }

  /** Parses {@code a="x",b="y"} from {@code from}; @return the index of the closing brace, -1 if malformed. */
  private static int parseLabels(String line, int from, Map<String, String> labels) {
    int i = from;
    while (i < line.length()) {
      if (line.charAt(i) == '}') {
        return i;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        return -1;
      }
      String key = line.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < line.length() && line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < line.length()) {
          char next = line.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
      }
      labels.put(key, value.toString());
      i = j + 1;
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
      }
    }
    return -1;
  }

  private static double parseNumber(String number) {
    return switch (number) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        try {
          yield Double.parseDouble(number);
        } catch (NumberFormatException e) {
          yield Double.NaN;
        }
      }
    };
  }
}
