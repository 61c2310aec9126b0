package dev.simmer.examples;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.simmer.Async;
import dev.simmer.Task;
import dev.simmer.slf4j.MdcBridge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A service that logs with SLF4J and Logback, a request id in the MDC of each request's task,
 * while many requests are served at once on one loop thread. {@link MdcBridge} makes the MDC
 * per task: every line carries the id of the request it belongs to, also the lines of the
 * lookups each request runs in tasks of its own, and {@code Async.toThread} work sees it.
 *
 * <pre>{@code
 * MdcBridge.register();                          // at start-up, before the loop starts
 * Async.run(() -> ...);                          // then, in each request's task:
 * MDC.put("requestId", "req-" + n);
 * log.info("GET /orders/{}", n);                 // [req-2] GET /orders/2
 * }</pre>
 *
 * <p>The Logback pattern is {@code [%X{requestId:--}] %msg}; a real service puts it in its
 * {@code logback.xml}. Without the bridge, on the fast path every task shares the loop
 * thread's MDC, and lines show whichever id was put last.
 */
public final class RequestLogging extends Example {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLogging.class);

    /** The example, logging to {@code out}. */
    public RequestLogging(PrintStream out) {
        super(out);
        MdcBridge.register(); // start-up: the loop that runs this example starts after it
        logTo(out);
    }

    private void handle(int n) throws Exception {
        MDC.put("requestId", "req-" + n);
        LOG.info("GET /orders/{}", n);
        // two lookups at once, each a task of its own: they start with this task's MDC
        Async.gather(() -> lookUp("order", 10 + 10 * n), () -> lookUp("customer", 50 - 10 * n));
        String seenByWorker = Async.toThread(() -> MDC.get("requestId")); // blocking work, off the loop
        LOG.info("rendered on a worker thread that saw {}", seenByWorker);
        LOG.info("200 OK");
    }

    private void lookUp(String what, int millis) {
        Async.sleep(Duration.ofMillis(millis)); // the other requests run meanwhile, with their own MDC
        LOG.info("{} found in {} ms", what, millis);
    }

    @Override
    public void run() throws Exception {
        LOG.info("listening");
        List<Task<Void>> requests = new ArrayList<>();
        for (int n = 1; n <= 4; n++) {
            int request = n;
            requests.add(Async.createTask(() -> handle(request)));
            Async.sleep(Duration.ofMillis(5)); // requests arrive 5 ms apart
        }
        Async.gather(requests);
        LOG.info("served {} requests", requests.size());
    }

    /** What a logback.xml would say: this class's lines, laid out as {@code [%X{requestId:--}] %msg}, to {@code out}. */
    private static void logTo(PrintStream out) {
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger logger = logback.getLogger(RequestLogging.class);
        logger.detachAndStopAllAppenders();
        PatternLayout layout = new PatternLayout();
        layout.setContext(logback);
        layout.setPattern("[%X{requestId:--}] %msg");
        layout.start();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                out.println(layout.doLayout(event));
            }
        };
        appender.setContext(logback);
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
    }
}
