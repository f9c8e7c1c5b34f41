package dev.presence.load.report;

import java.util.List;

/**
 * A line chart over time.
 *
 * @param title  heading
 * @param xLabel x axis (usually "s since start")
 * @param yLabel y axis with unit
 * @param series the lines
 */
public record Chart(String title, String xLabel, String yLabel, List<Series> series) {
}
