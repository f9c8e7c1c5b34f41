package dev.presence.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Logback appender (wired in logback-test.xml) that keeps every ERROR line logged in this JVM, so tests
 * can assert that a fault produced no error the scenario did not expect. Thread-safe.
 */
public final class ErrorLogRecorder extends AppenderBase<ILoggingEvent> {

  private static final List<String> ERRORS = new CopyOnWriteArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      ERRORS.add(event.getLoggerName() + ": " + event.getFormattedMessage()
          + (event.getThrowableProxy() == null ? "" : " / " + event.getThrowableProxy().getClassName()
          + ": " + event.getThrowableProxy().getMessage()));
    }
  }

  /** @return ERROR lines since the last {@link #clear()} */
  public static List<String> errors() {
    return List.copyOf(ERRORS);
  }

  /** Forgets recorded lines (call before the scenario). */
  public static void clear() {
    ERRORS.clear();
  }
}
