package org.c18n.community;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the user-group views. */
@Component
public class Usergroups {
    private static final String SELECT = """
            SELECT g.id, g.community_id, g.name, g.created_by, g.created_at,
                   (SELECT count(*) FROM usergroup_members x WHERE x.usergroup_id = g.id) AS member_count
            FROM usergroups g
            """;

    private final JdbcClient db;

    public Usergroups(JdbcClient db) {
        this.db = db;
    }

    public record Usergroup(UUID id, UUID communityId, String name, UUID createdBy, Instant createdAt, int memberCount) {}

    public record Member(UUID id, String username, String displayName, Instant addedAt) {}

    public Optional<Usergroup> byId(UUID id) {
        return db.sql(SELECT + " WHERE g.id = ?").param(id).query(Usergroups::row).optional();
    }

    public boolean isMember(UUID usergroupId, UUID userId) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM usergroup_members WHERE usergroup_id = ? AND user_id = ?)")
                .params(usergroupId, userId).query(Boolean.class).single();
    }

    /** The groups {@code userId} belongs to, newest first. */
    public List<Usergroup> mine(UUID userId, UUID communityId, String afterId, int limit) {
        return db.sql(SELECT + """
                         WHERE g.id IN (SELECT usergroup_id FROM usergroup_members WHERE user_id = ?)
                           AND (CAST(? AS uuid) IS NULL OR g.community_id = ?)
                           AND (CAST(? AS uuid) IS NULL OR g.id < CAST(? AS uuid))
                         ORDER BY g.id DESC LIMIT ?""")
                .params(userId, communityId, communityId, afterId, afterId, limit)
                .query(Usergroups::row)
                .list();
    }

    public List<Member> members(UUID usergroupId) {
        return db.sql("""
                        SELECT u.id, u.username, u.display_name, m.added_at
                        FROM usergroup_members m JOIN users u ON u.id = m.user_id
                        WHERE m.usergroup_id = ? ORDER BY u.username_key""")
                .param(usergroupId)
                .query((rs, n) -> new Member(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }

    private static Usergroup row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Usergroup(rs.getObject("id", UUID.class), rs.getObject("community_id", UUID.class),
                rs.getString("name"), rs.getObject("created_by", UUID.class), rs.getTimestamp("created_at").toInstant(),
                rs.getInt("member_count"));
    }
}
