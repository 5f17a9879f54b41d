package org.c18n.post;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.infra.C18nProperties;
import org.c18n.community.Communities;
import org.c18n.community.CommunityJson;
import org.c18n.community.Usergroups;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.Topics;
import org.c18n.eventlog.Uuids;
import org.c18n.identity.Users;
import org.c18n.media.Media;
import org.c18n.reaction.EmojiReactions;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.Page;
import org.c18n.web.Writes;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Posts in communities and user-groups: publish, feeds, edit, delete, history, approval, shares, reactions. */
@RestController
public class PostController {
    static final String TAG_RULE = "^[a-z0-9][a-z0-9-]{0,31}$";

    private final Posts posts;
    private final Usergroups usergroups;
    private final Media media;
    private final History history;
    private final Commands commands;
    private final C18nProperties props;
    private final Users users;

    public PostController(Posts posts, Usergroups usergroups, Media media, History history, Commands commands,
                          C18nProperties props, Users users) {
        this.users = users;
        this.posts = posts;
        this.usergroups = usergroups;
        this.media = media;
        this.history = history;
        this.commands = commands;
        this.props = props;
    }

    public record PostRequest(
            @Size(max = 300) String title,
            @NotNull String body,
            @Size(max = 10) List<@NotNull @Pattern(regexp = TAG_RULE,
                    message = "must be 1 to 32 lower-case letters, digits or '-'") String> tags,
            @Size(max = 10) List<@NotNull UUID> mediaIds) {}

    public record ReactionRequest(@NotNull @Pattern(regexp = "like|dislike|none",
            message = "must be like, dislike or none") String kind) {}

    public record ShareRequest(@NotNull UUID communityId, @Size(max = 2000) String comment) {}

    @PostMapping("/api/v1/communities/{communityId}/posts")
    public ResponseEntity<Object> postInCommunity(CurrentUser me, @PathVariable UUID communityId,
                                                  @Valid @RequestBody PostRequest request) {
        CommunityJson community = community(communityId, me);
        if (community.myRole() == null) {
            throw ApiException.forbidden("Only members post in a community");
        }
        requireUnrestricted(community.standing());
        boolean pending = community.postApproval() && !community.canModerate();
        return publish(me, community, null, request, pending);
    }

    @PostMapping("/api/v1/usergroups/{usergroupId}/posts")
    public ResponseEntity<Object> postInGroup(CurrentUser me, @PathVariable UUID usergroupId,
                                              @Valid @RequestBody PostRequest request) {
        requireGroupMember(usergroupId, me);
        return publish(me, null, usergroupId, request, false);
    }

    private ResponseEntity<Object> publish(CurrentUser me, CommunityJson community, UUID usergroupId, PostRequest request,
                                           boolean pending) {
        UUID communityId = community == null ? null : community.id();
        checkBody(request.body(), props.posts().maxBody());
        List<UUID> mediaIds = ownMedia(me, request.mediaIds());
        UUID id = Uuids.v7();
        List<UUID> mentions = pending ? List.of() : posts.mentioned(request.body(), community, usergroupId, me);
        var outcome = commands.submit(Topics.POSTS, PostEvents.CREATED, me.id(), id.toString(),
                new PostEvents.Created(id, communityId, usergroupId, me.id(), blankToNull(request.title()), request.body(),
                        tags(request.tags()), mediaIds, pending, mentions));
        return Writes.created(outcome, "/api/v1/posts/" + id, () -> posts.json(posts.row(id, me.id()).orElseThrow(), me));
    }

