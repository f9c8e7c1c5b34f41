package dev.presence.testing;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A manual clock for tests: time moves only when the test calls {@link #set} or {@link #advance}, so a test
 * crosses a timeout by stepping past it instead of sleeping. Millisecond resolution. Thread-safe: the time is
 * one {@link AtomicLong}, so code under test may read it from any thread while the test moves it.
 */
public final class MutableClock implements InstantSource {

  private final AtomicLong millis;

  /** @param startMillis the initial time, epoch ms */
  public MutableClock(long startMillis) {
    this.millis = new AtomicLong(startMillis);
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  /** @param epochMillis the new time, epoch ms (may go back, to model a clock step) */
  public void set(long epochMillis) {
    millis.set(epochMillis);
  }

  /**
   * @param deltaMillis how far to move the time (ms)
   * @return the new time, epoch ms
   */
  public long advance(long deltaMillis) {
    return millis.addAndGet(deltaMillis);
  }
}
