package org.c18n.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.c18n.media.Media;
import org.c18n.media.MediaJson;
import org.c18n.reaction.EmojiReactions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the messages view: a room's history in the log's order. */
@Component
public class Messages {
    private static final String SELECT = """
            SELECT m.id, m.room_id, m.seq, m.sender_id, u.username, m.body, m.reply_to, m.media_ids, m.mentions, m.status,
                   m.created_at, m.edited_at,
                   """ + EmojiReactions.summaryColumn("m.id") + """

            FROM messages m JOIN users u ON u.id = m.sender_id
            """;

    private final JdbcClient db;
    private final Media media;

    public Messages(JdbcClient db, Media media) {
        this.db = db;
        this.media = media;
    }

    /** The attachments as the API shows them (signed URLs), in the order they were attached. */
    public List<MediaJson> media(List<UUID> ids) {
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        var byId = media.byIds(ids).stream().collect(java.util.stream.Collectors.toMap(Media.Row::id, media::json));
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    /** A deleted message keeps its place without its text. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessageJson(UUID id, UUID room, long seq, Sender sender, String body, UUID replyTo,
                              List<UUID> mediaIds, List<MediaJson> media, List<UUID> mentions, String status, Instant at,
                              Instant editedAt, List<EmojiReactions.Summary> emojis) {}

    public record Sender(UUID id, String username) {}

    /** The seq of the room's last message in the view; -1 if none. */
    public long lastSeq(UUID roomId) {
        return db.sql("SELECT coalesce(max(seq), -1) FROM messages WHERE room_id = ?").param(roomId).query(Long.class)
                .single();
    }

    public Optional<MessageJson> byId(UUID roomId, UUID id) {
        return byId(roomId, id, null);
    }

    /** {@code me}: whose reactions are marked {@code mine} (none when null). */
    public Optional<MessageJson> byId(UUID roomId, UUID id, UUID me) {
        return db.sql(SELECT + " WHERE m.room_id = :room AND m.id = :id").param("room", roomId).param("id", id)
                .param("me", me).query(this::row).optional();
    }

    /** Newest first, older than {@code before} (a seq). */
    public List<MessageJson> before(UUID roomId, Long before, int limit, UUID me) {
        return db.sql(SELECT + " WHERE m.room_id = :room AND m.seq < :before ORDER BY m.seq DESC LIMIT :limit")
                .param("room", roomId).param("before", before == null ? Long.MAX_VALUE : before).param("limit", limit)
                .param("me", me).query(this::row).list();
    }

    /** Oldest first, newer than {@code after} (a seq): what a reconnecting client missed. */
    public List<MessageJson> after(UUID roomId, long after, int limit, UUID me) {
        return db.sql(SELECT + " WHERE m.room_id = :room AND m.seq > :after ORDER BY m.seq LIMIT :limit")
                .param("room", roomId).param("after", after).param("limit", limit).param("me", me)
                .query(this::row).list();
    }

    private MessageJson row(ResultSet rs, int n) throws SQLException {
        boolean deleted = rs.getString("status").equals("deleted");
        var edited = rs.getTimestamp("edited_at");
        var mediaArray = rs.getArray("media_ids");
        List<UUID> mediaIds = deleted || mediaArray == null ? List.of() : Arrays.asList((UUID[]) mediaArray.getArray());
        return new MessageJson(rs.getObject("id", UUID.class), rs.getObject("room_id", UUID.class), rs.getLong("seq"),
                new Sender(rs.getObject("sender_id", UUID.class), rs.getString("username")),
                deleted ? null : rs.getString("body"), rs.getObject("reply_to", UUID.class), mediaIds, media(mediaIds),
                Arrays.asList((UUID[]) rs.getArray("mentions").getArray()), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(), edited == null ? null : edited.toInstant(),
                EmojiReactions.read(rs));
    }
}
