package org.c18n.post;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.c18n.community.Communities;
import org.c18n.community.CommunityJson;
import org.c18n.community.Usergroups;
import org.c18n.identity.UserView;
import org.c18n.identity.Users;
import org.c18n.media.Media;
import org.c18n.media.MediaJson;
import org.c18n.web.CurrentUser;
import org.c18n.web.Page;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads of the posts view with the rules of who may read what. */
@Component
public class Posts {
    /** Held posts stay in the feeds of their authors and of the community's moderators only. */
    private static final String NOT_HELD_FOR_ME = "(p.author_id = :me OR cm.role IN ('owner', 'moderator') OR NOT "
                                                  + PostRow.heldWhere("p") + ")";

    private final JdbcClient db;
    private final Communities communities;
    private final Usergroups usergroups;
    private final Media media;
    private final Users users;

    public Posts(JdbcClient db, Communities communities, Usergroups usergroups, Media media, Users users) {
        this.db = db;
        this.users = users;
        this.communities = communities;
        this.usergroups = usergroups;
        this.media = media;
    }

    Optional<PostRow> row(UUID id, UUID me) {
        return db.sql(PostRow.SELECT + " WHERE p.id = :id").param("me", me).param("id", id).query(PostRow::map).optional();
    }

    /** Where a post is and who wrote it, for moderation. */
    public record Placement(UUID communityId, UUID authorId) {}

    /** The post's placement, when the caller may read it. */
    public Optional<Placement> placement(UUID postId, CurrentUser me) {
        return readable(postId, me).map(post -> new Placement(post.communityId(), post.author().id()));
    }

    /** Who wrote this live comment of the post (whose readability the caller has checked). */
    public Optional<UUID> commentAuthor(UUID postId, UUID commentId) {
        return db.sql("SELECT author_id FROM comments WHERE id = ? AND post_id = ? AND status = 'published'")
                .params(commentId, postId).query(UUID.class).optional();
    }

    /** The community's archiving and the writer's mute or ban there (posts in user-groups have neither). */
    Communities.Standing standing(UUID communityId, CurrentUser me) {
        return communityId == null ? Communities.Standing.OPEN : communities.standing(communityId, me.id());
    }

    /**
     * The post if the caller may read it: published in a community they may see or a group they
     * are in; pending, rejected or held only for its author and the community's moderators. Anything
     * else is empty, as if it did not exist.
     */
    Optional<PostRow> readable(UUID id, CurrentUser me) {
        return row(id, me.id()).filter(p -> mayRead(p, me));
    }

    boolean mayRead(PostRow p, CurrentUser me) {
        if (p.status().equals("deleted")) {
            return false;
        }
        if ((!p.status().equals("published") || p.held()) && !p.author().id().equals(me.id()) && !mayModerate(p, me)) {
            return false;
        }
        return mayReadIn(p.usergroupId(), p.communityVisibility(), p.myCommunityRole(), me);
    }

    /** Who may read what is published in a user-group or in a community (of this visibility, where they have this role). */
    private boolean mayReadIn(UUID usergroupId, String communityVisibility, String communityRole, CurrentUser me) {
        if (usergroupId != null) {
            return me.admin() || usergroups.isMember(usergroupId, me.id());
        }
        return communityVisibility != null
                && (communityVisibility.equals("public") || communityRole != null || me.admin());
    }

    private static CurrentUser reader(UserView user) {
        return new CurrentUser(user.id(), user.username(), user.admin());
    }

    /** Who a new post names as @username and may read it, once published (see {@link Users#mentioned}). */
    List<UUID> mentioned(String body, CommunityJson community, UUID usergroupId, CurrentUser author) {
        return users.mentioned(body, author.id(), u -> mayReadIn(usergroupId, community == null ? null : community.visibility(),
                community == null ? null : communities.role(community.id(), u.id()), reader(u)));
    }

    /** Who a new comment on {@code post} names as @username and may read the post. */
    List<UUID> mentioned(String body, PostRow post, CurrentUser author) {
        return users.mentioned(body, author.id(),
                u -> row(post.id(), u.id()).filter(p -> mayRead(p, reader(u))).isPresent());
    }

    boolean mayModerate(PostRow p, CurrentUser me) {
        if (me.admin()) {
            return true;
        }
        if (p.communityId() == null) {
            return false;
        }
        String role = p.myCommunityRole();
        return "owner".equals(role) || "moderator".equals(role);
    }

    /** Members take part (post, comment, react): of the post's community or user-group. */
    boolean mayTakePart(PostRow p, CurrentUser me) {
        return p.usergroupId() != null ? usergroups.isMember(p.usergroupId(), me.id())
                : p.myCommunityRole() != null;
    }

    List<PostRow> communityFeed(UUID communityId, UUID me, String status, Page.Position after, int limit) {
        return feed("p.community_id = :scope AND p.status = :status", communityId, me, status, after, limit);
    }

    List<PostRow> usergroupFeed(UUID usergroupId, UUID me, Page.Position after, int limit) {
        return feed("p.usergroup_id = :scope AND p.status = :status", usergroupId, me, "published", after, limit);
    }