    @GetMapping("/api/v1/communities/{communityId}/posts")
    public Page<PostJson> communityFeed(CurrentUser me, @PathVariable UUID communityId,
                                        @RequestParam(defaultValue = "new") String sort,
                                        @RequestParam(defaultValue = "published") String status,
                                        @RequestParam(required = false) String cursor,
                                        @RequestParam(required = false) Integer limit) {
        int n = Page.limit(limit);
        if (!List.of("published", "pending").contains(status)) {
            throw ApiException.badRequest("validation", "status: must be published or pending");
        }
        if (sort.equals("new") && status.equals("published")) {
            // The rows carry what reading them needs (the community's visibility, the caller's role), so
            // the community is looked up only to tell an empty page from one the caller may not see.
            var rows = posts.communityFeed(communityId, me.id(), status, Page.position(cursor), n + 1);
            if (rows.isEmpty() || !posts.mayRead(rows.get(0), me)) {
                community(communityId, me);
            }
            return page(rows, n, me);
        }
        CommunityJson community = community(communityId, me);
        if (status.equals("pending") && !community.canModerate() && !me.admin()) {
            throw ApiException.forbidden("Only moderators see pending posts");
        }
        switch (sort) {
            case "new" -> {
                var rows = posts.communityFeed(communityId, me.id(), status, Page.position(cursor), n + 1);
                return page(rows, n, me);
            }
            case "top" -> {
                int offset = Page.offset(cursor);
                var rows = posts.topFeed(communityId, me.id(), offset, n + 1);
                Page<PostRow> page = Page.of(rows, n, last -> String.valueOf(offset + n));
                return new Page<>(posts.json(page.items(), me), page.nextCursor());
            }
            default -> throw ApiException.badRequest("validation", "sort: must be new or top");
        }
    }

    @GetMapping("/api/v1/usergroups/{usergroupId}/posts")
    public Page<PostJson> groupFeed(CurrentUser me, @PathVariable UUID usergroupId,
                                    @RequestParam(required = false) String cursor,
                                    @RequestParam(required = false) Integer limit) {
        requireGroupMember(usergroupId, me);
        int n = Page.limit(limit);
        return page(posts.usergroupFeed(usergroupId, me.id(), Page.position(cursor), n + 1), n, me);
    }

    @GetMapping("/api/v1/feed")
    public Page<PostJson> homeFeed(CurrentUser me, @RequestParam(required = false) String cursor,
                                   @RequestParam(required = false) Integer limit) {
        int n = Page.limit(limit);
        return page(posts.homeFeed(me.id(), Page.position(cursor), n + 1), n, me);
    }

    @GetMapping("/api/v1/posts/{id}")
    public PostJson get(CurrentUser me, @PathVariable UUID id) {
        return posts.json(readable(id, me), me);
    }

    @PatchMapping("/api/v1/posts/{id}")
    public ResponseEntity<Object> edit(CurrentUser me, @PathVariable UUID id, @Valid @RequestBody PostRequest request) {
        PostRow post = readable(id, me);
        if (!post.author().id().equals(me.id())) {
            throw ApiException.forbidden("Only the author edits a post");
        }
        requireUnrestricted(post.communityId(), me);
        checkBody(request.body(), props.posts().maxBody());
        List<UUID> mediaIds = request.mediaIds() == null ? null : ownMedia(me, request.mediaIds());
        var outcome = commands.submit(Topics.POSTS, PostEvents.EDITED, me.id(), id.toString(),
                new PostEvents.Edited(id, blankToNull(request.title()), request.body(), tags(request.tags()), mediaIds));
        return Writes.changed(outcome, "/api/v1/posts/" + id, () -> posts.json(posts.row(id, me.id()).orElseThrow(), me));
    }

    @DeleteMapping("/api/v1/posts/{id}")
    public ResponseEntity<Object> delete(CurrentUser me, @PathVariable UUID id) {
        PostRow post = readable(id, me);
        if (!post.author().id().equals(me.id()) && !posts.mayModerate(post, me)) {
            throw ApiException.forbidden("Only the author, the community's moderators and admins delete a post");
        }
        var outcome = commands.submit(Topics.POSTS, PostEvents.DELETED, me.id(), id.toString(),
                new PostEvents.Deleted(id, me.id()));
        return Writes.changed(outcome, "/api/v1/posts/" + id, () -> Map.of("id", id, "status", "deleted"));
    }

    @GetMapping("/api/v1/posts/{id}/history")
    public List<History.Version> postHistory(CurrentUser me, @PathVariable UUID id) {
        PostRow post = posts.row(id, me.id()).orElseThrow(() -> ApiException.notFound("Post"));
        boolean deletedButMine = post.status().equals("deleted")
                && (post.author().id().equals(me.id()) || posts.mayModerate(post, me));
        if (!deletedButMine && !posts.mayRead(post, me)) {
            throw ApiException.notFound("Post");
        }
        return history.ofPost(id);
    }

