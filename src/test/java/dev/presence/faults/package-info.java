/**
 * The multi-process fault-injection suite: three node processes of the packaged jar, clients in the
 * harness and in processes of their own, eight fault scenarios (client kill -9, client SIGSTOP, mass
 * RST, churn, node kill -9, node SIGSTOP/SIGCONT, node SIGTERM, network partition with iptables on
 * loopback aliases, a healed split; then client kill -9, SIGSTOP and mass RST again on two nodes speaking TLS, see
 * {@code NodeListener}), then on five nodes a split 2 | 3 of a cluster scaled from 3 to 5 and the loss of a
 * "machine" running two of them (partition groups), a timestamped history of what every client was told, checkers over it (uniqueness,
 * false eviction, ghost window, crash), the same checks for rooms (issue #13: each scenario's sessions join shared
 * rooms that watcher sessions on every node follow, {@code RoomWatch}; room ghost windows, no false room eviction,
 * views equal to the store within 2 s of each fault's end), and a report under {@code target/fault-report/}.
 *
 * <p>Threading: the suite drives scenarios from the test thread; clients record events from Vert.x
 * event loops and process readers into thread-safe histories; checkers are pure.
 */
package dev.presence.faults;
