package dev.simmer.opentelemetry;

import dev.simmer.Async;
import dev.simmer.EngineKind;
import dev.simmer.Runner;
import dev.simmer.Task;
import dev.simmer.ThreadContextBridge;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real OpenTelemetry SDK, its finished spans read from the in-memory exporter. */
class OpenTelemetryBridgeTest {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private SdkTracerProvider provider;
    private Tracer tracer;

    @BeforeEach
    void setUp() {
        provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        tracer = provider.get("simmer-test");
        OpenTelemetryBridge.register();
    }

    @AfterEach
    void tearDown() {
        OpenTelemetryBridge.unregister();
        provider.close();
    }

    /** A request's span, current across suspensions; spans in the same task, a child task and toThread work. */
    private void handle(String id, int millis) throws Exception {
        Span request = tracer.spanBuilder("request " + id).startSpan();
        try (Scope scope = request.makeCurrent()) {
            Async.sleep(Duration.ofMillis(millis)); // the other requests run and make their spans current
            tracer.spanBuilder("query " + id).startSpan().end();
            Task<Void> child = Async.createTask(() -> {
                Async.sleep(Duration.ofMillis(millis));
                tracer.spanBuilder("child " + id).startSpan().end();
            });
            Async.sleep(Duration.ofMillis(1));
            child.await();
            Async.toThread(() -> {
                tracer.spanBuilder("worker " + id).startSpan().end();
                return null;
            });
        } finally {
            request.end();
        }
        tracer.spanBuilder("after " + id).startSpan().end(); // the scope is closed: no parent
    }

    private Map<String, SpanData> spansByName() {
        return exporter.getFinishedSpanItems().stream().collect(Collectors.toMap(SpanData::getName, Function.identity()));
    }

    @Test
    void spansOfConcurrentTasksHaveTheirOwnTasksSpanAsParent() throws Exception {
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
            tracer.spanBuilder("main").startSpan().end();
        });

        Map<String, SpanData> spans = spansByName();
        assertThat(spans.keySet()).hasSize(3 * 5 + 1);
        for (String id : List.of("r-1", "r-2", "r-3")) {
            SpanData request = spans.get("request " + id);
            assertThat(request.getParentSpanId()).isEqualTo(SpanId.getInvalid());
            for (String inside : List.of("query ", "child ", "worker ")) {
                SpanData span = spans.get(inside + id);
                assertThat(span.getParentSpanId()).as(span.getName()).isEqualTo(request.getSpanId());
                assertThat(span.getTraceId()).as(span.getName()).isEqualTo(request.getTraceId());
            }
            assertThat(spans.get("after " + id).getParentSpanId()).isEqualTo(SpanId.getInvalid());
        }
        assertThat(spans.get("main").getParentSpanId()).isEqualTo(SpanId.getInvalid());
    }

    @Test
    void theThreadRunningTheLoopGetsItsOwnContextBack() throws Exception {
        Span outer = tracer.spanBuilder("outer").startSpan();
        try (Scope scope = outer.makeCurrent()) {
            Runner.create().virtualTime(true).run(() -> {
                assertThat(Context.current()).isSameAs(Context.root()); // the main task starts in the root context
                Span main = tracer.spanBuilder("main").startSpan();
                main.makeCurrent(); // never closed: it stays in the main task, not on the thread
                Async.sleep(Duration.ofMillis(1));
                assertThat(Span.current()).isSameAs(main);
                main.end();
            });
            assertThat(Span.current()).isSameAs(outer);
        } finally {
            outer.end();
        }
        assertThat(Context.current()).isSameAs(Context.root());
    }

    @Test
    void registeringIsOnceForTheJvm() {
        assertThat(OpenTelemetryBridge.register()).isFalse();
        assertThat(ThreadContextBridge.registered()).containsOnlyOnce(OpenTelemetryBridge.bridge());
    }

    @Test
    void withoutTheBridgeASpanOfOneTaskBecomesTheParentInAnotherOnTheFastPath() throws Exception {
        assumeTrue(Async.engine() == EngineKind.CONTINUATION, "the tasks share the loop thread on the fast path only");
        OpenTelemetryBridge.unregister();
        Runner.create().virtualTime(true).run(() -> {
            Async.gather(() -> {
                Span a = tracer.spanBuilder("a").startSpan();
                Scope scope = a.makeCurrent();
                Async.sleep(Duration.ofMillis(10));
                scope.close();
                a.end();
                return null;
            }, () -> {
                Async.sleep(Duration.ofMillis(5));
                tracer.spanBuilder("b").startSpan().end();
                return null;
            });
        });
        Map<String, SpanData> spans = spansByName();
        assertThat(spans.get("b").getParentSpanId()).isEqualTo(spans.get("a").getSpanId());
    }
}
