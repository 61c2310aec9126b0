package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.ErrorReport;
import dev.simmer.Runner;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs an example on a virtual clock (sleeps take no real time, times are exact) and
 * records each line it prints with the loop time it was printed at.
 *
 * <pre>{@code
 * ExampleRun run = ExampleRun.of(SayHello::new);
 * assertThat(run.lines()).containsExactly("Hello!", "World!");
 * assertThat(run.timedLines()).containsExactly("[0s] Hello!", "[1s] World!");
 * }</pre>
 *
 * Fails if the loop reported an error nobody could receive (a failed task never awaited).
 */
final class ExampleRun {
    private final List<String> lines = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private final List<ErrorReport> reports = new ArrayList<>();
    private Duration elapsed;

    private ExampleRun() {
    }

    /** Runs the example made by {@code factory} to the end, on a new loop with a virtual clock. */
    static ExampleRun of(Function<PrintStream, Example> factory) throws Exception {
        ExampleRun run = new ExampleRun();
        Example example = factory.apply(new PrintStream(run.new LineRecorder(), true, StandardCharsets.UTF_8));
        long end = Runner.create()
                .virtualTime(true)
                .exceptionHandler(run.reports::add)
                .run(() -> {
                    example.run();
                    return Async.loop().time();
                });
        run.elapsed = Duration.ofNanos(end);
        assertThat(run.reports).as("errors the loop reported").isEmpty();
        return run;
    }

    /**
     * Runs the whole program of the example made by {@code factory}, its
     * {@link Example#runProgram()}, as the launcher does: on the real clock, and on as many
     * loops as the program makes. For the few examples whose Python does more at its top level
     * than {@code asyncio.run(main())}.
     *
     * @return the lines it printed
     */
    static List<String> programLines(Function<PrintStream, Example> factory) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        factory.apply(new PrintStream(bytes, true, StandardCharsets.UTF_8)).runProgram();
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The lines printed, as the Python program prints them. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines printed, each after the loop time it was printed at: {@code "[1.5s] text"}. */
    List<String> timedLines() {
        List<String> timed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String seconds = BigDecimal.valueOf(times.get(i), 9).stripTrailingZeros().toPlainString();
            timed.add("[" + seconds + "s] " + lines.get(i));
        }
        return timed;
    }

    /** Loop time from the start of the run to the end of the example's body. */
    Duration elapsed() {
        return elapsed;
    }

    /** Splits what is printed into lines, stamping each with the loop's time. */
    private final class LineRecorder extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            if (b != '\n') {
                line.write(b);
                return;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            lines.add(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
            times.add(Async.loop().time());
            line.reset();
        }
    }
}
