package org.decency.cli;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.net.SyslogAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.Appender;
import java.nio.file.Path;
import java.util.Locale;
import org.decency.config.ConfigNode;
import org.slf4j.LoggerFactory;

/**
 * {@code logging:} with the seeds' keys: {@code log_level} (0 error, 1 info, 2 verbose,
 * 3 or more debug, or the names error/warn/info/debug), {@code console} (default on),
 * {@code directory} (writes {@code <dir>/<server>.log}), {@code file} (an exact file),
 * {@code syslog} (UDP to the local syslog daemon, facility local0) and
 * {@code decisions} (the one-line-per-decision log, default on).
 */
record LoggingSettings(Level level, boolean console, Path directory, Path file, boolean syslog, boolean decisions) {

    static LoggingSettings defaults() {
        return new LoggingSettings(Level.INFO, true, null, null, false, true);
    }

    static LoggingSettings read(ConfigNode root) {
        ConfigNode n = root.child("logging").orElse(null);
        if (n == null) return defaults();
        Level level = n.child("log_level", "level").map(LoggingSettings::level).orElse(Level.INFO);
        LoggingSettings s = new LoggingSettings(level, n.bool("console", true),
                n.child("directory").map(d -> n.dir().resolve(d.text())).orElse(null),
                n.child("file").map(f -> n.dir().resolve(f.text())).orElse(null),
                n.bool("syslog", false), n.bool("decisions", true));
        n.finish();
        return s;
    }

    private static Level level(ConfigNode n) {
        String t = n.text().strip().toLowerCase(Locale.ROOT);
        if (t.matches("\\d{1,3}")) {
            int v = Integer.parseInt(t);
            // The seeds: 0 error, 1 info, 2 verbose, 3-6 debug levels; their example config says 20.
            return v == 0 ? Level.ERROR : v == 1 ? Level.INFO : v == 2 ? Level.DEBUG : Level.TRACE;
        }
        return switch (t) {
            case "error" -> Level.ERROR;
            case "warn", "warning" -> Level.WARN;
            case "info" -> Level.INFO;
            case "verbose" -> Level.DEBUG;
            case "debug", "debug0", "debug1", "debug2", "debug3", "trace" -> Level.TRACE;
            default -> throw n.error("expected a log level: a number (0 error, 1 info, 2 verbose, 3 or more debug)"
                    + " or error, warn, info, verbose, debug");
        };
    }

    /** Replaces the bootstrap logging with what the config asks for. */
    void apply(String server) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(level);
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        ctx.getLogger("decency.decision").setLevel(decisions ? Level.INFO : Level.OFF);
        String pattern = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0}: %msg%n";
        if (console) {
            ConsoleAppender<ILoggingEvent> a = new ConsoleAppender<>();
            start(ctx, root, a, pattern);
        }
        Path target = file != null ? file : directory != null ? directory.resolve(server + ".log") : null;
        if (target != null) {
            FileAppender<ILoggingEvent> a = new FileAppender<>();
            a.setFile(target.toString());
            a.setAppend(true);
            a.setImmediateFlush(false);
            a.setEncoder(encoder(ctx, pattern));
            a.setContext(ctx);
            a.start();
            root.addAppender(a);
            flushEverySecond(a);
        }
        if (syslog) {
            SyslogAppender a = new SyslogAppender();
            a.setContext(ctx);
            a.setSyslogHost("127.0.0.1");
            a.setFacility("LOCAL0");
            a.setSuffixPattern("decency[" + server + "]: %logger{0}: %msg");
            a.start();
            root.addAppender(a);
        }
    }

    /**
     * Starts {@code a} behind an asynchronous queue, so writing a decision line never
     * stalls the event loop on a slow terminal. Nothing is discarded: when the queue is
     * full the caller waits.
     */
    private static void start(LoggerContext ctx, ch.qos.logback.classic.Logger root, Appender<ILoggingEvent> a, String pattern) {
        if (a instanceof ch.qos.logback.core.OutputStreamAppender<ILoggingEvent> o) o.setEncoder(encoder(ctx, pattern));
        a.setContext(ctx);
        a.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(ctx);
        async.setName("async-" + a.getClass().getSimpleName());
        async.setQueueSize(8192);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(false);
        async.addAppender(a);
        async.start();
        root.addAppender(async);
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx, String pattern) {
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(pattern);
        enc.start();
        return enc;
    }

    /**
     * A log file is written through a buffer (a line costs a memory copy, not a system
     * call or a thread hand-off, which matters at tens of thousands of decisions a
     * second) and flushed every second, so {@code tail -f} stays current.
     */
    private static void flushEverySecond(FileAppender<ILoggingEvent> a) {
        Thread t = Thread.ofPlatform().daemon().name("log-flusher").unstarted(() -> {
            while (a.isStarted()) {
                try {
                    Thread.sleep(1000);
                    var out = a.getOutputStream();
                    if (out != null) out.flush();
                } catch (InterruptedException e) {
                    return;
                } catch (java.io.IOException | RuntimeException e) {
                    // the appender reports its own write errors; the next second tries again
                }
            }
        });
        t.start();
    }
}
