package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GreetCoroutineTest {
    @Test
    void callingGreetGivesItsResult() throws Exception {
        ExampleRun run = ExampleRun.of(GreetCoroutine::new);

        // Python prints "<class 'coroutine'>": Java has no un-run coroutine object.
        assertThat(run.lines()).containsExactly("class java.lang.String");
        assertThat(GreetCoroutine.greet("World")).isEqualTo("Hello, World! Welcome to async Python.");
    }
}
