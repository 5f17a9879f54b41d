package org.c18n.chat;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.UUID;
import org.c18n.infra.C18nProperties;
import org.c18n.web.RateBudgets;
import org.springframework.stereotype.Component;

/**
 * One budget per user and kind of chat write, shared by all the user's sockets on this node and
 * the REST API: opening more sockets, or going around the socket through REST, buys no more.
 * Each refills at its rate per second and holds a short burst.
 */
@Component
public class ChatLimits {
    /** Beyond this many tracked budgets the idle ones are forgotten at once (they are full again anyway soon). */
    private static final int MAX_TRACKED = 200_000;

    /** The kinds of write, each with its own budget: messages (send, edit, delete), read markers, syncs, presence, typing. */
    public enum Kind { MESSAGE, READ, SYNC, PRESENCE, TYPING }

    private record Key(UUID user, Kind kind) {}

    private final RateBudgets<Key> budgets = new RateBudgets<>(MAX_TRACKED);
    private final C18nProperties.Chat chat;

    public ChatLimits(C18nProperties props) {
        this.chat = props.chat();
    }

    /** Takes one from the user's budget: 0 when allowed, else the seconds until one is there again. */
    long take(UUID user, Kind kind) {
        return budgets.secondsToWait(new Key(user, kind), () -> bucket(kind));
    }

    static String describe(Kind kind) {
        return switch (kind) {
            case MESSAGE -> "messages";
            case READ -> "read markers";
            case SYNC -> "syncs";
            case PRESENCE -> "presence changes";
            case TYPING -> "typing signals";
        };
    }

    int perSecond(Kind kind) {
        return switch (kind) {
            case MESSAGE -> chat.messagesPerSecond();
            case READ -> chat.readsPerSecond();
            case SYNC -> chat.syncsPerSecond();
            case PRESENCE, TYPING -> chat.signalsPerSecond();
        };
    }

    private Bucket bucket(Kind kind) {
        int rate = perSecond(kind);
        // A reconnecting client syncs every room it shows at once: syncs get a deeper burst.
        long burst = kind == Kind.SYNC ? rate * 5L : rate * 2L;
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(rate, Duration.ofSeconds(1)).build())
                .build();
    }
}
