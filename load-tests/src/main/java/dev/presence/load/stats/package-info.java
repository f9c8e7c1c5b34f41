/**
 * Pure statistics shared by every role: latency histograms (HdrHistogram, microseconds) and their
 * wire form, percentiles, and the Prometheus text the node serves. No I/O, no Vert.x; not thread-safe
 * unless a class says so.
 */
package dev.presence.load.stats;
