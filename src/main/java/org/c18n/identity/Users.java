package org.c18n.identity;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the users view. */
@Component
public class Users {
    private static final String COLUMNS =
            "id, username, email, password_hash, display_name, bio, interests, role, created_at, avatar_media_id";

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

    private static final Pattern MENTION =
            Pattern.compile("(?<![\\w@])@([A-Za-z0-9][A-Za-z0-9_.-]{2,31})");

    /** The usernames named as @username in a text (lower case, at most 20), in order, each once. */
    private static Set<String> mentionedNames(String text) {
        Set<String> names = new LinkedHashSet<>();
        var matcher = MENTION.matcher(text == null ? "" : text);
        while (matcher.find() && names.size() < 20) {
            names.add(matcher.group(1).replaceAll("[.]+$", "").toLowerCase());
        }
        return names;
    }

    /**
     * The people named in {@code text} who are told of it: not who blocked the author, and only those
     * {@code told} accepts (who may see it). The author naming themself is kept (nobody is notified of
     * what they did).
     */
    public List<UUID> mentioned(String text, UUID author, Predicate<UserView> told) {
        Set<String> names = mentionedNames(text);
        if (names.isEmpty()) {
            return List.of();
        }
        Set<UUID> blockers = blockersOf(author);
        return names.stream().map(this::byUsername).flatMap(Optional::stream)
                .filter(u -> !blockers.contains(u.id()) && told.test(u))
                .map(UserView::id).distinct().toList();
    }

    /** The URL of the user's avatar (add {@code ?size=48} or {@code 256}): their image, or a generated default. */
    public static String avatarUrl(UUID userId) {
        return "/api/v1/users/" + userId + "/avatar";
    }

    /** The people {@code userId} has blocked, most recent first. */
    public List<UserView> blockedBy(UUID userId) {
        return db.sql("SELECT " + prefixed("u") + " FROM user_blocks b JOIN users u ON u.id = b.blocked_id"
                        + " WHERE b.user_id = ? ORDER BY b.created_at DESC LIMIT 1000")
                .param(userId).query(Users::row).list();
    }

    /** Whether {@code blocker} has blocked {@code blocked}. */
    public boolean hasBlocked(UUID blocker, UUID blocked) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM user_blocks WHERE user_id = ? AND blocked_id = ?)")
                .params(blocker, blocked).query(Boolean.class).single();
    }

    /** Whether either of the two has blocked the other. */
    public boolean eitherBlocked(UUID a, UUID b) {
        return db.sql("""
                SELECT EXISTS (SELECT 1 FROM user_blocks WHERE (user_id = ? AND blocked_id = ?)
                                                          OR (user_id = ? AND blocked_id = ?))""")
                .params(a, b, b, a).query(Boolean.class).single();
    }

    /** Whom {@code userId} has blocked. */
    public Set<UUID> blockedIds(UUID userId) {
        return new HashSet<>(db.sql("SELECT blocked_id FROM user_blocks WHERE user_id = ?").param(userId)
                .query(UUID.class).list());
    }

    /** Who has blocked {@code userId}. */
    public Set<UUID> blockersOf(UUID userId) {
        return new HashSet<>(db.sql("SELECT user_id FROM user_blocks WHERE blocked_id = ?").param(userId)
                .query(UUID.class).list());
    }

    private static String prefixed(String alias) {
        return Arrays.stream(COLUMNS.split(", ")).map(c -> alias + "." + c)
                .collect(Collectors.joining(", "));
    }

    public static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static UserView row(ResultSet rs, int n) throws SQLException {
        return new UserView(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("email"),
                rs.getString("password_hash"), rs.getString("display_name"), rs.getString("bio"),
                strings(rs.getArray("interests")), rs.getString("role"),
                rs.getTimestamp("created_at").toInstant(), rs.getObject("avatar_media_id", UUID.class));
    }

    public static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
