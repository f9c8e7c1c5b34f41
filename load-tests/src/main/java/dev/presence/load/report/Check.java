package dev.presence.load.report;

/**
 * A yes/no result: a measured property (no leak after churn, the server saw resets) or a sanity
 * assertion on the report itself (sessions non-zero, numbers present).
 *
 * @param name   what is checked
 * @param ok     whether it holds
 * @param detail the numbers behind it
 */
public record Check(String name, boolean ok, String detail) {
}
