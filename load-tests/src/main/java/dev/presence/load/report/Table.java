package dev.presence.load.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A small table of text cells (e.g. one row per offered rate).
 *
 * @param title   heading
 * @param headers column names
 * @param rows    cells, each row as long as {@code headers}
 */
public record Table(String title, List<String> headers, List<List<String>> rows) {

  /** @return an empty table to add rows to */
  public static Table of(String title, String... headers) {
    return new Table(title, List.of(headers), new ArrayList<>());
  }

  /** Adds a row. */
  public void add(String... cells) {
    rows.add(List.of(cells));
  }
}
