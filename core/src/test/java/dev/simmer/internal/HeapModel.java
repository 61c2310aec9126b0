package dev.simmer.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What the timer heap's model-based tests share: the armings they expect, what is due in firing order, and fibers to arm. */
final class HeapModel {
    private HeapModel() {
    }

    /**
     * One arming the model expects to fire: {@code order} is its place among all armings (it
     * breaks ties between equal deadlines); {@code fiber} the index of the fiber armed, or -1
     * for a plain timer.
     */
    record Arming(long deadline, long order, Timer timer, Object callback, int fiber) {
    }

    /** A fiber with nothing to run, as a task's would be: its timer callback is {@code owner}. */
    static Engine.Fiber fiber(Object owner) {
        return new Engine.Fiber(owner) {
            @Override
            public void run() {
            }

            @Override
            public String name() {
                return "fiber";
            }
        };
    }

    /** The armings of {@code live} due at {@code now}, in the order the heap must fire them: by deadline, then arming order. */
    static List<Arming> due(List<Arming> live, long now) {
        List<Arming> due = new ArrayList<>();
        for (Arming a : live) {
            if (a.deadline() <= now) {
                due.add(a);
            }
        }
        due.sort(Comparator.comparingLong(Arming::deadline).thenComparingLong(Arming::order));
        return due;
    }
}
