package org.c18n.workload;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar for one kind of work: on a terminal it is redrawn in place as the work goes on;
 * in a log (no terminal) a line is printed at every tenth of the way. Its final line is the
 * figure the summary repeats: done, failed, rate.
 */
final class Progress implements AutoCloseable {
    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile long ended;
    private long lastDrawn;
    private long lastTenth = -1;

    Progress(String label, long total, PrintStream out) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.terminal = System.console() != null;
    }

    void succeeded() {
        ok.incrementAndGet();
        maybeDraw();
    }

    void failed() {
        failed.incrementAndGet();
        maybeDraw();
    }

    long ok() {
        return ok.get();
    }

    long failures() {
        return failed.get();
    }

    double seconds() {
        return ((ended == 0 ? System.nanoTime() : ended) - started) / 1e9;
    }

    double rate() {
        return (ok.get() + failed.get()) / Math.max(seconds(), 1e-3);
    }

    String label() {
        return label;
    }

    private synchronized void maybeDraw() {
        long done = ok.get() + failed.get();
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastDrawn > 100_000_000L || done == total) {
                lastDrawn = now;
                out.print("\r" + line());
                out.flush();
            }
        } else {
            long tenth = total == 0 ? 10 : done * 10 / total;
            if (tenth != lastTenth && tenth < 10) {
                lastTenth = tenth;
                out.println(line());
            }
        }
    }

    String line() {
        long done = ok.get() + failed.get();
        int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
        return String.format("%-12s [%s%s] %,d/%,d  %,.0f/s%s", label, "#".repeat(filled), ".".repeat(WIDTH - filled), done,
                total, rate(), failed.get() == 0 ? "" : String.format("  %,d failed", failed.get()));
    }

    @Override
    public synchronized void close() {
        ended = System.nanoTime();
        out.print((terminal ? "\r" : "") + line() + System.lineSeparator());
        out.flush();
    }
}
