package dev.simmer.slf4j;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.simmer.Async;
import dev.simmer.EngineKind;
import dev.simmer.Runner;
import dev.simmer.Task;
import dev.simmer.ThreadContextBridge;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real Logback behind SLF4J: each line is laid out by a Logback pattern as it is logged. */
class MdcBridgeTest {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private Logger log;
    private Recorder recorder;

    @BeforeEach
    void setUp() {
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        recorder = new Recorder("%X{requestId:-none} | %msg");
        recorder.setContext(logback);
        recorder.start();
        log = logback.getLogger("MdcBridgeTest");
        log.setLevel(Level.INFO);
        log.setAdditive(false); // no console output
        log.addAppender(recorder);
        MDC.clear();
        MdcBridge.register();
    }

    @AfterEach
    void tearDown() {
        MdcBridge.unregister();
        log.detachAppender(recorder);
        MDC.clear();
    }

    /** "r-1/child | r-1/child done": the MDC's request id, then the message, which names the id it expects. */
    private void handle(String id, int millis) throws Exception {
        MDC.put("requestId", id);
        log.info("{} start", id);
        for (int round = 1; round <= 3; round++) {
            Async.sleep(Duration.ofMillis(millis)); // the other requests run and put their own ids
            log.info("{} round {}", id, round);
        }
        Task<Void> child = Async.createTask(() -> {
            log.info("{} child starts", id); // inherited
            MDC.put("requestId", id + "/child");
            Async.sleep(Duration.ofMillis(millis));
            log.info("{}/child done", id);
        });
        Async.sleep(Duration.ofMillis(1));
        log.info("{} while the child runs", id); // the child's put is its own
        child.await();
        String viaThread = Async.toThread(() -> {
            log.info("{} on a worker thread", id);
            return MDC.get("requestId");
        });
        log.info("{} done, the worker saw {}", id, viaThread);
    }

    @Test
    void everyLineOfConcurrentRequestsCarriesItsOwnRequestId() throws Exception {
        Runner.create().virtualTime(true).run(() -> {
            Async.gather(() -> {
                handle("r-1", 10);
                return null;
            }, () -> {
                handle("r-2", 7);
                return null;
            }, () -> {
                handle("r-3", 3);
                return null;
            });
            log.info("none after the requests");
        });

        assertThat(lines).hasSize(3 * 9 + 1);
        assertThat(lines).allSatisfy(line -> {
            String[] parts = line.split(" \\| ", 2);
            assertThat(parts[1]).as(line).startsWith(parts[0] + " ");
        });
        assertThat(lines).contains("r-2 | r-2 done, the worker saw r-2", "r-3/child | r-3/child done");
        // the rounds interleave: the requests really ran together on one loop
        assertThat(lines.indexOf("r-3 | r-3 round 3")).isLessThan(lines.indexOf("r-1 | r-1 round 1"));
    }

    @Test
    void theThreadRunningTheLoopGetsItsOwnMdcBack() throws Exception {
        MDC.put("requestId", "outside");
        Runner.create().virtualTime(true).run(() -> {
            log.info("none in main");
            MDC.put("requestId", "main");
            Async.sleep(Duration.ofMillis(1));
            log.info("main after a sleep");
        });
        log.info("outside after Async.run");
        assertThat(lines).containsExactly("none | none in main", "main | main after a sleep",
                "outside | outside after Async.run");
    }

    @Test
    void registeringIsOnceForTheJvm() {
        assertThat(MdcBridge.register()).isFalse();
        assertThat(ThreadContextBridge.registered()).containsOnlyOnce(MdcBridge.bridge());
    }

    @Test
    void withoutTheBridgeOneTasksRequestIdLeaksIntoAnothersLinesOnTheFastPath() throws Exception {
        assumeTrue(Async.engine() == EngineKind.CONTINUATION, "the tasks share the loop thread on the fast path only");
        MdcBridge.unregister();
        Runner.create().virtualTime(true).run(() -> {
            Async.gather(() -> {
                MDC.put("requestId", "r-1");
                Async.sleep(Duration.ofMillis(10));
                log.info("r-1 done");
                return null;
            }, () -> {
                MDC.put("requestId", "r-2");
                Async.sleep(Duration.ofMillis(20));
                log.info("r-2 done");
                return null;
            });
        });
        assertThat(lines).containsExactly("r-2 | r-1 done", "r-2 | r-2 done");
    }

    /** Lays each event out with a Logback pattern on the thread that logs it, as a file appender would. */
    private final class Recorder extends AppenderBase<ILoggingEvent> {
        private final PatternLayout layout = new PatternLayout();

        Recorder(String pattern) {
            layout.setPattern(pattern);
        }

        @Override
        public void start() {
            layout.setContext(getContext());
            layout.start();
            super.start();
        }

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(layout.doLayout(event));
        }
    }
}
