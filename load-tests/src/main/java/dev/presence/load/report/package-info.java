/**
 * The run's report: a plain model (figures as ours / bare with goals, checks, tables, time-series
 * charts, preformatted texts), its JSON form for machines and its HTML page for people, with the charts as
 * inline SVG drawn here (no script, no network, opens from disk). Pure: no I/O except
 * {@link dev.presence.load.report.ReportWriter}; not thread-safe (the scenario thread builds it).
 */
package dev.presence.load.report;
