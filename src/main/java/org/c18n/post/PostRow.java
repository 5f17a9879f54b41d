package org.c18n.post;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.c18n.identity.Users;
import org.c18n.reaction.EmojiReactions;

/**
 * A row of the posts view joined with its author, the caller's reaction, and what the access rules
 * need of its community (its visibility, the caller's role in it) so they ask nothing more.
 */
record PostRow(UUID id, UUID communityId, UUID usergroupId, PostJson.Author author, String title, String body,
               List<String> tags, List<UUID> mediaIds, String status, UUID sharedFrom, int likeCount,
               int dislikeCount, int commentCount, int shareCount, String myReaction, List<EmojiReactions.Summary> emojis,
               Instant createdAt, Instant editedAt, String communityName, String communityVisibility, String myCommunityRole,
               boolean held) {

    static final String SELECT = """
            SELECT p.id, p.community_id, p.usergroup_id, p.author_id, u.username, u.display_name, p.title, p.body,
                   p.tags, p.media_ids, p.status, p.shared_from, p.like_count, p.dislike_count, p.comment_count,
                   p.share_count, r.kind AS my_reaction, p.created_at, p.edited_at,
                   %s AS held, c.name AS community_name, c.visibility AS community_visibility, cm.role AS my_community_role,
                   %s
            FROM posts p JOIN users u ON u.id = p.author_id
                 LEFT JOIN reactions r ON r.target_id = p.id AND r.user_id = :me
                 LEFT JOIN communities c ON c.id = p.community_id AND c.deleted_at IS NULL
                 LEFT JOIN community_members cm ON cm.community_id = p.community_id AND cm.user_id = :me
            """.formatted(heldWhere("p"), EmojiReactions.summaryColumn("p.id"));

    /**
     * Whether the post (or comment) of this alias is held: flagged by a rule or past the report
     * threshold and not reviewed yet. Derived from the moderation queue at read time, so it needs no
     * event of its own and cannot disagree with the queue, whatever order a replay applies topics in.
     */
    static String heldWhere(String alias) {
        return "EXISTS (SELECT 1 FROM moderation_queue mq WHERE mq.target_id = %s.id AND mq.status = 'open')".formatted(alias);
    }

    static PostRow map(ResultSet rs, int n) throws SQLException {
        var edited = rs.getTimestamp("edited_at");
        var media = rs.getArray("media_ids");
        return new PostRow(rs.getObject("id", UUID.class), rs.getObject("community_id", UUID.class),
                rs.getObject("usergroup_id", UUID.class),
                new PostJson.Author(rs.getObject("author_id", UUID.class), rs.getString("username"),
                        rs.getString("display_name")),
                rs.getString("title"), rs.getString("body"), Users.strings(rs.getArray("tags")),
                media == null ? List.of() : Arrays.asList((UUID[]) media.getArray()), rs.getString("status"),
                rs.getObject("shared_from", UUID.class), rs.getInt("like_count"), rs.getInt("dislike_count"),
                rs.getInt("comment_count"), rs.getInt("share_count"), rs.getString("my_reaction"), EmojiReactions.read(rs),
                rs.getTimestamp("created_at").toInstant(), edited == null ? null : edited.toInstant(),
                rs.getString("community_name"), rs.getString("community_visibility"), rs.getString("my_community_role"), rs.getBoolean("held"));
    }

    /** The position of this post in a newest-first feed. */
    String cursor() {
        return createdAt + "|" + id;
    }
}
