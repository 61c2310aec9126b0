/**
 * Testing Simmer code with JUnit: {@link dev.simmer.testing.SimmerTest} runs a test method
 * inside {@link dev.simmer.Async#run} on virtual time. The JUnit version is the one the
 * project using this module declares (JUnit 5.10 or newer, or JUnit 6).
 *
 * <pre>{@code
 * open module com.example.app.test {
 *     requires dev.simmer.testing;
 * }
 * }</pre>
 */
module dev.simmer.testing {
    exports dev.simmer.testing;
    exports dev.simmer.testing.simulation;

    requires transitive dev.simmer;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.commons;
}
