package dev.presence.load.report;

/** How a measured figure compares with its goal. */
public enum Verdict {
  /** Meets the goal. */
  PASS,
  /** Measured, and misses the goal. */
  MISS,
  /** The goal could not be judged: a number it needs is missing. */
  NA,
  /** No goal for this figure. */
  NONE
}
