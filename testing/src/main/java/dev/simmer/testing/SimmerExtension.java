package dev.simmer.testing;

import dev.simmer.EventLoop;
import dev.simmer.TestClock;
import dev.simmer.Timeline;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * The JUnit 5 extension behind {@link SimmerTest}: runs each test method it intercepts as
 * the main task of a new event loop on a {@link TestClock}, and resolves parameters of type
 * {@link EventLoop}, {@link TestClock} and {@link Timeline} (a {@code Timeline} parameter
 * turns recording on; a failing test prints its Gantt chart). Register it on a class to run all its tests this
 * way, with {@link SimmerTest}'s default settings (or a method's own {@code @SimmerTest}):
 *
 * <pre>{@code
 * @ExtendWith(SimmerExtension.class)
 * class QueueTest {
 *     @ParameterizedTest
 *     @ValueSource(ints = {1, 10, 100})
 *     void deliversEverything(int items, EventLoop loop) throws Exception { ... }
 * }
 * }</pre>
 *
 * <p>Only the test method itself runs inside the loop; {@code @BeforeEach} and
 * {@code @AfterEach} methods run outside it, on JUnit's thread.
 *
 * <p>Thread-safe: JUnit may run tests in parallel; each gets its own loop.
 */
public final class SimmerExtension implements InvocationInterceptor, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SimmerExtension.class);

    /** Made by JUnit. */
    public SimmerExtension() {
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext extensionContext) throws Throwable {
        runInLoop(invocation, invocationContext, extensionContext);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                            ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext extensionContext) throws Throwable {
        runInLoop(invocation, invocationContext, extensionContext);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == EventLoop.class || type == TestClock.class || type == Timeline.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        if (type == TestClock.class) {
            return clock(extensionContext);
        }
        if (type == Timeline.class) {
            return timeline(extensionContext);
        }
        return null; // the loop does not exist yet: the interceptor puts it in when the test runs
    }

    private static TestClock clock(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(TestClock.class, k -> TestClock.create(), TestClock.class);
    }

    private static Timeline timeline(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(Timeline.class, k -> Timeline.create(), Timeline.class);
    }

    private static void runInLoop(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                  ExtensionContext context) throws Throwable {
        Method method = call.getExecutable();
        Optional<SimmerTest> annotation = AnnotationSupport.findAnnotation(method, SimmerTest.class);
        TestRun.Settings settings = TestRun.Settings.of(annotation.orElse(null));
        Object target = call.getTarget().orElse(null);
        List<Object> resolved = call.getArguments();
        Class<?>[] types = method.getParameterTypes();
        invocation.skip(); // we call the method ourselves, inside the loop, with the loop as an argument
        settings.shuffleSeed().ifPresent(seed -> context.publishReportEntry("simmer.shuffle.seed", Long.toString(seed)));
        String name = method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
        Timeline timeline = java.util.Arrays.asList(types).contains(Timeline.class) ? timeline(context) : null;
        TestRun.run(name, settings, clock(context), timeline, loop -> {
            Object[] args = resolved.toArray();
            for (int i = 0; i < args.length; i++) {
                if (types[i] == EventLoop.class) {
                    args[i] = loop;
                }
            }
            ReflectionSupport.invokeMethod(method, target, args);
        });
    }
}
