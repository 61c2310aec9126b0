package dev.simmer.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The selector glue of an event loop: one {@link Selector}, and for each registered channel
 * at most one reader entry and one writer entry (asyncio's {@code add_reader} /
 * {@code add_writer}). A selection hands the entries of the ready channels to a sink (the
 * loop's ready queue); it never runs them itself.
 *
 * <p>Must be called from the loop thread, except {@link #wakeup()}, which is thread-safe.
 */
public final class IoSelector {
    /*
     * Overview. A channel keeps its SelectionKey once registered, with interest ops 0 while
     * nobody waits on it: a cancelled key cannot be re-registered until the next selection
     * has flushed it, so toggling the interest is the cheap and safe way to wait again.
     * forget(channel) cancels the key for good (the channel is being closed) and sets
     * `flush`, so that the next pass selects once and the JDK releases the file descriptor
     * (a registered channel's descriptor is only released once its key is deregistered).
     *
     * Clearing a reader leaves OP_READ on the key: a stream waits for readability again and
     * again, and re-arming an interest that is still there costs no epoll_ctl (two system
     * calls per wait otherwise). The stale interest is dropped the first time a selection
     * finds the channel readable with no reader (onReady), so a stream nobody reads does not
     * wake the selector more than once. Writers are cleared at once: a writable socket is
     * ready at every selection, and an OP_CONNECT left on a connected one would be reported by
     * epoll without ever reaching onReady, so the selector would spin. For the same reason a
     * writer that stays set across its connect (an addWriter callback that calls
     * finishConnect itself) is kept in `connecting` while its interest is OP_CONNECT; each
     * select first moves the connected ones on to OP_WRITE.
     *
     * `interest` counts reader and writer entries: while it is non-zero, something can
     * still happen, so the loop is not deadlocked and waits in select() rather than park().
     *
     * A channel closed behind the loop's back has its key cancelled by the JDK; after each
     * selection, fewer keys than registrations reveals that, and the orphaned entries are
     * handed to the sink so that their owners wake and see the channel closed.
     */
    private final Selector selector;
    private final Map<SelectableChannel, Registration> registrations = new HashMap<>();
    private int interest;
    private boolean flush;
    private final List<Registration> connecting = new ArrayList<>(0);
    private Consumer<Object> sink;
    private final Consumer<SelectionKey> onReady = this::onReady;

    private static final class Registration {
        final SelectableChannel channel;
        final SelectionKey key;
        Object reader;
        Object writer;
        boolean connecting; // in `connecting`

        Registration(SelectableChannel channel, SelectionKey key) {
            this.channel = channel;
            this.key = key;
        }
    }

    /** Opens the selector. */
    public IoSelector() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("Simmer could not open a java.nio Selector for the event loop", e);
        }
    }

    /**
     * Sets the reader ({@code write == false}) or writer entry of {@code channel}, returning
     * the entry it replaces, or null. A closed channel is not registered: its entry goes to
     * {@code sinkIfClosed} at once, as a closed descriptor polls ready.
     */
    public Object set(SelectableChannel channel, boolean write, Object entry, Consumer<Object> sinkIfClosed) {
        Registration r = registrations.get(channel);
        if (r == null) {
            if (!channel.isOpen()) {
                sinkIfClosed.accept(entry);
                return null;
            }
            SelectionKey key;
            try {
                key = channel.register(selector, 0);
            } catch (java.nio.channels.ClosedChannelException | CancelledKeyException e) {
                sinkIfClosed.accept(entry);
                return null;
            }
            r = new Registration(channel, key);
            key.attach(r);
            registrations.put(channel, r);
        }
        Object previous = write ? r.writer : r.reader;
        if (write) {
            r.writer = entry;
        } else {
            r.reader = entry;
        }
        if (previous == null) {
            interest++;
        }
        if (!updateOps(r)) {
            drop(r, sinkIfClosed);
        }
        return previous;
    }

    /** Removes the reader or writer entry of {@code channel} if it is {@code entry} (or any, if null); true if one was removed. */
    public boolean clear(SelectableChannel channel, boolean write, Object entry) {
        Registration r = registrations.get(channel);
        if (r == null) {
            return false;
        }
        Object current = write ? r.writer : r.reader;
        if (current == null || (entry != null && current != entry)) {
            return false;
        }
        if (write) {
            r.writer = null;
        } else {
            r.reader = null;
        }
        interest--;
        if (write) {
            updateOps(r); // at once: a writable socket polls ready at every select, a stale interest would spin
        }
        return true;
    }

    /** The reader or writer entry of {@code channel}, or null. */
    public Object get(SelectableChannel channel, boolean write) {
        Registration r = registrations.get(channel);
        return r == null ? null : write ? r.writer : r.reader;
    }

    /**
     * Drops {@code channel} for good (it is about to be closed): its key is cancelled and
     * its entries, if any, go to {@code sink} so that their owners wake.
     */
    public void forget(SelectableChannel channel, Consumer<Object> sink) {
        Registration r = registrations.get(channel);
        if (r != null) {
            drop(r, sink);
        }
    }

    /** Whether the loop should select rather than park: entries wait, or cancelled keys need flushing. */
    public boolean wantsSelect() {
        return interest > 0 || flush;
    }

    /** Whether any reader or writer entry is registered: I/O may still wake someone. */
    public boolean hasInterest() {
        return interest > 0;
    }

    /**
     * Selects: {@code timeoutNanos} 0 polls, negative waits until readiness or
     * {@link #wakeup()}. Hands the entries of ready channels to {@code sink}; returns how
     * many it handed over. A wait does not begin if {@code workArrived} says there is work
     * already (it is asked after the poll that begins every wait, see below).
     */
    public int select(long timeoutNanos, Consumer<Object> sink, BooleanSupplier workArrived) {
        // A blocking select polls first: that deregisters keys cancelled since the last
        // selection, and a channel closed behind the loop's back shows up before the wait
        // (its key is gone) rather than leaving its waiter asleep forever. The poll also
        // clears a pending wakeup(): work handed in just before it would sleep through the
        // wait, so the caller's inbox is looked at again between the poll and the wait. Work
        // handed in after that look calls wakeup() after the poll, which the wait sees.
        if (!connecting.isEmpty()) {
            recheckConnects();
        }
        int handed = selectOnce(0, sink);
        if (handed == 0 && timeoutNanos != 0 && !workArrived.getAsBoolean()) {
            handed = selectOnce(timeoutNanos, sink);
        }
        return handed;
    }

    private int selectOnce(long timeoutNanos, Consumer<Object> sink) {
        this.sink = sink;
        int handed;
        try {
            if (timeoutNanos == 0) {
                handed = selector.selectNow(onReady);
            } else {
                long millis = timeoutNanos < 0 ? 0 : Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
                handed = selector.select(onReady, millis);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The event loop's selector failed; please report", e);
        } finally {
            this.sink = null;
        }
        flush = false;
        if (selector.keys().size() < registrations.size()) {
            handed += dropClosed(sink);
        }
        return handed;
    }

    /** Wakes a thread blocked in {@link #select}, or makes its next select return at once. Thread-safe. */
    public void wakeup() {
        selector.wakeup();
    }

    /** Closes the selector; every registration is dropped. */
    public void close() {
        registrations.clear();
        connecting.clear();
        interest = 0;
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing is left to release
        }
    }

    /** How many channels are registered (for tests). */
    public int registered() {
        return registrations.size();
    }

    private void onReady(SelectionKey key) {
        Registration r = (Registration) key.attachment();
        int ready;
        try {
            ready = key.readyOps();
        } catch (CancelledKeyException e) {
            return;
        }
        if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            if (r.reader != null) {
                sink.accept(r.reader);
            } else {
                updateOps(r); // the read interest a cleared reader left: readable, and nobody waits
            }
        }
        if (r.writer != null && (ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            sink.accept(r.writer);
        }
    }

    /** Interest OP_CONNECT on a channel whose connect has finished meanwhile: on to OP_WRITE (or nothing). */
    private void recheckConnects() {
        for (int i = connecting.size() - 1; i >= 0; i--) {
            Registration r = connecting.get(i);
            if (!(r.channel instanceof SocketChannel sc && sc.isConnectionPending())) {
                connecting.remove(i);
                r.connecting = false;
                if (r.key.isValid()) {
                    updateOps(r);
                }
            }
        }
    }

    /** Sets the key's interest from the entries; false if the key was cancelled (the channel closed). */
    private boolean updateOps(Registration r) {
        int valid = r.channel.validOps();
        int ops = 0;
        if (r.reader != null) {
            ops |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if (r.writer != null) {
            boolean pending = r.channel instanceof SocketChannel sc && sc.isConnectionPending();
            ops |= pending ? SelectionKey.OP_CONNECT : valid & SelectionKey.OP_WRITE;
            if (pending && !r.connecting) {
                r.connecting = true;
                connecting.add(r);
            }
        }
        try {
            r.key.interestOps(ops);
            return true;
        } catch (CancelledKeyException e) {
            return false;
        }
    }

    private void drop(Registration r, Consumer<Object> sink) {
        registrations.remove(r.channel);
        r.key.cancel();
        flush = true;
        if (r.reader != null) {
            interest--;
            sink.accept(r.reader);
            r.reader = null;
        }
        if (r.writer != null) {
            interest--;
            sink.accept(r.writer);
            r.writer = null;
        }
    }

    private int dropClosed(Consumer<Object> sink) {
        List<Registration> closed = new ArrayList<>();
        for (Registration r : registrations.values()) {
            if (!r.key.isValid()) {
                closed.add(r);
            }
        }
        int handed = 0;
        for (Registration r : closed) {
            handed += (r.reader != null ? 1 : 0) + (r.writer != null ? 1 : 0);
            drop(r, sink);
        }
        return handed;
    }
}
