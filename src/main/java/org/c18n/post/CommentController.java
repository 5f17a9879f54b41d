package org.c18n.post;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.UUID;
import org.c18n.infra.C18nProperties;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.Topics;
import org.c18n.eventlog.Uuids;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.Page;
import org.c18n.web.Writes;
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

/** Threaded comments on a post: any depth, edits and deletes with history, reactions. */
@RestController
public class CommentController {
    private final Posts posts;
    private final Comments comments;
    private final History history;
    private final PostController postController;
    private final Commands commands;
    private final C18nProperties props;

    public CommentController(Posts posts, Comments comments, History history, PostController postController,
                             Commands commands, C18nProperties props) {
        this.posts = posts;
        this.comments = comments;
        this.history = history;
        this.postController = postController;
        this.commands = commands;
        this.props = props;
    }

    public record CommentRequest(@NotNull String body, UUID parentId) {}

    public record CommentChange(@NotNull String body) {}

    @PostMapping("/api/v1/posts/{postId}/comments")
    public ResponseEntity<Object> comment(CurrentUser me, @PathVariable UUID postId,
                                          @Valid @RequestBody CommentRequest request) {
        PostRow post = postController.readable(postId, me);
        postController.requireParticipant(post, me);
        postController.requireUnrestricted(post.communityId(), me);
        PostController.checkBody(request.body(), props.posts().maxComment());
        if (request.parentId() != null && comments.byId(request.parentId(), postId, me.id())
                .filter(c -> c.status().equals("published")).isEmpty()) {
            throw ApiException.badRequest("validation", "parentId: no comment " + request.parentId() + " on this post");
        }
        UUID id = Uuids.v7();
        var outcome = commands.submit(Topics.POSTS, PostEvents.COMMENT_CREATED, me.id(), postId.toString(),
                new PostEvents.CommentCreated(id, postId, request.parentId(), me.id(), request.body(),
                        posts.mentioned(request.body(), post, me)));
        return Writes.created(outcome, "/api/v1/posts/" + postId + "/comments/" + id,
                () -> comments.byId(id, postId, me.id()).orElseThrow());
    }

    @GetMapping("/api/v1/posts/{postId}/comments")
    public Page<Comments.CommentJson> list(CurrentUser me, @PathVariable UUID postId,
                                           @RequestParam(defaultValue = "flat") String view,
                                           @RequestParam(required = false) String cursor,
                                           @RequestParam(required = false) Integer limit) {
        postController.readable(postId, me);
        int n = Page.limit(limit);
        Page.Position after = Page.position(cursor);
        return switch (view) {
            case "flat" -> Page.of(comments.flat(postId, me.id(), after, n + 1), n, Comments.CommentJson::cursor);
            case "tree" -> {
                var page = Page.of(comments.threads(postId, me.id(), after, n + 1), n, Comments.CommentJson::cursor);
                // The pinned thread leads the first page, beside the page's own threads.
                yield after != null ? page : comments.pinnedThread(postId, me.id()).map(page::withFirst).orElse(page);
            }
            default -> throw ApiException.badRequest("validation", "view: must be flat or tree");
        };
    }

    @PatchMapping("/api/v1/posts/{postId}/comments/{id}")
    public ResponseEntity<Object> edit(CurrentUser me, @PathVariable UUID postId, @PathVariable UUID id,
                                       @Valid @RequestBody CommentChange change) {
        PostRow post = postController.readable(postId, me);
        Comments.CommentJson comment = live(postId, id, me);
        if (!comment.author().id().equals(me.id())) {
            throw ApiException.forbidden("Only the author edits a comment");
        }
        postController.requireUnrestricted(post.communityId(), me);
        PostController.checkBody(change.body(), props.posts().maxComment());
        var outcome = commands.submit(Topics.POSTS, PostEvents.COMMENT_EDITED, me.id(), postId.toString(),
                new PostEvents.CommentEdited(id, postId, change.body()));
        return Writes.changed(outcome, "/api/v1/posts/" + postId + "/comments/" + id,
                () -> comments.byId(id, postId, me.id()).orElseThrow());
    }

    @DeleteMapping("/api/v1/posts/{postId}/comments/{id}")
    public ResponseEntity<Object> delete(CurrentUser me, @PathVariable UUID postId, @PathVariable UUID id) {
        PostRow post = postController.readable(postId, me);
        Comments.CommentJson comment = live(postId, id, me);
        if (!comment.author().id().equals(me.id()) && !posts.mayModerate(post, me)) {
            throw ApiException.forbidden("Only the author, the community's moderators and admins delete a comment");
        }
        var outcome = commands.submit(Topics.POSTS, PostEvents.COMMENT_DELETED, me.id(), postId.toString(),
                new PostEvents.CommentDeleted(id, postId, me.id()));
        return Writes.changed(outcome, "/api/v1/posts/" + postId + "/comments/" + id,
                () -> comments.byId(id, postId, me.id()).orElseThrow());
    }

