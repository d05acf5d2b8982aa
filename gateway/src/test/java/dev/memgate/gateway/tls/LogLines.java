package dev.memgate.gateway.tls;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Everything the process logs while it is open, as the log would show it (messages and their throwables). */
final class LogLines extends AbstractAppender implements AutoCloseable {
  private final List<LogEvent> events = new CopyOnWriteArrayList<>();

  private LogLines() {
    super("tls-test-capture", null, null, true, Property.EMPTY_ARRAY);
  }

  static LogLines open() {
    LogLines capture = new LogLines();
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

  /** The messages of one logger. */
  List<String> lines(String logger) {
    return events.stream().filter(e -> logger.equals(e.getLoggerName()))
      .map(e -> e.getMessage().getFormattedMessage()).toList();
  }

  /** Events that carry a throwable (a stack trace in the log), as text. */
  List<String> traces() {
    return events.stream().filter(e -> e.getThrown() != null)
      .map(e -> e.getLoggerName() + ": " + e.getMessage().getFormattedMessage() + " / " + e.getThrown()).toList();
  }

  /** The whole log as text. */
  String text() {
    return events.stream().map(e -> e.getLoggerName() + " " + e.getMessage().getFormattedMessage()
      + (e.getThrown() == null ? "" : " " + e.getThrown())).collect(Collectors.joining("\n"));
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender(getName());
    context.updateLoggers();
    stop();
  }
}
