package dev.presence.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of room frames this node has handed to its watchers' sockets and not yet seen written
 * ({@code PRESENCE_ROOM_WATCH_BUDGET_BYTES} at most, give or take one frame per watcher). A socket's own write queue
 * bounds what one slow reader holds (Netty's high-water mark, 64 KiB), not what thousands hold together: in the
 * {@code rooms} load test, generators that fell behind reading left each of a node's 9,500 sockets a snapshot or two
 * past its mark, and the node ran out of a 2 GiB heap (load-tests/README.md, "Room watchers that read slowly"). Over
 * the budget, a watcher with frames still unwritten is resynced, exactly as if its own queue were full
 * ({@code RoomWatches}).
 *
 * <p>Thread-safe: frames are counted in on the room host's context and counted out on each socket's event loop.
 */
final class WatchBudget {

  private final long limitBytes;
  private final AtomicLong queued = new AtomicLong();

  /** @param limitBytes most bytes of room frames queued for writing, over every watcher of the node */
  WatchBudget(long limitBytes) {
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

  /** @return whether the frames queued now are over the budget */
  boolean exceeded() {
    return queued.get() > limitBytes;
  }

  /** @return bytes queued now, over every watcher */
  long queuedBytes() {
    return queued.get();
  }
}