    @PostMapping("/api/v1/posts/{id}/approve")
    public ResponseEntity<Object> approve(CurrentUser me, @PathVariable UUID id) {
        return moderate(me, id, PostEvents.APPROVED);
    }

    @PostMapping("/api/v1/posts/{id}/reject")
    public ResponseEntity<Object> reject(CurrentUser me, @PathVariable UUID id) {
        return moderate(me, id, PostEvents.REJECTED);
    }

    private ResponseEntity<Object> moderate(CurrentUser me, UUID id, String type) {
        PostRow post = readable(id, me);
        if (!posts.mayModerate(post, me)) {
            throw ApiException.forbidden("Only the community's moderators approve or reject posts");
        }
        if (!post.status().equals("pending")) {
            throw ApiException.conflict("not-pending", "The post is not waiting for approval");
        }
        var outcome = commands.submit(Topics.POSTS, type, me.id(), id.toString(), new PostEvents.Moderated(id, me.id()));
        return Writes.changed(outcome, "/api/v1/posts/" + id, () -> posts.json(posts.row(id, me.id()).orElseThrow(), me));
    }

    @PutMapping("/api/v1/posts/{id}/reaction")
    public ResponseEntity<Object> react(CurrentUser me, @PathVariable UUID id, @Valid @RequestBody ReactionRequest request) {
        PostRow post = readable(id, me);
        requireParticipant(post, me);
        var outcome = commands.submit(Topics.POSTS, PostEvents.REACTION_SET, me.id(), id.toString(),
                new PostEvents.ReactionSet(id, id, me.id(), request.kind()));
        return Writes.changed(outcome, "/api/v1/posts/" + id, () -> posts.json(posts.row(id, me.id()).orElseThrow(), me));
    }

    @PutMapping("/api/v1/posts/{id}/reactions/{emoji}")
    public ResponseEntity<Object> addEmoji(CurrentUser me, @PathVariable UUID id, @PathVariable String emoji) {
        return emoji(me, id, emoji, PostEvents.EMOJI_ADDED);
    }

    @DeleteMapping("/api/v1/posts/{id}/reactions/{emoji}")
    public ResponseEntity<Object> removeEmoji(CurrentUser me, @PathVariable UUID id, @PathVariable String emoji) {
        return emoji(me, id, emoji, PostEvents.EMOJI_REMOVED);
    }

    private ResponseEntity<Object> emoji(CurrentUser me, UUID id, String emoji, String type) {
        String allowed = allowedEmoji(emoji);
        PostRow post = readable(id, me);
        if (type.equals(PostEvents.EMOJI_ADDED)) { // taking one's own reaction back is always allowed
            requireEmojiAllowed(post, post.author().id(), me);
        }
        var outcome = commands.submit(Topics.POSTS, type, me.id(), id.toString(),
                new PostEvents.Emoji(id, id, me.id(), allowed));
        return Writes.changed(outcome, "/api/v1/posts/" + id, () -> posts.json(posts.row(id, me.id()).orElseThrow(), me));
    }

