package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Restaurant Kitchen Story, "The Big Picture": one cook, three dishes. Cooked one after
 * another they take 23 minutes; started together with {@link Async#gather} they take as long
 * as the longest, 10.
 *
 * <pre>
 * # Slow Way (Synchronous)
 * make_soup()  # Wait 10 minutes
 * make_salad() # Wait 5 minutes
 * make_pasta() # Wait 8 minutes
 * # Total: 23 minutes
 * # Fast Way (Async)
 * start_soup()  # Start, don't wait!
 * start_salad() # Start, don't wait!
 * start_pasta() # Start, don't wait!
 * # Total: ~10 minutes
 * </pre>
 *
 * <p>The tutorial's lines are pseudo-code (it defines none of the six functions), so this
 * is a demo of them rather than the twin of a program, and prints more than they do. A
 * kitchen minute is {@link #MINUTE} of loop time, so the demo runs in about three
 * seconds; times are printed in kitchen minutes, read from the loop's clock. After each way
 * a timeline shows who was cooking when: one after another the bars follow each other, and
 * together they overlap.
 */
public final class Kitchen extends Example {
    /** One kitchen minute in loop time. */
    public static final Duration MINUTE = Duration.ofMillis(100);

    private record Shift(String dish, long startMinute, long endMinute) {
    }

    private final List<Shift> shifts = new ArrayList<>();
    private long opened;

    /** The demo, printing to {@code out}. */
    public Kitchen(PrintStream out) {
        super(out);
    }

    @Override
    public void run() throws Exception {
        print("One cook, three dishes (one kitchen minute = " + MINUTE.toMillis() + " ms here).");
        print();

        print("Slow way: one dish after another");
        open();
        makeSoup();
        makeSalad();
        makePasta();
        print("Total: " + minutesOpen() + " minutes");
        printTimeline();
        print();

        print("Fast way: start all three, then wait (Async.gather)");
        open();
        List<String> dishes = Async.gather(this::makeSoup, this::makeSalad, this::makePasta);
        print("Total: " + minutesOpen() + " minutes");
        print("Served: " + Py.repr(dishes));
        printTimeline();
    }

    String makeSoup() {
        return cook("soup", 10);
    }

    String makeSalad() {
        return cook("salad", 5);
    }

    String makePasta() {
        return cook("pasta", 8);
    }

    /** Cooks a dish: the cook is free while it simmers (the task sleeps, the loop runs others). */
    private String cook(String dish, int minutes) {
        long start = minutesOpen();
        say(dish + ": start (" + minutes + " minutes)");
        Async.sleep(MINUTE.multipliedBy(minutes));
        say(dish + ": ready");
        shifts.add(new Shift(dish, start, minutesOpen()));
        return dish;
    }

    private void open() {
        opened = now();
        shifts.clear();
    }

    private long minutesOpen() {
        return Math.round((now() - opened) / (double) MINUTE.toNanos());
    }

    private void say(String what) {
        print(String.format(Locale.ROOT, "[%2d min] %s", minutesOpen(), what));
    }

    /** Who was cooking when, since the last {@link #open()}: one column per minute. */
    private void printTimeline() {
        long end = shifts.stream().mapToLong(Shift::endMinute).max().orElse(0);
        print("Who was cooking when (one column = one minute):");
        StringBuilder ruler = new StringBuilder("        ");
        for (long m = 0; m <= end; m += 5) {
            ruler.append(String.format(Locale.ROOT, "%-5d", m));
        }
        print(ruler.toString().stripTrailing());
        for (String dish : List.of("soup", "salad", "pasta")) {
            Shift s = shifts.stream().filter(x -> x.dish().equals(dish)).findFirst().orElseThrow();
            StringBuilder bar = new StringBuilder(String.format(Locale.ROOT, "  %-6s", dish));
            for (long m = 0; m < end; m++) {
                bar.append(m >= s.startMinute() && m < s.endMinute() ? '#' : '.');
            }
            print(bar.toString());
        }
    }
}
