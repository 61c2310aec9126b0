package dev.simmer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ordering tests that read like a script (kotlinx.coroutines' expect/finish): each
 * {@code expect(n)} must be reached in order 1, 2, 3, ...; {@code finish(n)} is the last.
 */
public final class Script {
    private int next = 1;

    /** A new script, at step 1. */
    public Script() {
    }

    private boolean finished;

    /** Asserts this is step {@code n}. */
    public void expect(int n) {
        assertThat(finished).as("step %d reached after finish", n).isFalse();
        assertThat(n).as("script step").isEqualTo(next);
        next++;
    }

    /** Asserts this is the last step, {@code n}. */
    public void finish(int n) {
        expect(n);
        finished = true;
    }

    /** Asserts the script reached its finish. */
    public void assertFinished() {
        assertThat(finished).as("script finished (next step was %d)", next).isTrue();
    }

    /** Fails: this line must never run. */
    public void unreachable() {
        throw new AssertionError("unreachable step reached (after step " + (next - 1) + ")");
    }
}
