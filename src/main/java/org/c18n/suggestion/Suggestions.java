package org.c18n.suggestion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Communities a user may like, from what the views say about them right now: the tags of the
 * communities they joined (weight 2), of their interests (1.5) and of the posts they liked or
 * commented on (1 each), matched against other communities' tags; and co-membership, the members
 * of a community they joined who also joined another (1.5 per such member). Joined and private
 * communities are never suggested. Each suggestion says its strongest reason.
 */
@Component
public class Suggestions {
    private static final double SHARED_MEMBER = 1.5;

    private final JdbcClient db;

    public Suggestions(JdbcClient db) {
        this.db = db;
    }

    public record Community(UUID id, String name, String description, List<String> tags, int memberCount) {}

    public record Suggestion(Community community, String reason, double score) {}

    private record Reason(String text, double weight) {}

    public List<Suggestion> communities(UUID me, int limit) {
        Map<UUID, Double> scores = new HashMap<>();
        Map<UUID, Reason> best = new HashMap<>();
        db.sql("""
                        WITH mine AS (SELECT community_id FROM community_members WHERE user_id = :me),
                        my_tags AS (
                            SELECT unnest(c.tags) AS tag, 2.0 AS weight FROM communities c JOIN mine m ON m.community_id = c.id
                            UNION ALL SELECT unnest(interests), 1.5 FROM users WHERE id = :me
                            UNION ALL SELECT unnest(p.tags), 1.0 FROM reactions r JOIN posts p ON p.id = r.target_id
                                      WHERE r.user_id = :me AND r.kind = 'like'
                            UNION ALL SELECT unnest(p.tags), 1.0 FROM comments k JOIN posts p ON p.id = k.post_id
                                      WHERE k.author_id = :me AND k.status = 'published'),
                        weights AS (SELECT lower(tag) AS tag, sum(weight) AS weight FROM my_tags GROUP BY lower(tag))
                        SELECT c.id, w.tag, w.weight
                        FROM communities c CROSS JOIN LATERAL unnest(c.tags) AS t(tag) JOIN weights w ON w.tag = lower(t.tag)
                        WHERE c.visibility = 'public' AND c.id NOT IN (SELECT community_id FROM mine)""")
                .param("me", me)
                .query((rs, n) -> {
                    add(scores, best, rs.getObject(1, UUID.class), "popular in #" + rs.getString(2), rs.getDouble(3));
                    return null;
                }).list();
        db.sql("""
                        WITH mine AS (SELECT community_id FROM community_members WHERE user_id = :me)
                        SELECT other.community_id, x.name, count(*)
                        FROM mine m
                          JOIN communities x ON x.id = m.community_id
                          JOIN community_members peer ON peer.community_id = m.community_id AND peer.user_id <> :me
                          JOIN community_members other ON other.user_id = peer.user_id
                          JOIN communities c ON c.id = other.community_id
                        WHERE c.visibility = 'public' AND c.id NOT IN (SELECT community_id FROM mine)
                        GROUP BY other.community_id, x.name""")
                .param("me", me)
                .query((rs, n) -> {
                    add(scores, best, rs.getObject(1, UUID.class), "because you joined " + rs.getString(2),
                            SHARED_MEMBER * rs.getLong(3));
                    return null;
                }).list();
        List<UUID> top = scores.entrySet().stream()
                .sorted(Map.Entry.<UUID, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).map(Map.Entry::getKey).toList();
        if (top.isEmpty()) {
            return List.of();
        }
        Map<UUID, Community> communities = new HashMap<>();
        db.sql("SELECT id, name, description, tags, member_count FROM communities WHERE id = ANY (?)")
                .param(top.toArray(UUID[]::new))
                .query((rs, n) -> communities.put(rs.getObject(1, UUID.class), new Community(rs.getObject(1, UUID.class),
                        rs.getString(2), rs.getString(3), List.of((String[]) rs.getArray(4).getArray()), rs.getInt(5))))
                .list();
        List<Suggestion> suggestions = new ArrayList<>();
        for (UUID id : top) {
            suggestions.add(new Suggestion(communities.get(id), best.get(id).text(), Math.round(scores.get(id) * 10) / 10.0));
        }
        suggestions.sort(Comparator.comparingDouble((Suggestion s) -> -s.score()).thenComparing(s -> s.community().name()));
        return suggestions;
    }

    private static void add(Map<UUID, Double> scores, Map<UUID, Reason> best, UUID community, String reason, double weight) {
        scores.merge(community, weight, Double::sum);
        Reason current = best.get(community);
        if (current == null || weight > current.weight()) {
            best.put(community, new Reason(reason, weight));
        }
    }
}
