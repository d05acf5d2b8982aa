package dev.memgate.gateway.testing;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything the process logs while it is open, as the log would show it: for tests that a client's bad request
 * leaves one short line and never a stack trace.
 */
public final class LogCapture extends AbstractAppender implements AutoCloseable {
  private final List<LogEvent> events = new CopyOnWriteArrayList<>();
  private Level rootLevelBefore;

  private LogCapture() {
    super("test-capture", null, null, true, Property.EMPTY_ARRAY);
  }

  public static LogCapture open() {
    LogCapture capture = new LogCapture();
    capture.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
    context.updateLoggers();
    return capture;
  }

  /** As {@link #open}, with the root logger (Memgate's and Vert.x's loggers) at every level, debug included. */
  public static LogCapture everything() {
    LogCapture capture = open();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    capture.rootLevelBefore = context.getConfiguration().getRootLogger().getLevel();
    context.getConfiguration().getRootLogger().setLevel(Level.ALL);
    context.updateLoggers();
    return capture;
  }

  /** Every line logged, with its logger and the text of any throwable. */
  public String all() {
    StringBuilder text = new StringBuilder();
    for (LogEvent event : events) {
      text.append(event.getLoggerName()).append(": ").append(event.getMessage().getFormattedMessage()).append('\n');
      for (Throwable thrown = event.getThrown(); thrown != null; thrown = thrown.getCause()) {
        text.append("  ").append(thrown).append('\n');
      }
    }
    return text.toString();
  }

  @Override
  public void append(LogEvent event) {
    events.add(event.toImmutable());
  }

  /** The lines of one logger. */
  public List<String> lines(String logger) {
    return events.stream().filter(e -> logger.equals(e.getLoggerName()))
      .map(e -> e.getMessage().getFormattedMessage()).toList();
  }

  /** Events that carry a throwable (a stack trace in the log) or are errors, as text. */
  public List<String> stackTracesAndErrors() {
    return events.stream().filter(e -> e.getThrown() != null || e.getLevel().isMoreSpecificThan(Level.ERROR))
      .map(e -> e.getLoggerName() + ": " + e.getMessage().getFormattedMessage()
        + (e.getThrown() == null ? "" : " / " + e.getThrown()))
      .toList();
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    if (rootLevelBefore != null) {
      context.getConfiguration().getRootLogger().setLevel(rootLevelBefore);
    }
    context.getConfiguration().getRootLogger().removeAppender(getName());
    context.updateLoggers();
    stop();
  }
}
