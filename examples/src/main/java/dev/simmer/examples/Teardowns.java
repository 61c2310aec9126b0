package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.AsyncResource;
import dev.simmer.CancelledException;
import dev.simmer.Task;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Guide, async resources: a teardown that knows how the block ended
 * ({@link AsyncResource#with}, Python's {@code __aexit__(exc_type, exc, tb)}), and a teardown
 * that finishes even when the task is cancelled while it runs ({@link AsyncResource#shielded},
 * Trio's shielded cancel scope in {@code __aexit__}).
 *
 * <pre>
 * class Order:
 *     async def __aexit__(self, exc_type, exc, tb):
 *         await (self.cancel() if exc_type else self.confirm())
 * </pre>
 */
public final class Teardowns extends Example {
    /** The example, printing to {@code out}. */
    public Teardowns(PrintStream out) {
        super(out);
    }

    /** An order at the pass: confirmed if the block ends well, called off if it fails. */
    final class Order {
        final String dish;

        Order(String dish) {
            this.dish = dish;
        }

        void confirm() {
            Async.sleep(Duration.ofMillis(500));
            print(dish + ": confirmed");
        }

        void callOff() {
            Async.sleep(Duration.ofMillis(500));
            print(dish + ": called off");
        }
    }

    private Order take(String dish) {
        print(dish + ": order taken");
        return new Order(dish);
    }

    private void cleanStation(String station) {
        print(station + ": cleaning starts");
        Async.sleep(Duration.ofSeconds(2)); // a cancellation now does not cut this short
        print(station + ": clean");
    }

    @Override
    public void run() throws Exception {
        String served = AsyncResource.with(() -> take("soup"), (order, failure) -> {
            if (failure == null) order.confirm(); else order.callOff();
        }, order -> order.dish + " served");
        print(served);

        try {
            AsyncResource.with(() -> take("souffle"), (order, failure) -> {
                if (failure == null) order.confirm(); else order.callOff();
            }, order -> {
                throw new IllegalStateException(order.dish + " collapsed");
            });
        } catch (IllegalStateException e) {
            print("failed: " + e.getMessage());
        }

        Task<Void> shift = Async.createTask(() -> {
            try (var station = AsyncResource.of(() -> "grill", AsyncResource.shielded(this::cleanStation))) {
                Async.sleep(Duration.ofSeconds(10));
            }
            return null;
        });
        Async.sleep(Duration.ofSeconds(1));
        shift.cancel(); // the block stops; the shielded cleaning starts
        Async.sleep(Duration.ofSeconds(1));
        shift.cancel(); // a second cancel while it cleans: the cleaning still finishes
        try {
            shift.await();
        } catch (CancelledException e) {
            print("shift: cancelled, after the station was clean");
        }
    }
}
