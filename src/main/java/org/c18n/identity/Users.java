package org.c18n.identity;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the users view. */
@Component
public class Users {
    private static final String COLUMNS =
            "id, username, email, password_hash, display_name, bio, interests, role, created_at";

    private final JdbcClient db;

    public Users(JdbcClient db) {
        this.db = db;
    }

    public Optional<UserView> byId(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE id = ?").param(id).query(Users::row).optional();
    }

    public Optional<UserView> byUsername(String username) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE username_key = ?").param(username.toLowerCase())
                .query(Users::row).optional();
    }

    /** The account a person names by its username or its e-mail address. */
    public Optional<UserView> byLogin(String login) {
        String key = login.strip().toLowerCase();
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE username_key = ? OR email_key = ? LIMIT 1")
                .params(key, key).query(Users::row).optional();
    }

    public Optional<UserView> byOidc(String issuer, String subject) {
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE oidc_issuer = ? AND oidc_subject = ?")
                .params(issuer, subject).query(Users::row).optional();
    }

    /** Whether the user's current e-mail address was confirmed through its mailed link. */
    public boolean emailVerified(UUID id) {
        return db.sql("SELECT email_verified_at IS NOT NULL FROM users WHERE id = ?").param(id).query(Boolean.class)
                .optional().orElse(false);
    }

    public boolean usernameTaken(String username) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM users WHERE username_key = ?)").param(username.toLowerCase())
                .query(Boolean.class).single();
    }

    public boolean emailTaken(String email) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM users WHERE email_key = ?)").param(email.toLowerCase())
                .query(Boolean.class).single();
    }

    public boolean anyAdmin() {
        return db.sql("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin')").query(Boolean.class).single();
    }

    /** Users whose username or display name contains {@code q}, by username, after {@code afterKey}. */
    public List<UserView> search(String q, String afterKey, int limit) {
        String pattern = "%" + (q == null ? "" : likeEscape(q.toLowerCase())) + "%";
        return db.sql("SELECT " + COLUMNS + " FROM users WHERE (username_key LIKE ? OR lower(display_name) LIKE ?)"
                        + " AND username_key > ? ORDER BY username_key LIMIT ?")
                .params(pattern, pattern, afterKey == null ? "" : afterKey, limit)
                .query(Users::row).list();
    }

    public static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static UserView row(ResultSet rs, int n) throws SQLException {
        return new UserView(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("email"),
                rs.getString("password_hash"), rs.getString("display_name"), rs.getString("bio"),
                strings(rs.getArray("interests")), rs.getString("role"),
                rs.getTimestamp("created_at").toInstant());
    }

    public static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
