package org.c18n.community;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the invites view. */
@Component
public class Invites {
    private static final String SELECT = """
            SELECT i.id, i.community_id, c.name AS community_name, i.inviter_id, u.username AS inviter_username,
                   i.invitee_id, i.status, i.created_at, i.responded_at
            FROM invites i JOIN communities c ON c.id = i.community_id JOIN users u ON u.id = i.inviter_id
            """;

    private final JdbcClient db;

    public Invites(JdbcClient db) {
        this.db = db;
    }

    public record Invite(UUID id, UUID communityId, String communityName, UUID inviterId, String inviterUsername,
                         UUID inviteeId, String status, Instant createdAt, Instant respondedAt) {}

    public Optional<Invite> byId(UUID id) {
        return db.sql(SELECT + " WHERE i.id = ?").param(id).query(Invites::row).optional();
    }

    /** The invites addressed to {@code userId}: pending first, then newest first. */
    public List<Invite> mine(UUID userId, int offset, int limit) {
        return db.sql(SELECT + """
                         WHERE i.invitee_id = ?
                         ORDER BY (i.status = 'pending') DESC, i.created_at DESC, i.id DESC OFFSET ? LIMIT ?""")
                .params(userId, offset, limit)
                .query(Invites::row)
                .list();
    }

    static Invite row(ResultSet rs, int n) throws SQLException {
        var responded = rs.getTimestamp("responded_at");
        return new Invite(rs.getObject("id", UUID.class), rs.getObject("community_id", UUID.class),
                rs.getString("community_name"), rs.getObject("inviter_id", UUID.class),
                rs.getString("inviter_username"), rs.getObject("invitee_id", UUID.class), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(), responded == null ? null : responded.toInstant());
    }
}
