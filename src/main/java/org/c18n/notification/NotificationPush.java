package org.c18n.notification;

import java.time.Duration;
import java.time.Instant;
import org.c18n.eventlog.Event;
import org.c18n.eventlog.Topics;
import org.c18n.hub.Frames;
import org.c18n.hub.Hub;
import org.c18n.hub.LiveFeed;
import org.springframework.stereotype.Component;

/** Tells a user's open sockets that a notification arrived ({@code notification} frame), from the log like every frame. */
@Component
class NotificationPush {
    /** Older ones are derived again (a speed-layer recount after replay): the user was told long ago. */
    private static final Duration FRESH = Duration.ofMinutes(5);

    private final Hub hub;
    private final Frames frames;

    NotificationPush(LiveFeed feed, Hub hub, Frames frames) {
        this.hub = hub;
        this.frames = frames;
        feed.on(Topics.NOTIFICATIONS, (event, position) -> push(event));
    }

    private void push(Event event) {
        if (!event.type().equals(NotificationEvents.CREATED) || event.at().isBefore(Instant.now().minus(FRESH))) {
            return;
        }
        var e = event.data(NotificationEvents.Created.class);
        hub.toUser(e.userId(), frames.frame("notification", "id", e.notificationId(), "kind", e.kind(), "at", event.at()));
    }
}