    public record PinRequest(@NotNull Boolean pinned) {}

    /** The post's author, its community's moderators and admins pin one top-level comment to lead the thread. */
    @PutMapping("/api/v1/posts/{postId}/comments/{id}/pin")
    public ResponseEntity<Object> pin(CurrentUser me, @PathVariable UUID postId, @PathVariable UUID id,
                                      @Valid @RequestBody PinRequest request) {
        PostRow post = postController.readable(postId, me);
        Comments.CommentJson comment = live(postId, id, me);
        if (!post.author().id().equals(me.id()) && !posts.mayModerate(post, me)) {
            throw ApiException.forbidden("Only the post's author, the community's moderators and admins pin a comment");
        }
        if (comment.parentId() != null) {
            throw ApiException.badRequest("validation", "id: only a top-level comment can be pinned");
        }
        var outcome = commands.submit(Topics.POSTS, PostEvents.COMMENT_PINNED, me.id(), postId.toString(),
                new PostEvents.CommentPinned(id, postId, request.pinned(), me.id()));
        return Writes.changed(outcome, "/api/v1/posts/" + postId + "/comments/" + id,
                () -> comments.byId(id, postId, me.id()).orElseThrow());
    }

    @GetMapping("/api/v1/posts/{postId}/comments/{id}/history")
    public List<History.Version> commentHistory(CurrentUser me, @PathVariable UUID postId, @PathVariable UUID id) {
        PostRow post = postController.readable(postId, me);
        Comments.CommentJson comment = comments.byId(id, postId, me.id())
                .orElseThrow(() -> ApiException.notFound("Comment"));
        // A deleted or removed comment's words stay in the log, but only its author and the
        // community's moderators (and admins) may read them again.
        // So do a held one's (flagged, waiting for a moderator).
        if ((!comment.status().equals("published") || comment.held() != null) && !comment.author().id().equals(me.id())
                && !posts.mayModerate(post, me)) {
            throw ApiException.notFound("Comment");
        }
        return history.ofComment(postId, id);
    }

    @PutMapping("/api/v1/posts/{postId}/comments/{id}/reaction")
    public ResponseEntity<Object> react(CurrentUser me, @PathVariable UUID postId, @PathVariable UUID id,
                                        @Valid @RequestBody PostController.ReactionRequest request) {
        PostRow post = postController.readable(postId, me);
        postController.requireParticipant(post, me);
        live(postId, id, me);
        var outcome = commands.submit(Topics.POSTS, PostEvents.REACTION_SET, me.id(), postId.toString(),
                new PostEvents.ReactionSet(postId, id, me.id(), request.kind()));
        return Writes.changed(outcome, "/api/v1/posts/" + postId + "/comments/" + id,
                () -> comments.byId(id, postId, me.id()).orElseThrow());
    }

    @PutMapping("/api/v1/posts/{postId}/comments/{id}/reactions/{emoji}")
    public ResponseEntity<Object> addEmoji(CurrentUser me, @PathVariable UUID postId, @PathVariable UUID id,
                                           @PathVariable String emoji) {
        return emoji(me, postId, id, emoji, PostEvents.EMOJI_ADDED);
    }

    @DeleteMapping("/api/v1/posts/{postId}/comments/{id}/reactions/{emoji}")
    public ResponseEntity<Object> removeEmoji(CurrentUser me, @PathVariable UUID postId, @PathVariable UUID id,
                                              @PathVariable String emoji) {
        return emoji(me, postId, id, emoji, PostEvents.EMOJI_REMOVED);
    }

    private ResponseEntity<Object> emoji(CurrentUser me, UUID postId, UUID id, String emoji, String type) {
        String allowed = PostController.allowedEmoji(emoji);
        PostRow post = postController.readable(postId, me);
        Comments.CommentJson comment = live(postId, id, me);
        if (type.equals(PostEvents.EMOJI_ADDED)) { // taking one's own reaction back is always allowed
            postController.requireEmojiAllowed(post, comment.author().id(), me);
        }
        var outcome = commands.submit(Topics.POSTS, type, me.id(), postId.toString(),
                new PostEvents.Emoji(postId, id, me.id(), allowed));
        return Writes.changed(outcome, "/api/v1/posts/" + postId + "/comments/" + id,
                () -> comments.byId(id, postId, me.id()).orElseThrow());
    }

    /** The published comment; the caller has checked that the post is readable. */
    private Comments.CommentJson live(UUID postId, UUID id, CurrentUser me) {
        return comments.byId(id, postId, me.id()).filter(c -> c.status().equals("published"))
                .orElseThrow(() -> ApiException.notFound("Comment"));
    }
}
