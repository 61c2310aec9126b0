/**
 * Runnable examples: the kitchen demo and a Java twin of every program of the asyncio
 * tutorials Simmer was designed from. Each example is an {@link dev.simmer.examples.Example}
 * whose async {@code run()} prints what the Python program prints; its test runs it on a
 * virtual clock and checks that, line by line. {@link dev.simmer.examples.Examples} is the
 * launcher: {@code ./mvnw -q -pl examples -am compile exec:java -Dexec.args="--list"}.
 */
package dev.simmer.examples;
