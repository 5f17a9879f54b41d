package org.c18n.support;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.c18n.client.Api;

/** Waits for what the speed layer or an index derives asynchronously: asks again every 100 ms. */
public final class Eventually {
    private Eventually() {}

    /** The first answer that {@code done} accepts, or the last one after {@code timeout}. */
    public static <T> T get(Supplier<T> ask, Predicate<T> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T answer = ask.get();
        while (!done.test(answer) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
            answer = ask.get();
        }
        return answer;
    }

    /** The answer once it has not changed for a second (what is derived may still be arriving), a minute at most. */
    public static <T> T settled(Supplier<T> ask) {
        T last = ask.get();
        long stableSince = System.nanoTime();
        long deadline = stableSince + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() - stableSince < 1_000_000_000L && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            T now = ask.get();
            if (!now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            }
        }
        return last;
    }

    /** A page of {@code path} once it has at least {@code items} items (a minute at most). */
    public static tools.jackson.databind.JsonNode items(Api api, String path, int items) {
        return get(() -> {
            var response = api.get(path);
            if (response.status() != 200) {
                throw new AssertionError(response.toString());
            }
            return response.body();
        }, page -> page.path("items").size() >= items, Duration.ofSeconds(60));
    }
}
