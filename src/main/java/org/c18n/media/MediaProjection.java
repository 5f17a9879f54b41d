package org.c18n.media;

import java.sql.Timestamp;
import java.util.Set;
import org.c18n.eventlog.Event;
import org.c18n.projection.EventApplier;
import org.c18n.eventlog.LogPosition;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Applies media.uploaded and media.deleted to the media view (the file itself is already stored by then). */
@Component
public class MediaProjection implements EventApplier {
    @Override
    public Set<String> types() {
        return Set.of(MediaEvents.UPLOADED, MediaEvents.DELETED);
    }

    @Override
    public void apply(Event event, LogPosition position, JdbcClient db) {
        if (event.type().equals(MediaEvents.DELETED)) {
            db.sql("DELETE FROM media WHERE id = ?").param(event.data(MediaEvents.Deleted.class).mediaId()).update();
            return;
        }
        var e = event.data(MediaEvents.Uploaded.class);
        db.sql("""
                INSERT INTO media (id, owner_id, sha256, content_type, kind, size, width, height, thumbnail, created_at,
                                   poster_of)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(e.mediaId(), e.ownerId(), e.sha256(), e.contentType(), e.kind(), e.size(), e.width(),
                        e.height(), e.thumbnail(), Timestamp.from(event.at()), e.posterOf())
                .update();
    }
}