    /**
     * Newest posts of every community the user joined, read on demand (fan-out on read; see
     * bench/README.md for why not a per-user feed table): the newest {@code limit} of each
     * community from its feed index, merged, and only the page's posts joined with their authors
     * and the caller's reactions, so the cost follows the number of communities, not of posts.
     * The limit is written into the statement (an int the API bounds to 2..101): with it as a
     * parameter PostgreSQL kept planning the statement afresh for every page (~1.2 ms, as much as
     * running it) instead of reusing its generic plan.
     */
    List<PostRow> homeFeed(UUID me, Page.Position after, int limit) {
        Instant afterAt = after == null ? Instant.parse("9999-12-31T00:00:00Z") : after.at();
        UUID afterId = after == null ? new UUID(-1L, -1L) : after.id();
        return db.sql("""
                        WITH newest AS (
                            SELECT latest.id FROM community_members m CROSS JOIN LATERAL (
                                SELECT q.id, q.created_at FROM posts q
                                WHERE q.community_id = m.community_id AND q.status = 'published'
                                  AND NOT %2$s
                                  AND (q.created_at, q.id) < (:afterAt, :afterId)
                                ORDER BY q.created_at DESC, q.id DESC LIMIT %1$d) latest
                            WHERE m.user_id = :me
                            ORDER BY latest.created_at DESC, latest.id DESC LIMIT %1$d)
                        """.formatted(limit, PostRow.heldWhere("q")) + PostRow.SELECT
                        + " WHERE p.id IN (SELECT id FROM newest) ORDER BY p.created_at DESC, p.id DESC")
                .param("me", me).param("afterAt", Timestamp.from(afterAt)).param("afterId", afterId)
                .query(PostRow::map).list();
    }

    /** The author's published posts, newest first (whoever may read them: the caller filters). */
    List<PostRow> byAuthor(UUID author, UUID me, Page.Position after, int limit) {
        return feed("p.author_id = :scope AND p.status = :status", author, me, "published", after, limit);
    }

    /** Newest first, from the position {@code after} of the previous page. */
    private List<PostRow> feed(String where, UUID scope, UUID me, String status, Page.Position after, int limit) {
        Instant afterAt = after == null ? Instant.parse("9999-12-31T00:00:00Z") : after.at();
        UUID afterId = after == null ? new UUID(-1L, -1L) : after.id();
        return db.sql(PostRow.SELECT + " WHERE " + where + " AND " + NOT_HELD_FOR_ME
                        + " AND (p.created_at, p.id) < (:afterAt, :afterId) ORDER BY p.created_at DESC, p.id DESC LIMIT :limit")
                .param("me", me).param("scope", scope).param("status", status)
                .param("afterAt", Timestamp.from(afterAt)).param("afterId", afterId).param("limit", limit)
                .query(PostRow::map).list();
    }

    /** Highest score first: reactions, comments and shares, decaying with age (hours, power 1.5). */
    List<PostRow> topFeed(UUID communityId, UUID me, int offset, int limit) {
        return db.sql(PostRow.SELECT + """
                         WHERE p.community_id = :scope AND p.status = 'published'
                           AND %s
                         ORDER BY (p.like_count - p.dislike_count + 2 * p.comment_count + 3 * p.share_count + 1)
                                  / power(extract(epoch FROM (now() - p.created_at)) / 3600 + 2, 1.5) DESC, p.id DESC
                         OFFSET :offset LIMIT :limit""".formatted(NOT_HELD_FOR_ME))
                .param("me", me).param("scope", communityId).param("offset", offset).param("limit", limit)
                .query(PostRow::map).list();
    }

    List<PostRow> shares(UUID originalId, UUID me) {
        return db.sql(PostRow.SELECT + " WHERE p.shared_from = :original AND p.status = 'published' ORDER BY p.created_at")
                .param("me", me).param("original", originalId).query(PostRow::map).list();
    }

    /** The API form of posts, with their media and the originals of shares (hidden when not readable). */
    List<PostJson> json(List<PostRow> rows, CurrentUser me) {
        Set<UUID> originalIds = rows.stream().map(PostRow::sharedFrom).filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet());
        Map<UUID, PostRow> originals = new HashMap<>();
        for (UUID id : originalIds) {
            row(id, me.id()).filter(p -> mayRead(p, me)).ifPresent(p -> originals.put(id, p));
        }
        Set<UUID> mediaIds = new LinkedHashSet<>();
        rows.forEach(r -> mediaIds.addAll(r.mediaIds()));
        originals.values().forEach(r -> mediaIds.addAll(r.mediaIds()));
        Map<UUID, MediaJson> mediaById = media.byIds(mediaIds).stream().map(media::json)
                .collect(Collectors.toMap(MediaJson::id, Function.identity()));
        return rows.stream().map(r -> {
            PostJson.Shared shared = null;
            if (r.sharedFrom() != null) {
                PostRow o = originals.get(r.sharedFrom());
                shared = o == null ? new PostJson.Shared(r.sharedFrom(), null, null, null, null, null, null, true)
                        : new PostJson.Shared(o.id(), o.communityId(), o.communityName(), o.author(), o.title(), o.body(),
                                mediaOf(o, mediaById), null);
            }
            return new PostJson(r.id(), r.communityId(), r.communityName(), r.usergroupId(), r.author(), r.title(), r.body(), r.tags(),
                    mediaOf(r, mediaById), r.status(), shared, r.likeCount(), r.dislikeCount(), r.commentCount(),
                    r.shareCount(), r.myReaction(), r.emojis(), r.createdAt(), r.editedAt(), r.held() ? true : null);
        }).toList();
    }

    PostJson json(PostRow row, CurrentUser me) {
        return json(List.of(row), me).get(0);
    }

    private static List<MediaJson> mediaOf(PostRow row, Map<UUID, MediaJson> mediaById) {
        return row.mediaIds().stream().map(mediaById::get).filter(java.util.Objects::nonNull).toList();
    }

    Optional<CommunityJson> community(UUID id, CurrentUser me) {
        return communities.visible(id, me);
    }
}
