package org.c18n.search;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.c18n.eventlog.Event;
import org.c18n.identity.UserEvents;
import org.c18n.post.PostEvents;
import org.c18n.post.PostJson;
import org.c18n.web.CurrentUser;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The names a page of hits refers to (people, communities, posts, rooms), as the views hold them.
 * They are kept in the node ({@link KeptUntilChanged}), since they rarely change and every page of
 * hits asks for ten or so: dropped when the indexer reads an event that changes one (a display
 * name, an erasure, a post's title; community, group and user names are fixed).
 */
@Component
class HitNames {
    record Names(Map<UUID, PostJson.Author> people, Map<UUID, String> communities, Map<UUID, String> posts,
                 Map<UUID, String> rooms) {}

    /** A direct conversation's two people. */
    private record Pair(UUID a, UUID b) {
        UUID other(UUID me) {
            return a.equals(me) ? b : a;
        }
    }

    private final JdbcClient db;
    /** Id → a person, a community's or group's name, a post's title, or a direct conversation's pair. */
    private final KeptUntilChanged<UUID, Object> kept = new KeptUntilChanged<>(200_000);

    HitNames(JdbcClient db) {
        this.db = db;
    }

    /**
     * Authors, communities (of the hits and of the community facet), posts commented on and rooms
     * (a group's name, or for a direct conversation the other person's username): what is not kept
     * is read in one round trip.
     */
    Names of(List<SearchDoc> docs, List<UUID> facetCommunities, CurrentUser me) {
        Set<UUID> people = ids(docs.stream().map(SearchDoc::author));
        Set<UUID> communities = ids(Stream.concat(docs.stream().map(SearchDoc::community), facetCommunities.stream()));
        Set<UUID> posts = ids(docs.stream().map(SearchDoc::post));
        Set<UUID> rooms = ids(docs.stream().map(SearchDoc::room));
        Map<UUID, Object> found = new HashMap<>();
        Set<UUID> missing = new HashSet<>();
        Stream.of(people, communities, posts, rooms).flatMap(Set::stream).forEach(id -> {
            Object value = kept.get(id);
            if (value != null) {
                found.put(id, value);
            } else {
                missing.add(id);
            }
        });
        for (UUID room : rooms) { // the other person of a known conversation may not be known
            if (found.get(room) instanceof Pair pair && !found.containsKey(pair.other(me.id()))) {
                missing.add(pair.other(me.id()));
            }
        }
        if (!missing.isEmpty()) {
            found.putAll(read(missing.toArray(UUID[]::new)));
        }
        Names names = new Names(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
        people.forEach(id -> putAuthor(names.people(), found.get(id)));
        communities.forEach(id -> putName(names.communities(), id, found.get(id)));
        posts.forEach(id -> putName(names.posts(), id, found.get(id)));
        rooms.forEach(id -> {
            if (found.get(id) instanceof Pair pair) {
                Object other = found.get(pair.other(me.id()));
                putAuthor(names.people(), other);
                if (other instanceof PostJson.Author author) {
                    names.rooms().put(id, author.username());
                }
            } else {
                putName(names.rooms(), id, found.get(id));
            }
        });
        return names;
    }

    private static void putAuthor(Map<UUID, PostJson.Author> people, Object value) {
        if (value instanceof PostJson.Author author) {
            people.put(author.id(), author);
        }
    }

    private static void putName(Map<UUID, String> names, UUID id, Object value) {
        if (value instanceof String name) {
            names.put(id, name);
        }
    }

    /**
     * The names of {@code ids}, whatever each is (ids are unique across kinds), and both people of
     * each direct conversation among them.
     */
    private Map<UUID, Object> read(UUID[] ids) {
        KeptUntilChanged.Reading reading = kept.reading();
        Map<UUID, Object> read = new HashMap<>();
        db.sql("""
                        SELECT 'u', id, username, display_name FROM users
                        WHERE id = ANY (:ids)
                           OR id IN (SELECT user_a FROM direct_rooms WHERE id = ANY (:ids)
                                     UNION ALL SELECT user_b FROM direct_rooms WHERE id = ANY (:ids))
                        UNION ALL SELECT 'n', id, name, NULL FROM communities WHERE id = ANY (:ids)
                        UNION ALL SELECT 'n', id, coalesce(title, ''), NULL FROM posts WHERE id = ANY (:ids)
                        UNION ALL SELECT 'n', id, name, NULL FROM usergroups WHERE id = ANY (:ids)
                        UNION ALL SELECT 'd', id, user_a::text, user_b::text FROM direct_rooms WHERE id = ANY (:ids)""")
                .param("ids", ids)
                .query((rs, n) -> {
                    UUID id = rs.getObject(2, UUID.class);
                    read.put(id, switch (rs.getString(1)) {
                        case "u" -> new PostJson.Author(id, rs.getString(3), rs.getString(4));
                        case "d" -> new Pair(UUID.fromString(rs.getString(3)), UUID.fromString(rs.getString(4)));
                        default -> rs.getString(3);
                    });
                    return id;
                }).list();
        read.forEach((id, value) -> kept.keep(reading, id, value));
        return read;
    }

    /** Drops the names the event changes; the indexer calls it for every event it reads. */
    void changedBy(Event event) {
        UUID changed = switch (event.type()) {
            case UserEvents.PROFILE_UPDATED -> event.data(UserEvents.ProfileUpdated.class).userId();
            case UserEvents.ERASED -> event.data(UserEvents.Erased.class).userId();
            case PostEvents.EDITED -> event.data(PostEvents.Edited.class).postId();
            default -> null;
        };
        if (changed != null) {
            kept.forget(changed);
        }
    }

    private static Set<UUID> ids(Stream<UUID> ids) {
        Set<UUID> set = new HashSet<>();
        ids.filter(java.util.Objects::nonNull).forEach(set::add);
        return set;
    }
}
