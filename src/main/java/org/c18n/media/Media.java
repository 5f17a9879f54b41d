package org.c18n.media;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the media view, and who may see a file. */
@Component
public class Media {
    private final JdbcClient db;
    private final MediaUrls urls;

    public Media(JdbcClient db, MediaUrls urls) {
        this.db = db;
        this.urls = urls;
    }

    /** {@code posterId}: a video's latest poster image (null: none, and always for an image). */
    public record Row(UUID id, UUID ownerId, String sha256, String contentType, String kind, long size, Integer width,
                      Integer height, boolean thumbnail, Instant createdAt, UUID posterId) {
        public boolean isVideo() {
            return kind.equals("video");
        }
    }

    /** Only an image of the video's own owner counts as its poster: the log may hold events no request checked. */
    private static final String SELECT = """
            SELECT m.*, (SELECT p.id FROM media p
                         WHERE p.poster_of = m.id AND p.owner_id = m.owner_id AND p.kind = 'image'
                         ORDER BY p.id DESC LIMIT 1) AS poster_id
            FROM media m""";

    public Optional<Row> byId(UUID id) {
        return db.sql(SELECT + " WHERE m.id = ?").param(id).query(Media::row).optional();
    }

    /** The bytes of every upload of the user (each counts, even of content stored once for several uploads). */
    public long bytesOf(UUID ownerId) {
        return db.sql("SELECT coalesce(sum(size), 0) FROM media WHERE owner_id = ?").param(ownerId).query(Long.class)
                .single();
    }

    public List<Row> byIds(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.sql(SELECT + " WHERE m.id = ANY (?)").param(ids.toArray(UUID[]::new)).query(Media::row).list();
    }

    /**
     * The owner sees their uploads; anyone else only media attached to a published post they may
     * read (public community, or a community or user-group they belong to), or to a chat message
     * in a room they are in. A video's poster is visible wherever its video is.
     */
    public boolean visibleTo(Row media, UUID userId) {
        if (media.ownerId().equals(userId)) {
            return true;
        }
        return db.sql("""
                        WITH shown AS (SELECT CAST(:media AS uuid) AS id
                                       UNION SELECT v.id FROM media p JOIN media v ON v.id = p.poster_of AND v.owner_id = p.owner_id
                                       WHERE p.id = :media)
                        SELECT EXISTS (
                          SELECT 1 FROM posts p LEFT JOIN communities c ON c.id = p.community_id AND c.deleted_at IS NULL
                          WHERE p.media_ids && ARRAY(SELECT id FROM shown) AND p.status = 'published'
                            AND ((p.community_id IS NOT NULL AND (c.visibility = 'public' OR EXISTS (
                                    SELECT 1 FROM community_members m WHERE m.community_id = p.community_id AND m.user_id = :me)))
                              OR (p.usergroup_id IS NOT NULL AND EXISTS (
                                    SELECT 1 FROM usergroup_members g WHERE g.usergroup_id = p.usergroup_id AND g.user_id = :me))))
                        OR EXISTS (
                          SELECT 1 FROM messages x
                          WHERE x.media_ids && ARRAY(SELECT id FROM shown) AND x.status = 'sent'
                            AND (EXISTS (SELECT 1 FROM usergroup_members g WHERE g.usergroup_id = x.room_id AND g.user_id = :me)
                              OR EXISTS (SELECT 1 FROM direct_rooms d WHERE d.id = x.room_id
                                                                      AND (d.user_a = :me OR d.user_b = :me))))""")
                .param("media", media.id())
                .param("me", userId)
                .query(Boolean.class)
                .single();
    }

    public MediaJson json(Row m) {
        return new MediaJson(m.id(), m.kind(), m.contentType(), m.size(), m.width(), m.height(), urls.url(m.id(), false),
                m.thumbnail() ? urls.url(m.id(), true) : null, m.posterId(),
                m.posterId() == null ? null : urls.url(m.posterId(), false), m.createdAt());
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getObject("owner_id", UUID.class), rs.getString("sha256"),
                rs.getString("content_type"), rs.getString("kind"), rs.getLong("size"),
                (Integer) rs.getObject("width"), (Integer) rs.getObject("height"), rs.getBoolean("thumbnail"),
                rs.getTimestamp("created_at").toInstant(), rs.getObject("poster_id", UUID.class));
    }
}
