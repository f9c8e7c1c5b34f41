package dev.presence.load.report;

import java.util.List;

/**
 * One line of a chart.
 *
 * @param name   legend text
 * @param points {x, y} pairs, x ascending
 */
public record Series(String name, List<double[]> points) {
}
