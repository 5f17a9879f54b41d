package org.c18n.moderation;

import java.sql.Timestamp;
import java.util.Set;
import org.c18n.eventlog.Event;
import org.c18n.projection.EventApplier;
import org.c18n.eventlog.LogPosition;
import org.c18n.eventlog.Rejection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Applies c18n.moderation events to the reports and the moderation queue. */
@Component
public class ModerationProjection implements EventApplier {
    /** What a decision leaves the item as. */
    private static final java.util.Map<String, String> STATUS = java.util.Map.of("dismiss", "dismissed", "remove", "removed",
            "mute", "muted", "ban", "banned");

    @Override
    public Set<String> types() {
        return Set.of(ModerationEvents.REPORT_FILED, ModerationEvents.FLAGGED, ModerationEvents.DECIDED);
    }

    @Override
    public void apply(Event event, LogPosition position, JdbcClient db) {
        Timestamp at = Timestamp.from(event.at());
        switch (event.type()) {
            case ModerationEvents.REPORT_FILED -> {
                var e = event.data(ModerationEvents.ReportFiled.class);
                db.sql("""
                        INSERT INTO reports (id, target_type, target_id, post_id, room_id, community_id, author_id,
                                             reporter_id, reason, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""")
                        .params(e.reportId(), e.targetType(), e.targetId(), e.postId(), e.roomId(), e.communityId(),
                                e.authorId(), e.reporterId(), e.reason(), at)
                        .update();
            }
            case ModerationEvents.FLAGGED -> {
                var e = event.data(ModerationEvents.Flagged.class);
                db.sql("""
                        INSERT INTO moderation_queue (id, target_type, target_id, post_id, room_id, community_id, author_id,
                                                      rule, evidence, status, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?) ON CONFLICT (id) DO NOTHING""")
                        .params(e.itemId(), e.targetType(), e.targetId(), e.postId(), e.roomId(), e.communityId(),
                                e.authorId(), e.rule(), e.evidence(), at)
                        .update();
            }
            default -> {
                var e = event.data(ModerationEvents.Decided.class);
                int decided = db.sql("""
                        UPDATE moderation_queue SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ?
                        WHERE id = ? AND status = 'open'""")
                        .params(STATUS.get(e.action()), e.by(), at, e.reason(), e.itemId())
                        .update();
                if (decided == 0) {
                    throw new Rejection("already-decided");
                }
            }
        }
    }
}
