package org.c18n.community;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.c18n.identity.Users;
import org.c18n.web.CurrentUser;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the community views, with the visibility rules applied. */
@Component
public class Communities {
    private static final String SELECT = """
            SELECT c.id, c.name, c.description, c.tags, c.visibility, c.join_policy, c.post_approval, c.owner_id, c.member_count,
                   c.created_at, c.updated_at, c.banned_words, c.archived_at, c.rules, m.role AS my_role, m.muted AS my_muted,
                   r.kind AS my_restriction, r.until AS my_restriction_until
            FROM communities c LEFT JOIN community_members m ON m.community_id = c.id AND m.user_id = :me
                 LEFT JOIN community_restrictions r ON r.community_id = c.id AND r.user_id = :me
                                                   AND (r.until IS NULL OR r.until > now())
            """;

    private final JdbcClient db;

    public Communities(JdbcClient db) {
        this.db = db;
    }

    public Optional<CommunityJson> byId(UUID id, UUID me) {
        return db.sql(SELECT + " WHERE c.id = :id AND c.deleted_at IS NULL").param("me", me).param("id", id).query(Communities::row).optional();
    }

    /**
     * The community if the caller may see it. A private community is invisible to non-members:
     * empty, exactly as if it did not exist.
     */
    public Optional<CommunityJson> visible(UUID id, CurrentUser me) {
        return byId(id, me.id()).filter(c -> c.isPublic() || c.myRole() != null || me.admin());
    }

    /** The communities {@code userId} belongs to that the caller may see, by name. */
    public List<CommunityJson> of(UUID userId, CurrentUser me) {
        return db.sql(SELECT + """
                         WHERE c.id IN (SELECT community_id FROM community_members WHERE user_id = :user)
                           AND (c.visibility = 'public' OR m.role IS NOT NULL OR :admin)
                         ORDER BY c.name_key LIMIT 200""")
                .param("me", me.id()).param("user", userId).param("admin", me.admin())
                .query(Communities::row).list();
    }

    public boolean nameTaken(String name) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM communities WHERE name_key = ?)").param(name.toLowerCase())
                .query(Boolean.class).single();
    }

    public List<CommunityJson> list(CurrentUser me, String q, String tag, boolean mineOnly, String afterKey, int limit) {
        String pattern = q == null || q.isBlank() ? null : "%" + Users.likeEscape(q.strip().toLowerCase()) + "%";
        return db.sql(SELECT + """
                         WHERE (c.visibility = 'public' OR m.role IS NOT NULL OR :admin) AND c.deleted_at IS NULL
                           AND (NOT :mine OR m.role IS NOT NULL)
                           AND (CAST(:pattern AS text) IS NULL OR c.name_key LIKE :pattern OR lower(c.description) LIKE :pattern)
                           AND (CAST(:tag AS text) IS NULL OR :tag = ANY (c.tags))
                           AND c.name_key > :after
                         ORDER BY c.name_key LIMIT :limit""")
                .param("me", me.id())
                .param("admin", me.admin())
                .param("mine", mineOnly)
                .param("pattern", pattern)
                .param("tag", tag == null || tag.isBlank() ? null : tag.strip().toLowerCase())
                .param("after", afterKey == null ? "" : afterKey)
                .param("limit", limit)
                .query(Communities::row)
                .list();
    }

    public String role(UUID communityId, UUID userId) {
        return db.sql("SELECT role FROM community_members WHERE community_id = ? AND user_id = ?")
                .params(communityId, userId).query(String.class).optional().orElse(null);
    }

    public record Member(UUID id, String username, String displayName, String role, java.time.Instant joinedAt) {}

    public List<Member> members(UUID communityId, String afterKey, int limit) {
        return db.sql("""
                        SELECT u.id, u.username, u.display_name, m.role, m.joined_at
                        FROM community_members m JOIN users u ON u.id = m.user_id
                        WHERE m.community_id = ? AND u.username_key > ?
                        ORDER BY u.username_key LIMIT ?""")
                .params(communityId, afterKey == null ? "" : afterKey, limit)
                .query((rs, n) -> new Member(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant()))
                .list();
    }

    /** A mute or ban in force: {@code until} null means for good. */
    public record Restriction(String kind, java.time.Instant until) {
        public String describe() {
            return (kind.equals("ban") ? "You are banned from this community" : "You are muted in this community")
                   + (until == null ? "" : " until " + until);
        }
    }

    /** Whether a write may go into the community now: archived (read-only until unarchived), the writer muted or banned. */
    public record Standing(boolean archived, Optional<Restriction> restriction) {
        public static final Standing OPEN = new Standing(false, Optional.empty());
    }

    /** The community's archiving and the user's mute or ban in force there, in one read. */
    public Standing standing(UUID communityId, UUID userId) {
        return db.sql("""
                        SELECT c.archived_at IS NOT NULL AS archived, r.kind, r.until
                        FROM communities c LEFT JOIN community_restrictions r
                             ON r.community_id = c.id AND r.user_id = ? AND (r.until IS NULL OR r.until > now())
                        WHERE c.id = ?""")
                .params(userId, communityId)
                .query((rs, n) -> new Standing(rs.getBoolean("archived"), Optional.ofNullable(restriction(rs, "kind", "until"))))
                .optional().orElse(Standing.OPEN);
    }

    /** The user's mute or ban in this community, if one is in force now. */
    public Optional<Restriction> restriction(UUID communityId, UUID userId) {
        return db.sql("""
                        SELECT kind, until FROM community_restrictions
                        WHERE community_id = ? AND user_id = ? AND (until IS NULL OR until > now())""")
                .params(communityId, userId)
                .query((rs, n) -> restriction(rs, "kind", "until"))
                .optional();
    }

    private static Restriction restriction(ResultSet rs, String kind, String until) throws SQLException {
        return rs.getString(kind) == null ? null
                : new Restriction(rs.getString(kind), rs.getTimestamp(until) == null ? null : rs.getTimestamp(until).toInstant());
    }

    static CommunityJson row(ResultSet rs, int n) throws SQLException {
        return new CommunityJson(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("description"),
                rs.getString("rules"),
                Users.strings(rs.getArray("tags")), rs.getString("visibility"), rs.getString("join_policy"),
                rs.getBoolean("post_approval"), rs.getObject("owner_id", UUID.class), rs.getInt("member_count"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getTimestamp("archived_at") == null ? null : rs.getTimestamp("archived_at").toInstant(),
                rs.getString("my_role"), rs.getString("my_role") == null ? null : rs.getBoolean("my_muted"),
                "owner".equals(rs.getString("my_role")) || "moderator".equals(rs.getString("my_role"))
                        ? Users.strings(rs.getArray("banned_words")) : null,
                restriction(rs, "my_restriction", "my_restriction_until"));
    }
}