    @PostMapping("/api/v1/posts/{id}/shares")
    public ResponseEntity<Object> share(CurrentUser me, @PathVariable UUID id, @Valid @RequestBody ShareRequest request) {
        PostRow original = readable(id, me);
        if (!original.status().equals("published")) {
            throw ApiException.conflict("not-published", "Only published posts can be shared");
        }
        if (original.sharedFrom() != null) {
            throw ApiException.badRequest("validation", "id: share the original post, not a share of it");
        }
        CommunityJson target = community(request.communityId(), me);
        if (target.myRole() == null) {
            throw ApiException.forbidden("You can share only into communities you belong to");
        }
        if (target.standing().archived()) {
            throw archived();
        }
        boolean fromPrivate = original.usergroupId() != null
                || !community(original.communityId(), me).isPublic();
        if (fromPrivate && target.isPublic()) {
            throw ApiException.forbidden("A post from a private community or group cannot be shared into a public one");
        }
        if (request.comment() != null && request.comment().length() > props.posts().maxBody()) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "too-large", "comment: is too long");
        }
        UUID shareId = Uuids.v7();
        var outcome = commands.submit(Topics.POSTS, PostEvents.SHARED, me.id(), id.toString(),
                new PostEvents.Shared(shareId, id, request.communityId(), me.id(), request.comment()));
        return Writes.created(outcome, "/api/v1/posts/" + shareId,
                () -> posts.json(posts.row(shareId, me.id()).orElseThrow(), me));
    }

    /** Where the post was shared: the shares the caller may read. */
    @GetMapping("/api/v1/posts/{id}/shares")
    public List<PostJson> shares(CurrentUser me, @PathVariable UUID id) {
        readable(id, me);
        return posts.json(posts.shares(id, me.id()).stream().filter(p -> posts.mayRead(p, me)).toList(), me);
    }

    private Page<PostJson> page(List<PostRow> rows, int n, CurrentUser me) {
        Page<PostRow> page = Page.of(rows, n, PostRow::cursor);
        return new Page<>(posts.json(page.items(), me), page.nextCursor());
    }

    /** The post, when the caller may read it; else 404, as if it did not exist. */
    PostRow readable(UUID id, CurrentUser me) {
        return posts.readable(id, me).orElseThrow(() -> ApiException.notFound("Post"));
    }

    private CommunityJson community(UUID id, CurrentUser me) {
        return posts.community(id, me).orElseThrow(() -> ApiException.notFound("Community"));
    }

    private static ApiException archived() {
        return ApiException.conflict("archived", "This community is archived: it is read-only");
    }

    /** Refuses a write into an archived community (409) and an author muted or banned in the community (403). */
    void requireUnrestricted(UUID communityId, CurrentUser me) {
        requireUnrestricted(posts.standing(communityId, me));
    }

    private static void requireUnrestricted(Communities.Standing standing) {
        if (standing.archived()) {
            throw archived();
        }
        standing.restriction().ifPresent(r -> {
            throw ApiException.forbidden(r.describe());
        });
    }

    void requireParticipant(PostRow post, CurrentUser me) {
        if (!posts.mayTakePart(post, me)) {
            throw ApiException.forbidden("Only members take part in this discussion");
        }
    }

    /** Members react; not to someone who has blocked them, nor to someone they have blocked. */
    void requireEmojiAllowed(PostRow post, UUID authorId, CurrentUser me) {
        requireParticipant(post, me);
        if (users.eitherBlocked(me.id(), authorId)) {
            throw ApiException.forbidden("One of you has blocked the other");
        }
    }

    static String allowedEmoji(String emoji) {
        return EmojiReactions.canonical(emoji).orElseThrow(() -> ApiException.badRequest("validation",
                "emoji: must be one of " + String.join(" ", EmojiReactions.ALLOWED)));
    }

    private void requireGroupMember(UUID usergroupId, CurrentUser me) {
        usergroups.byId(usergroupId).filter(g -> usergroups.isMember(usergroupId, me.id()))
                .orElseThrow(() -> ApiException.notFound("User-group"));
    }

    /** Attached media must exist and be the author's own uploads. */
    private List<UUID> ownMedia(CurrentUser me, List<UUID> ids) {
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        List<UUID> distinct = ids.stream().distinct().toList();
        var found = media.byIds(distinct);
        for (UUID id : distinct) {
            if (found.stream().noneMatch(m -> m.id().equals(id) && m.ownerId().equals(me.id()))) {
                throw ApiException.badRequest("validation", "mediaIds: no upload of yours with id " + id);
            }
        }
        return distinct;
    }

    static void checkBody(String body, int max) {
        if (body.isBlank()) {
            throw ApiException.badRequest("validation", "body: must not be blank");
        }
        if (body.length() > max) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "too-large",
                    "body: must be at most " + max + " characters");
        }
    }

    private static List<String> tags(List<String> tags) {
        return tags == null ? List.of() : tags.stream().distinct().toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
