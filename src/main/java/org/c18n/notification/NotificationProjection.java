package org.c18n.notification;

import java.sql.Timestamp;
import java.util.Set;
import java.util.UUID;
import org.c18n.eventlog.Event;
import org.c18n.projection.EventApplier;
import org.c18n.eventlog.LogPosition;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Applies c18n.notifications events to the notifications view (every user's inbox). */
@Component
public class NotificationProjection implements EventApplier {
    @Override
    public Set<String> types() {
        return Set.of(NotificationEvents.CREATED, NotificationEvents.READ, NotificationEvents.EMAIL_PREFERENCES_SET);
    }

    @Override
    public void apply(Event event, LogPosition position, JdbcClient db) {
        Timestamp at = Timestamp.from(event.at());
        if (event.type().equals(NotificationEvents.CREATED)) {
            var e = event.data(NotificationEvents.Created.class);
            db.sql("""
                    INSERT INTO notifications (id, user_id, kind, actor_id, community_id, post_id, comment_id, room_id,
                                               message_id, invite_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""")
                    .params(e.notificationId(), e.userId(), e.kind(), e.actorId(), e.communityId(), e.postId(), e.commentId(),
                            e.roomId(), e.messageId(), e.inviteId(), at)
                    .update();
        } else if (event.type().equals(NotificationEvents.EMAIL_PREFERENCES_SET)) {
            var e = event.data(NotificationEvents.EmailPreferencesSet.class);
            db.sql("""
                    INSERT INTO email_preferences (user_id, digest, mentions, messages, replies) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET digest = excluded.digest, mentions = excluded.mentions,
                      messages = excluded.messages, replies = excluded.replies""")
                    .params(e.userId(), e.digest(), e.mentions(), e.messages(), e.replies())
                    .update();
        } else {
            var e = event.data(NotificationEvents.Read.class);
            db.sql("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id = ANY (?)")
                    .params(at, e.userId(), e.ids().toArray(UUID[]::new))
                    .update();
        }
    }
}
