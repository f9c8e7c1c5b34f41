package dev.presence.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of presence frames (room watches and presence subscriptions) this node has handed to its clients' sockets
 * and not yet seen written, against {@code PRESENCE_WATCH_BUDGET_BYTES}: at most twice it and one frame
 * ({@link #admits}). A socket's own write queue bounds what one slow reader holds (Netty's high-water mark, 64 KiB),
 * not what thousands hold together: in the {@code rooms} load test, generators that fell behind reading left each of a
 * node's 9,500 sockets a snapshot or two past its mark, and the node ran out of a 2 GiB heap (load-tests/README.md,
 * "Room watchers that read slowly"). A frame the budget does not admit resyncs its watcher or subscriber, exactly as if
 * its own queue were full ({@code RoomWatches}, {@code SubscriptionHub}). One per node, shared by both.
 *
 * <p>Thread-safe: room frames are counted in on the room host's context, subscription frames on their socket's event
 * loop, and all are counted out on their socket's event loop.
 */
public final class WatchBudget {

  private final long limitBytes;
  private final AtomicLong queued = new AtomicLong();

  /** @param limitBytes most bytes of presence frames queued for writing, over every client of the node */
  public WatchBudget(long limitBytes) {
    this.limitBytes = limitBytes;
  }

  /** @param bytes a frame's size, handed to a socket (or to its context, to be written there) */
  void queued(long bytes) {
    queued.addAndGet(bytes);
  }

  /** @param bytes a frame's size, written out (or failed: a closed socket) */
  void written(long bytes) {
    queued.addAndGet(-bytes);
  }

  /**
   * Whether a frame may be queued for a watcher or subscriber. Within the budget, any. Over it, only to one with
   * nothing unwritten (a reader keeps up while laggards hold the budget), and only up to twice the budget: past that
   * hard cap nothing more, so a burst of big frames to new watchers (snapshots) cannot take the node past it by more
   * than one frame.
   *
   * @param watcherQueuedBytes bytes still unwritten to that watcher or subscriber
   * @param frameBytes         the frame's size
   * @return whether to queue it; else the watcher is resynced
   */
  boolean admits(long watcherQueuedBytes, long frameBytes) {
    long now = queued.get();
    if (now <= limitBytes) {
      return true;
    }
    return watcherQueuedBytes == 0 && now + frameBytes <= 2 * limitBytes;
  }

  /** @return bytes queued now, over every watcher and subscriber; any thread */
  public long queuedBytes() {
    return queued.get();
  }
}
