package org.c18n.search;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.post.PostJson;
import org.c18n.web.CurrentUser;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The names a page of hits refers to (people, communities, posts, rooms), as the views hold them now. */
@Component
class HitNames {
    private final JdbcClient db;

    HitNames(JdbcClient db) {
        this.db = db;
    }

    record Names(Map<UUID, PostJson.Author> people, Map<UUID, String> communities, Map<UUID, String> posts,
                         Map<UUID, String> rooms) {}

    /**
     * Authors, communities (of the hits and of the community facet), posts commented on and rooms
     * (a group's name, or for a direct conversation the other person's username): one round trip.
     */
    Names of(List<SearchDoc> docs, List<UUID> facetCommunities, CurrentUser me) {
        Names names = new Names(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
        UUID[] people = ids(docs.stream().map(SearchDoc::author));
        UUID[] communities = ids(java.util.stream.Stream.concat(docs.stream().map(SearchDoc::community), facetCommunities.stream()));
        UUID[] posts = ids(docs.stream().map(SearchDoc::post));
        UUID[] rooms = ids(docs.stream().map(SearchDoc::room));
        if (people.length + communities.length + posts.length + rooms.length == 0) {
            return names;
        }
        db.sql("""
                        SELECT 'u', id, username, display_name FROM users WHERE id = ANY (:people)
                        UNION ALL SELECT 'c', id, name, NULL FROM communities WHERE id = ANY (:communities)
                        UNION ALL SELECT 'p', id, coalesce(title, ''), NULL FROM posts WHERE id = ANY (:posts)
                        UNION ALL SELECT 'r', id, name, NULL FROM usergroups WHERE id = ANY (:rooms)
                        UNION ALL SELECT 'r', d.id, u.username, NULL FROM direct_rooms d
                          JOIN users u ON u.id = CASE WHEN d.user_a = :me THEN d.user_b ELSE d.user_a END
                        WHERE d.id = ANY (:rooms)""")
                .param("people", people).param("communities", communities).param("posts", posts).param("rooms", rooms)
                .param("me", me.id())
                .query((rs, n) -> {
                    UUID id = rs.getObject(2, UUID.class);
                    switch (rs.getString(1)) {
                        case "u" -> names.people().put(id, new PostJson.Author(id, rs.getString(3), rs.getString(4)));
                        case "c" -> names.communities().put(id, rs.getString(3));
                        case "p" -> names.posts().put(id, rs.getString(3));
                        default -> names.rooms().put(id, rs.getString(3));
                    }
                    return id;
                }).list();
        return names;
    }

    private static UUID[] ids(java.util.stream.Stream<UUID> ids) {
        return ids.filter(java.util.Objects::nonNull).distinct().toArray(UUID[]::new);
    }
}
