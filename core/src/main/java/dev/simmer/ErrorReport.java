package dev.simmer;

/**
 * An error that no caller can receive, handed to the loop's exception handler (asyncio's
 * exception-handler context): a callback that threw, a task failure nobody retrieved, a
 * task that blocked the loop (debug mode).
 *
 * <pre>{@code
 * Async.loop().setExceptionHandler(report ->
 *     log.error(report.message(), report.exception()));
 * }</pre>
 *
 * @param message   what happened, in a sentence
 * @param exception the error, or {@code null} if there is none
 * @param task      the task concerned, or {@code null}
 */
public record ErrorReport(String message, Throwable exception, Task<?> task) {

    @Override
    public String toString() {
        return message + (exception == null ? "" : ": " + exception);
    }
}
