package org.c18n.notification;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.c18n.eventlog.Event;
import org.c18n.projection.EventApplier;
import org.c18n.projection.ProjectionStore;
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

    /** Notifications (never refused, only ever added to the inbox here) come in floods: a run is one statement. */
    @Override
    public Set<String> typesAppliedTogether() {
        return Set.of(NotificationEvents.CREATED);
    }

    @Override
    public Map<UUID, String> applyTogether(List<Event> events, List<LogPosition> positions, JdbcClient db) {
        // The first of a notification given twice is the one kept, as one by one.
        Map<UUID, Event> firsts = new LinkedHashMap<>();
        for (Event event : events) {
            firsts.putIfAbsent(event.data(NotificationEvents.Created.class).notificationId(), event);
        }
        int n = firsts.size();
        UUID[][] columns = new UUID[9][n];
        String[] kinds = new String[n];
        String[] ats = new String[n];
        int i = 0;
        for (Event event : firsts.values()) {
            var e = event.data(NotificationEvents.Created.class);
            UUID[] row = {e.notificationId(), e.userId(), e.actorId(), e.communityId(), e.postId(), e.commentId(),
                    e.roomId(), e.messageId(), e.inviteId()};
            for (int c = 0; c < row.length; c++) {
                columns[c][i] = row[c];
            }
            kinds[i] = e.kind();
            ats[i++] = ProjectionStore.timestampText(event.at());
        }
        db.sql("""
                INSERT INTO notifications (id, user_id, kind, actor_id, community_id, post_id, comment_id, room_id,
                                           message_id, invite_id, created_at)
                SELECT id, user_id, kind, actor_id, community_id, post_id, comment_id, room_id, message_id, invite_id,
                       at::timestamptz
                FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[],
                            ?::uuid[], ?::text[])
                     AS batch(id, user_id, kind, actor_id, community_id, post_id, comment_id, room_id, message_id, invite_id, at)
                ON CONFLICT (id) DO NOTHING""")
                .params(columns[0], columns[1], kinds, columns[2], columns[3], columns[4], columns[5], columns[6],
                        columns[7], columns[8], ats)
                .update();
        return Map.of();
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
