package org.c18n.post;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.c18n.eventlog.Event;
import org.c18n.projection.ProjectionStore;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs of new posts, comments or reactions applied in a few statements: what each event's checks
 * read is read once for the whole run, the verdicts and the changes are worked out in order in
 * memory (a reply to a comment earlier in the run, a reaction changed twice), and the rows and
 * counts are written at the end. The rows are the ones {@link PostProjection#apply} writes one
 * event at a time; an event it would refuse is refused here for the same reason.
 */
final class PostRuns {
    private PostRuns() {}

    /** New posts (never refused): one statement. */
    static Map<UUID, String> posts(List<Event> events, ObjectMapper json, JdbcClient db) {
        int n = events.size();
        UUID[] ids = new UUID[n];
        UUID[] communities = new UUID[n];
        UUID[] usergroups = new UUID[n];
        UUID[] authors = new UUID[n];
        String[] titles = new String[n];
        String[] bodies = new String[n];
        String[] tags = new String[n];
        String[] media = new String[n];
        String[] statuses = new String[n];
        String[] ats = new String[n];
        for (int i = 0; i < n; i++) {
            var e = events.get(i).data(PostEvents.Created.class);
            ids[i] = e.postId();
            communities[i] = e.communityId();
            usergroups[i] = e.usergroupId();
            authors[i] = e.authorId();
            titles[i] = e.title();
            bodies[i] = e.body();
            // Lists of each row's own length: JSON, unpacked in order by the statement.
            tags[i] = json.writeValueAsString(e.tags());
            media[i] = json.writeValueAsString(e.mediaIds());
            statuses[i] = e.pending() ? "pending" : "published";
            ats[i] = ProjectionStore.timestampText(events.get(i).at());
        }
        db.sql("""
                        INSERT INTO posts (id, community_id, usergroup_id, author_id, title, body, tags, media_ids, status,
                                           created_at)
                        SELECT id, community_id, usergroup_id, author_id, title, body,
                               ARRAY(SELECT t FROM jsonb_array_elements_text(tags::jsonb) WITH ORDINALITY AS x(t, i) ORDER BY i),
                               ARRAY(SELECT m::uuid FROM jsonb_array_elements_text(media::jsonb) WITH ORDINALITY AS x(m, i)
                                     ORDER BY i),
                               status, at::timestamptz
                        FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[],
                                    ?::text[], ?::text[])
                             AS batch(id, community_id, usergroup_id, author_id, title, body, tags, media, status, at)""")
                .params(ids, communities, usergroups, authors, titles, bodies, tags, media, statuses, ats)
                .update();
        return Map.of();
    }

    /** Where a comment sits: its post and its depth in the thread. */
    private record Placed(UUID post, int depth) {}

    /**
     * New comments: one under a post that is not live, or answering a comment of another post (or
     * none), is refused; the rest are one insert, and each post's count moves once.
     */
    static Map<UUID, String> comments(List<Event> events, JdbcClient db) {
        List<PostEvents.CommentCreated> created = events.stream().map(e -> e.data(PostEvents.CommentCreated.class)).toList();
        Set<UUID> livePosts = livePosts(db, created.stream().map(PostEvents.CommentCreated::postId));
        Map<UUID, Placed> placed = new HashMap<>();
        db.sql("SELECT id, post_id, depth FROM comments WHERE id = ANY (?)")
                .param(created.stream().map(PostEvents.CommentCreated::parentId).filter(Objects::nonNull).toArray(UUID[]::new))
                .query((rs, n) -> placed.put(rs.getObject(1, UUID.class), new Placed(rs.getObject(2, UUID.class), rs.getInt(3))))
                .list();
        Map<UUID, String> refused = new HashMap<>();
        List<Integer> accepted = new ArrayList<>();
        Map<UUID, Integer> added = new LinkedHashMap<>();
        for (int i = 0; i < created.size(); i++) {
            var c = created.get(i);
            Placed parent = c.parentId() == null ? null : placed.get(c.parentId());
            if (!livePosts.contains(c.postId()) || c.parentId() != null && (parent == null || !parent.post().equals(c.postId()))) {
                refused.put(events.get(i).id(), "not-found");
                continue;
            }
            placed.put(c.commentId(), new Placed(c.postId(), parent == null ? 0 : parent.depth() + 1));
            added.merge(c.postId(), 1, Integer::sum);
            accepted.add(i);
        }
        if (accepted.isEmpty()) {
            return refused;
        }
        int n = accepted.size();
        UUID[] ids = new UUID[n];
        UUID[] posts = new UUID[n];
        UUID[] parents = new UUID[n];
        UUID[] authors = new UUID[n];
        String[] bodies = new String[n];
        int[] depthOf = new int[n];
        String[] ats = new String[n];
        for (int k = 0; k < n; k++) {
            int i = accepted.get(k);
            var c = created.get(i);
            ids[k] = c.commentId();
            posts[k] = c.postId();
            parents[k] = c.parentId();
            authors[k] = c.authorId();
            bodies[k] = c.body();
            depthOf[k] = placed.get(c.commentId()).depth();
            ats[k] = ProjectionStore.timestampText(events.get(i).at());
        }
        db.sql("""
                        INSERT INTO comments (id, post_id, parent_id, author_id, body, depth, status, created_at)
                        SELECT id, post_id, parent_id, author_id, body, depth, 'published', at::timestamptz
                        FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::int[], ?::text[])
                             AS batch(id, post_id, parent_id, author_id, body, depth, at)""")
                .params(ids, posts, parents, authors, bodies, depthOf, ats)
                .update();
        db.sql("""
                        UPDATE posts SET comment_count = comment_count + added.n
                        FROM unnest(?::uuid[], ?::int[]) AS added(id, n) WHERE posts.id = added.id""")
                .params(added.keySet().toArray(UUID[]::new), added.values().stream().mapToInt(Integer::intValue).toArray())
                .update();
        return refused;
    }

    /** One person's reaction to one post or comment. */
    private record Reactor(UUID target, UUID user) {}

    /**
     * Likes and dislikes: each is checked against the target's liveness and the person's reaction
     * so far in the run; the last reaction each person has is written (or removed) once, and each
     * target's counts move once by the sum of the changes.
     */
    static Map<UUID, String> reactions(List<Event> events, JdbcClient db) {
        List<PostEvents.ReactionSet> sets = events.stream().map(e -> e.data(PostEvents.ReactionSet.class)).toList();
        Set<UUID> livePosts = livePosts(db, sets.stream().filter(s -> s.targetId().equals(s.postId()))
                .map(PostEvents.ReactionSet::targetId));
        Map<UUID, UUID> liveComments = new HashMap<>(); // comment -> its post
        db.sql("SELECT id, post_id FROM comments WHERE id = ANY (?) AND status = 'published'")
                .param(sets.stream().filter(s -> !s.targetId().equals(s.postId())).map(PostEvents.ReactionSet::targetId)
                        .distinct().toArray(UUID[]::new))
                .query((rs, n) -> liveComments.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .list();
        Map<Reactor, String> kinds = new HashMap<>();
        db.sql("""
                        SELECT r.target_id, r.user_id, r.kind
                        FROM reactions r JOIN unnest(?::uuid[], ?::uuid[]) AS asked(target_id, user_id) USING (target_id, user_id)""")
                .params(sets.stream().map(PostEvents.ReactionSet::targetId).toArray(UUID[]::new),
                        sets.stream().map(PostEvents.ReactionSet::userId).toArray(UUID[]::new))
                .query((rs, n) -> kinds.put(new Reactor(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)), rs.getString(3)))
                .list();

        Map<UUID, String> refused = new HashMap<>();
        Map<Reactor, Instant> changed = new LinkedHashMap<>();
        Map<UUID, int[]> postCounts = new LinkedHashMap<>();
        Map<UUID, int[]> commentCounts = new LinkedHashMap<>();
        for (int i = 0; i < sets.size(); i++) {
            var s = sets.get(i);
            if (!PostProjection.REACTION_KINDS.contains(s.kind())) {
                refused.put(events.get(i).id(), "invalid");
                continue;
            }
            boolean onPost = s.targetId().equals(s.postId());
            UUID postOfComment = liveComments.get(s.targetId());
            if (onPost ? !livePosts.contains(s.targetId()) : postOfComment == null || !postOfComment.equals(s.postId())) {
                refused.put(events.get(i).id(), "not-found");
                continue;
            }
            Reactor reactor = new Reactor(s.targetId(), s.userId());
            String previous = kinds.getOrDefault(reactor, "none");
            if (previous.equals(s.kind())) {
                continue;
            }
            kinds.put(reactor, s.kind());
            changed.put(reactor, events.get(i).at());
            int[] counts = (onPost ? postCounts : commentCounts).computeIfAbsent(s.targetId(), t -> new int[2]);
            counts[0] += PostProjection.delta("like", previous, s.kind());
            counts[1] += PostProjection.delta("dislike", previous, s.kind());
        }

        List<Reactor> kept = changed.keySet().stream().filter(r -> !kinds.get(r).equals("none")).toList();
        List<Reactor> removed = changed.keySet().stream().filter(r -> kinds.get(r).equals("none")).toList();
        if (!kept.isEmpty()) {
            db.sql("""
                            INSERT INTO reactions (target_id, user_id, kind, at)
                            SELECT target_id, user_id, kind, at::timestamptz
                            FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[]) AS batch(target_id, user_id, kind, at)
                            ON CONFLICT (target_id, user_id) DO UPDATE SET kind = excluded.kind, at = excluded.at""")
                    .params(kept.stream().map(Reactor::target).toArray(UUID[]::new),
                            kept.stream().map(Reactor::user).toArray(UUID[]::new),
                            kept.stream().map(kinds::get).toArray(String[]::new),
                            kept.stream().map(r -> ProjectionStore.timestampText(changed.get(r))).toArray(String[]::new))
                    .update();
        }
        if (!removed.isEmpty()) {
            db.sql("""
                            DELETE FROM reactions USING unnest(?::uuid[], ?::uuid[]) AS gone(target_id, user_id)
                            WHERE reactions.target_id = gone.target_id AND reactions.user_id = gone.user_id""")
                    .params(removed.stream().map(Reactor::target).toArray(UUID[]::new),
                            removed.stream().map(Reactor::user).toArray(UUID[]::new))
                    .update();
        }
        addCounts(db, "posts", postCounts);
        addCounts(db, "comments", commentCounts);
        return refused;
    }

    private static Set<UUID> livePosts(JdbcClient db, java.util.stream.Stream<UUID> ids) {
        return new HashSet<>(db.sql("SELECT id FROM posts WHERE id = ANY (?) AND status <> 'deleted'")
                .param(ids.filter(Objects::nonNull).distinct().toArray(UUID[]::new)).query(UUID.class).list());
    }

    /** Moves each target's like and dislike counts by the sums of its changes. */
    private static void addCounts(JdbcClient db, String table, Map<UUID, int[]> counts) {
        if (counts.isEmpty()) {
            return;
        }
        db.sql("UPDATE " + table + " SET like_count = like_count + moved.likes, dislike_count = dislike_count + moved.dislikes"
                        + " FROM unnest(?::uuid[], ?::int[], ?::int[]) AS moved(id, likes, dislikes) WHERE " + table + ".id = moved.id")
                .params(counts.keySet().toArray(UUID[]::new), counts.values().stream().mapToInt(c -> c[0]).toArray(),
                        counts.values().stream().mapToInt(c -> c[1]).toArray())
                .update();
    }
}
