package dev.memgate.gateway.mcp;

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
final class LogCapture extends AbstractAppender implements AutoCloseable {
  private final List<LogEvent> events = new CopyOnWriteArrayList<>();

  private LogCapture() {
    super("test-capture", null, null, true, Property.EMPTY_ARRAY);
  }

  static LogCapture open() {
    LogCapture capture = new LogCapture();
    capture.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
    context.updateLoggers();
    return capture;
  }

  @Override
  public void append(LogEvent event) {
    events.add(event.toImmutable());
  }

  /** The lines of one logger. */
  List<String> lines(String logger) {
    return events.stream().filter(e -> logger.equals(e.getLoggerName()))
      .map(e -> e.getMessage().getFormattedMessage()).toList();
  }

  /** Every line, with the text of any throwable it carries. */
  List<String> all() {
    return events.stream().map(e -> e.getLoggerName() + ": " + e.getMessage().getFormattedMessage()
      + (e.getThrown() == null ? "" : " / " + e.getThrown())).toList();
  }

  /** Events that carry a throwable (a stack trace in the log) or are errors, as text. */
  List<String> stackTracesAndErrors() {
    return events.stream().filter(e -> e.getThrown() != null || e.getLevel().isMoreSpecificThan(Level.ERROR))
      .map(e -> e.getLoggerName() + ": " + e.getMessage().getFormattedMessage()
        + (e.getThrown() == null ? "" : " / " + e.getThrown()))
      .toList();
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender(getName());
    context.updateLoggers();
    stop();
  }
}
