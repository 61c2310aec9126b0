package dev.simmer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A recording of what a loop's tasks did and when: each task's creation, every step (the
 * task running until it suspends), what it then waited on, and its end, stamped with loop
 * time. Export it as Chrome trace-event JSON (open it in <a href="https://ui.perfetto.dev">
 * Perfetto</a> or {@code chrome://tracing}: one row per task) or as a text Gantt chart.
 *
 * <pre>{@code
 * Timeline timeline = Timeline.create();
 * Runner.create().virtualTime(true).timeline(timeline).run(() -> Async.gather(
 *         () -> sayHello("Alice", 2), () -> sayHello("Bob", 1), () -> sayHello("Charlie", 3)));
 * System.out.println(timeline.toGantt(40));
 * timeline.writeChromeTrace(Path.of("hello.trace.json"));
 * }</pre>
 *
 * <p>Recording is opt-in ({@link Runner#timeline}); a loop without a timeline pays one null
 * check per step. On virtual time the recording of a program is the same on every run.
 *
 * <p>Recorded on the loop thread; read it from the loop thread or once the run has ended.
 */
public final class Timeline {
    /*
     * Overview: the loop calls created / stepBegan / stepEnded / finished; each appends an
     * Event. Exports turn each task's events into spans: from a step's beginning to the next
     * suspension or the end is "running"; from a suspension to the next step is a wait
     * (sleep, await, ready); from creation to the first step is "not started".
     */

    /** What happened to a task. */
    public enum Kind {
        /** The task was created; its first step is scheduled. */
        CREATED,
        /** A step began: the task runs (its first step starts the body, later ones resume it). */
        RESUMED,
        /** The step ended with the task suspended; the event's detail says on what. */
        SUSPENDED,
        /** The task ended; the detail is {@code succeeded}, {@code failed} or {@code cancelled}. */
        FINISHED
    }

    /**
     * One event of the recording.
     *
     * @param timeNanos loop time, in nanoseconds since the timeline's first event
     * @param taskIndex the task's row: 0 for the first task the timeline saw, then 1, 2, ...
     * @param task      the task's name
     * @param kind      what happened
     * @param detail    for {@code SUSPENDED} what the task waits on, for {@code FINISHED} how it ended; else ""
     */
    public record Event(long timeNanos, int taskIndex, String task, Kind kind, String detail) {
    }

    private static final Pattern IDENTITY = Pattern.compile("@[0-9a-f]+");

    private final List<Event> events = new ArrayList<>();
    private final Map<Task<?>, Integer> rows = new IdentityHashMap<>();
    private long origin = Long.MIN_VALUE;

    private Timeline() {
    }

    /**
     * An empty timeline; give it to {@link Runner#timeline}.
     *
     * @return a new timeline with no events
     */
    public static Timeline create() {
        return new Timeline();
    }

    /**
     * Every event so far, in the order they happened.
     *
     * @return a snapshot of the recorded events, oldest first
     */
    public List<Event> events() {
        return Collections.unmodifiableList(new ArrayList<>(events));
    }

    // ----- recording: called by the loop -----

    /** What the loop calls. */
    TaskObserver recorder() {
        return recorder;
    }

    private final TaskObserver recorder = new TaskObserver() {
        @Override
        public void created(Task<?> task, long now) {
            rows.put(task, rows.size());
            add(task, now, Kind.CREATED, "");
        }

        @Override
        public void stepBegan(Task<?> task, long now) {
            add(task, now, Kind.RESUMED, "");
        }

        @Override
        public void stepEnded(Task<?> task, long now) {
            if (!task.isDone()) {
                add(task, now, Kind.SUSPENDED, describe(task, now));
            }
        }

        @Override
        public void finished(Task<?> task, long now) {
            add(task, now, Kind.FINISHED, task.stateName());
        }
    };

    /** What a task waits on, without identity hashes, and with a deadline in timeline time. */
    private String describe(Task<?> task, long now) {
        long deadline = task.sleepDeadline();
        if (deadline != Long.MIN_VALUE) {
            long start = origin == Long.MIN_VALUE ? now : origin;
            return "sleeping until " + time(deadline - start);
        }
        return IDENTITY.matcher(task.describeWait()).replaceAll("");
    }

    private void add(Task<?> task, long now, Kind kind, String detail) {
        if (origin == Long.MIN_VALUE) {
            origin = now;
        }
        Integer row = rows.get(task);
        if (row == null) { // a task created before recording began
            row = rows.size();
            rows.put(task, row);
        }
        events.add(new Event(now - origin, row, task.name(), kind, detail));
    }

    // ----- spans: what the exports draw -----

    /** What a task was doing from {@code start} to {@code end}. */
    private record Span(long start, long end, char mark, String label, String detail) {
    }

    /** One task's row: its spans and how it ended. */
    private static final class Row {
        final String name;
        final List<Span> spans = new ArrayList<>();
        long created;
        long finished = -1;
        String outcome = "";
        long openAt;
        char openMark;
        String openLabel;
        String openDetail;

        Row(String name) {
            this.name = name;
        }

        void open(long at, char mark, String label, String detail) {
            close(at);
            openAt = at;
            openMark = mark;
            openLabel = label;
            openDetail = detail;
        }

        void close(long at) {
            if (openLabel != null) {
                spans.add(new Span(openAt, at, openMark, openLabel, openDetail));
                openLabel = null;
            }
        }
    }

    private List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (Event e : events) {
            while (out.size() <= e.taskIndex()) {
                out.add(null);
            }
            Row row = out.get(e.taskIndex());
            if (row == null) {
                row = new Row(e.task());
                row.created = e.timeNanos();
                out.set(e.taskIndex(), row);
            }
            switch (e.kind()) {
                case CREATED -> row.open(e.timeNanos(), '.', "not started", "");
                case RESUMED -> row.open(e.timeNanos(), '#', "running", "");
                case SUSPENDED -> row.open(e.timeNanos(), waitMark(e.detail()), waitLabel(e.detail()), e.detail());
                case FINISHED -> {
                    row.close(e.timeNanos());
                    row.finished = e.timeNanos();
                    row.outcome = e.detail();
                }
            }
        }
        long end = endTime();
        out.removeIf(r -> r == null);
        for (Row r : out) {
            r.close(end); // still alive when the recording stopped
        }
        return out;
    }

    private static char waitMark(String detail) {
        return detail.startsWith("sleeping") ? '~' : detail.startsWith("awaiting") ? '=' : '.';
    }

    private static String waitLabel(String detail) {
        return detail.startsWith("sleeping") ? "sleep" : detail.startsWith("awaiting") ? "await" : "ready";
    }

    private long endTime() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).timeNanos();
    }

    // ----- exports -----

    /**
     * The recording as Chrome trace-event JSON: one thread row per task, a slice for each
     * step and each wait, instants for creation and end. Times are in microseconds of loop
     * time.
     *
     * @return the JSON text, to open in {@code chrome://tracing} or Perfetto
     */
    public String toChromeTrace() {
        StringBuilder out = new StringBuilder(256 + events.size() * 120);
        out.append("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
        out.append("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"Simmer event loop\"}}");
        List<Row> rows = rows();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            int tid = i + 1;
            out.append(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":").append(tid)
                    .append(",\"args\":{\"name\":").append(json(row.name)).append("}}");
            out.append(",\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":").append(tid)
                    .append(",\"args\":{\"sort_index\":").append(tid).append("}}");
            instant(out, tid, "created", row.created);
            for (Span s : row.spans) {
                out.append(",\n{\"name\":").append(json(s.label())).append(",\"cat\":")
                        .append(json(s.mark() == '#' ? "step" : "wait")).append(",\"ph\":\"X\",\"ts\":")
                        .append(micros(s.start())).append(",\"dur\":").append(micros(s.end() - s.start()))
                        .append(",\"pid\":1,\"tid\":").append(tid);
                if (!s.detail().isEmpty()) {
                    out.append(",\"args\":{\"on\":").append(json(s.detail())).append('}');
                }
                out.append('}');
            }
            if (row.finished >= 0) {
                instant(out, tid, row.outcome, row.finished);
            }
        }
        return out.append("\n]}\n").toString();
    }

    /**
     * Writes {@link #toChromeTrace()} to {@code file} (UTF-8).
     *
     * @param file where to write; an existing file is replaced
     * @throws IOException if the file cannot be written
     */
    public void writeChromeTrace(Path file) throws IOException {
        Files.writeString(file, toChromeTrace(), StandardCharsets.UTF_8);
    }

    /**
     * {@link #toGantt(int)} 60 columns wide.
     *
     * @return the chart: a time axis, one line per task with how it ended, and a legend
     */
    public String toGantt() {
        return toGantt(60);
    }

    /**
     * The recording as a text Gantt chart: a time axis, then one row per task, oldest first,
     * {@code width} columns wide. In each column: {@code #} the task ran a step,
     * {@code ~} it slept, {@code =} it awaited something (a task, a promise, a lock), {@code .}
     * it was ready but not running (or not started); blank before it was created and after
     * it ended. How it ended follows the row.
     *
     * <pre>
     * Time →   0s                  1s                  2s                  3s
     *          |-------------------+-------------------+-------------------|
     * main     #===========================================================# succeeded
     * Alice    #~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~#                     succeeded
     * </pre>
     *
     * @param width how many columns the time axis spans
     * @return the chart: a time axis, one line per task with how it ended, and a legend
     */
    public String toGantt(int width) {
        if (width < 10) {
            throw new IllegalArgumentException("a Gantt chart needs at least 10 columns, was " + width);
        }
        List<Row> rows = rows();
        long end = Math.max(1, endTime());
        int nameWidth = 6;
        for (Row r : rows) {
            nameWidth = Math.max(nameWidth, Math.min(24, r.name.length()));
        }
        int cols = width;
        StringBuilder out = new StringBuilder();
        axis(out, nameWidth, cols, end);
        for (Row r : rows) {
            char[] line = new char[cols];
            java.util.Arrays.fill(line, ' ');
            long last = r.finished >= 0 ? r.finished : end;
            for (Span s : r.spans) {
                if (s.mark() != '#') {
                    fill(line, column(s.start(), end, cols), column(s.end(), end, cols), s.mark());
                }
            }
            for (Span s : r.spans) {
                if (s.mark() == '#') {
                    fill(line, column(s.start(), end, cols), column(s.end(), end, cols), '#');
                }
            }
            if (r.spans.isEmpty()) { // cancelled before its first step
                fill(line, column(r.created, end, cols), column(last, end, cols), '.');
            }
            String name = r.name.length() > nameWidth ? r.name.substring(0, nameWidth - 1) + "…" : r.name;
            out.append(pad(name, nameWidth)).append("  ").append(line);
            out.append(' ').append(r.finished >= 0 ? r.outcome : "(still running)");
            trimLine(out);
            out.append('\n');
        }
        out.append(pad("", nameWidth)).append("  # running  ~ sleeping  = awaiting  . ready, not running\n");
        return out.toString();
    }

    private static void axis(StringBuilder out, int nameWidth, int cols, long end) {
        long tick = niceTick(end, cols);
        char[] labels = new char[cols + 12];
        java.util.Arrays.fill(labels, ' ');
        char[] ruler = new char[cols];
        java.util.Arrays.fill(ruler, '-');
        int free = 0; // the first column a label may start at
        for (long t = 0; t <= end; t += tick) {
            int c = column(t, end, cols);
            ruler[c] = '+';
            if (c >= free) {
                String label = time(t);
                put(labels, c, label);
                free = c + label.length() + 1;
            }
            if (t > Long.MAX_VALUE - tick) {
                break;
            }
        }
        ruler[0] = '|';
        ruler[cols - 1] = '|';
        out.append(pad("Time →", nameWidth)).append("  ").append(labels);
        trimLine(out);
        out.append('\n').append(pad("", nameWidth)).append("  ").append(ruler).append('\n');
    }

    /** The smallest of 1, 2, 5 x 10^k ns whose ticks are at least 8 columns apart. */
    private static long niceTick(long end, int cols) {
        for (long scale = 1; scale <= Long.MAX_VALUE / 10; scale *= 10) {
            for (long m : new long[] {1, 2, 5}) {
                long tick = m * scale;
                if ((double) tick * (cols - 1) / end >= 8) {
                    return tick;
                }
            }
        }
        return end;
    }

    private static void put(char[] into, int at, String text) {
        for (int i = 0; i < text.length() && at + i < into.length; i++) {
            into[at + i] = text.charAt(i);
        }
    }

    private static int column(long t, long end, int cols) {
        return (int) Math.min(cols - 1, t * (cols - 1) / end);
    }

    private static void fill(char[] line, int from, int to, char mark) {
        for (int c = from; c <= to; c++) {
            line[c] = mark;
        }
    }

    private static void trimLine(StringBuilder out) {
        int n = out.length();
        while (n > 0 && out.charAt(n - 1) == ' ') {
            n--;
        }
        out.setLength(n);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** A loop time as a short label: 0s, 1.5s, 250ms, 40µs, 12ns. */
    static String time(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        if (nanos % 1_000_000_000L == 0 || nanos >= 10_000_000_000L) {
            return trim(nanos / 1e9) + "s";
        }
        if (nanos >= 1_000_000_000L) {
            return trim(Math.round(nanos / 1e7) / 100.0) + "s";
        }
        if (nanos >= 1_000_000L) {
            return trim(Math.round(nanos / 1e4) / 100.0) + "ms";
        }
        if (nanos >= 1_000L) {
            return trim(Math.round(nanos / 10.0) / 100.0) + "µs";
        }
        return nanos + "ns";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static void instant(StringBuilder out, int tid, String name, long at) {
        out.append(",\n{\"name\":").append(json(name)).append(",\"ph\":\"i\",\"s\":\"t\",\"ts\":").append(micros(at))
                .append(",\"pid\":1,\"tid\":").append(tid).append('}');
    }

    private static String micros(long nanos) {
        return nanos % 1000 == 0 ? Long.toString(nanos / 1000)
                : String.format(Locale.ROOT, "%.3f", nanos / 1000.0);
    }

    private static String json(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    @Override
    public String toString() {
        return "Timeline[" + events.size() + " events]";
    }
}
