package org.c18n.reaction;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Emoji reactions, which posts, comments and chat messages share: the small set people may react
 * with, the emoji_reactions view (one row per person, emoji and thing) and its summary as the API
 * shows it. Each feature owns its events and rights; this is only the part that is the same for all.
 */
public final class EmojiReactions {
    /** The set offered and accepted, in the order the picker shows it. */
    public static final List<String> ALLOWED = List.of("👍", "❤️", "😂", "🎉", "😮", "😢", "🙏", "👀");

    /** Who is named on hover: the first people to react, not thousands. */
    public static final int NAMED = 20;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<Summary>> SUMMARIES = new TypeReference<>() {};

    private EmojiReactions() {}

    /** One emoji on one thing: how many, the first {@value #NAMED} usernames in the order they reacted, and whether the caller did. */
    public record Summary(String emoji, int count, List<String> people, boolean mine) {}

    /**
     * The allowed emoji as stored; a client may leave out the emoji presentation selector (U+FE0F),
     * as keyboards often do.
     */
    public static Optional<String> canonical(String emoji) {
        if (emoji == null) {
            return Optional.empty();
        }
        String bare = emoji.replace("\uFE0F", "");
        return ALLOWED.stream().filter(allowed -> allowed.replace("\uFE0F", "").equals(bare)).findFirst();
    }

    /**
     * A select-list column {@code emojis} (JSON text) summarising the reactions to the thing whose
     * id is the SQL expression {@code target}, for the caller bound as {@code :me} (may be null).
     * Emoji appear in the order they were first used on the thing.
     */
    public static String summaryColumn(String target) {
        return """
                (SELECT json_agg(json_build_object('emoji', s.emoji, 'count', s.n, 'people', s.people,
                                                   'mine', coalesce(s.mine, false)) ORDER BY s.first_at)
                 FROM (SELECT r.emoji, count(*) AS n, array_agg(r.username ORDER BY r.nth) FILTER (WHERE r.nth <= %d) AS people,
                              bool_or(r.user_id = CAST(:me AS uuid)) AS mine, min(r.at) AS first_at
                       FROM (SELECT e.emoji, e.user_id, e.at, u.username,
                                    row_number() OVER (PARTITION BY e.emoji ORDER BY e.at, u.username) AS nth
                             FROM emoji_reactions e JOIN users u ON u.id = e.user_id
                             WHERE e.target_id = %s) r
                       GROUP BY r.emoji) s) AS emojis""".formatted(NAMED, target);
    }

    /** Reads the column {@link #summaryColumn} selected. */
    public static List<Summary> read(ResultSet rs) throws SQLException {
        String json = rs.getString("emojis");
        return json == null ? List.of() : JSON.readValue(json, SUMMARIES);
    }

    /** For projections: records the reaction; false when it was there already (a replayed or repeated add). */
    public static boolean add(JdbcClient db, UUID target, UUID user, String emoji, Timestamp at) {
        return db.sql("""
                INSERT INTO emoji_reactions (target_id, user_id, emoji, at) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING""").params(target, user, emoji, at).update() > 0;
    }

    /** For projections: false when there was no such reaction. */
    public static boolean remove(JdbcClient db, UUID target, UUID user, String emoji) {
        return db.sql("DELETE FROM emoji_reactions WHERE target_id = ? AND user_id = ? AND emoji = ?")
                .params(target, user, emoji).update() > 0;
    }
}
