package org.c18n.moderation;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.chat.ChatEvents;
import org.c18n.chat.Messages;
import org.c18n.chat.Rooms;
import org.c18n.community.Communities;
import org.c18n.community.CommunityEvents;
import org.c18n.community.Usergroups;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.Topics;
import org.c18n.eventlog.Uuids;
import org.c18n.post.PostEvents;
import org.c18n.post.Posts;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.Page;
import org.c18n.web.Writes;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reports on posts, comments and messages; the moderation queue of the communities one
 * moderates (every community for admins); moderators' decisions on its items.
 */
@RestController
public class ModerationController {
    private final Posts posts;
    private final Rooms rooms;
    private final Messages messages;
    private final Usergroups usergroups;
    private final ModerationQueue queue;
    private final Commands commands;
    private final Communities communities;

    public ModerationController(Posts posts, Rooms rooms, Messages messages, Usergroups usergroups, ModerationQueue queue,
                                Commands commands, Communities communities) {
        this.communities = communities;
        this.posts = posts;
        this.rooms = rooms;
        this.messages = messages;
        this.usergroups = usergroups;
        this.queue = queue;
        this.commands = commands;
    }

    public record ReportRequest(@NotBlank @Size(max = 500) String reason) {}

    /** The longest a mute or ban may be given for; beyond that it is for good (no duration). */
    private static final Duration LONGEST = Duration.ofDays(3650);

    /**
     * {@code duration} (ISO-8601, e.g. PT1H, P7D) bounds a mute or ban (absent: for good); {@code days},
     * the older way to say it, is still understood, so that a client sending it does not ban for good.
     */
    public record DecisionRequest(@NotNull @Pattern(regexp = "dismiss|remove|mute|ban",
                                          message = "must be dismiss, remove, mute or ban") String action,
                                  @Size(max = 500) String reason,
                                  @Size(max = 40) String duration,
                                  @jakarta.validation.constraints.Min(1) @jakarta.validation.constraints.Max(3650) Integer days) {}

    @PostMapping("/api/v1/posts/{id}/reports")
    public ResponseEntity<Object> reportPost(CurrentUser me, @PathVariable UUID id, @Valid @RequestBody ReportRequest request) {
        Posts.Placement post = posts.placement(id, me).orElseThrow(() -> ApiException.notFound("Post"));
        return file(me, ModerationEvents.POST, id, id, null, post.communityId(), post.authorId(), request.reason());
    }

    @PostMapping("/api/v1/posts/{postId}/comments/{id}/reports")
    public ResponseEntity<Object> reportComment(CurrentUser me, @PathVariable UUID postId, @PathVariable UUID id,
                                                @Valid @RequestBody ReportRequest request) {
        Posts.Placement post = posts.placement(postId, me).orElseThrow(() -> ApiException.notFound("Post"));
        UUID author = posts.commentAuthor(postId, id).orElseThrow(() -> ApiException.notFound("Comment"));
        return file(me, ModerationEvents.COMMENT, id, postId, null, post.communityId(), author, request.reason());
    }

    @PostMapping("/api/v1/rooms/{room}/messages/{id}/reports")
    public ResponseEntity<Object> reportMessage(CurrentUser me, @PathVariable UUID room, @PathVariable UUID id,
                                                @Valid @RequestBody ReportRequest request) {
        if (!rooms.isMember(room, me.id())) {
            throw ApiException.notFound("Room");
        }
        Messages.MessageJson message = messages.byId(room, id).filter(m -> m.status().equals("sent"))
                .orElseThrow(() -> ApiException.notFound("Message"));
        UUID community = usergroups.byId(room).map(Usergroups.Usergroup::communityId).orElse(null);
        return file(me, ModerationEvents.MESSAGE, id, null, room, community, message.sender().id(), request.reason());
    }

    private ResponseEntity<Object> file(CurrentUser me, String type, UUID target, UUID post, UUID room, UUID community,
                                        UUID author, String reason) {
        if (me.id().equals(author)) {
            throw ApiException.badRequest("validation", "You cannot report what you wrote yourself");
        }
        if (queue.reported(target, me.id())) {
            throw ApiException.conflict("already-reported", "You already reported this");
        }
        UUID id = Uuids.v7();
        var outcome = commands.submit(Topics.MODERATION, ModerationEvents.REPORT_FILED, me.id(), target.toString(),
                new ModerationEvents.ReportFiled(id, type, target, post, room, community, author, me.id(), reason.strip()));
        return Writes.created(outcome, "/api/v1/moderation/reports/" + id, () -> Map.of("id", id, "status", "filed"));
    }

    /** Open items (or {@code status=dismissed|removed}) of the communities I moderate, or of one of them. */
    @GetMapping("/api/v1/moderation/queue")
    public Page<ModerationQueue.Item> items(CurrentUser me, @RequestParam(required = false) UUID community,
                                            @RequestParam(defaultValue = "open") String status,
                                            @RequestParam(required = false) String cursor,
                                            @RequestParam(required = false) Integer limit) {
        if (!List.of("open", "dismissed", "removed", "muted", "banned").contains(status)) {
            throw ApiException.badRequest("validation", "status: must be open, dismissed, removed, muted or banned");
        }
        List<UUID> scope = me.admin() ? null : queue.moderatedBy(me.id());
        if (community != null) {
            if (scope != null && !scope.contains(community)) {
                throw ApiException.forbidden("Only the community's moderators and admins see its queue");
            }
            scope = List.of(community);
        } else if (scope != null && scope.isEmpty()) {
            throw ApiException.forbidden("Only moderators and admins have a moderation queue");
        }
        int size = Page.limit(limit);
        int offset = Page.offset(cursor);
        List<ModerationQueue.Item> rows = queue.items(scope, status, offset, size + 1);
        return Page.of(rows, size, item -> Integer.toString(offset + size));
    }

    /**
     * Dismiss the item, remove the content (deleted by its own event, with the moderator as who), or
     * mute or ban its author in the community for {@code duration} or for good.
     */
    @PostMapping("/api/v1/moderation/queue/{id}/decision")
    public ResponseEntity<Object> decide(CurrentUser me, @PathVariable UUID id, @Valid @RequestBody DecisionRequest request) {
        ModerationQueue.Item item = queue.byId(id).orElseThrow(() -> ApiException.notFound("Queue item"));
        boolean moderator = item.community() != null && queue.moderatedBy(me.id()).contains(item.community().id());
        if (!me.admin() && !moderator) {
            throw ApiException.notFound("Queue item");
        }
        if (!item.status().equals("open")) {
            throw ApiException.conflict("already-decided", "A moderator already decided on this item");
        }
        switch (request.action()) {
            case "remove" -> remove(me, item);
            case "mute", "ban" -> restrict(me, item, request);
            default -> {
                // dismiss: the content stays
            }
        }
        var outcome = commands.submit(Topics.MODERATION, ModerationEvents.DECIDED, me.id(), item.targetId().toString(),
                new ModerationEvents.Decided(id, item.targetId(), item.targetType(), item.postId(),
                        item.community() == null ? null : item.community().id(), item.author() == null ? null : item.author().id(),
                        request.action(), me.id(), request.reason()));
        return Writes.changed(outcome, "/api/v1/moderation/queue/" + id, () -> queue.byId(id).orElseThrow());
    }

    /** Mutes or bans the author in the item's community; a ban also takes them out of it. */
    private void restrict(CurrentUser me, ModerationQueue.Item item, DecisionRequest request) {
        if (item.community() == null || item.author() == null) {
            throw ApiException.badRequest("validation", "action: authors are muted or banned in a community; this is not in one");
        }
        UUID community = item.community().id();
        UUID author = item.author().id();
        if ("owner".equals(communities.role(community, author))) {
            throw ApiException.badRequest("validation", "action: the community's owner cannot be muted or banned");
        }
        if (request.days() != null && request.duration() != null) {
            throw ApiException.badRequest("validation", "duration: give either duration or days, not both");
        }
        Duration duration = request.days() != null ? Duration.ofDays(request.days()) : duration(request.duration());
        Instant until = duration == null ? null : Instant.now().plus(duration).truncatedTo(ChronoUnit.SECONDS);
        commands.submit(Topics.COMMUNITIES, CommunityEvents.MEMBER_RESTRICTED, me.id(), community.toString(),
                new CommunityEvents.MemberRestricted(community, author, request.action(), until, me.id(), request.reason()));
        if (request.action().equals("ban") && communities.role(community, author) != null) {
            commands.submit(Topics.COMMUNITIES, CommunityEvents.MEMBER_LEFT, me.id(), community.toString(),
                    new CommunityEvents.MemberLeft(community, author));
        }
    }

    /** The ISO-8601 duration of a mute or ban, null for good; 400 unless positive and at most ten years. */
    private static Duration duration(String text) {
        if (text == null) {
            return null;
        }
        Duration duration;
        try {
            duration = Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("validation", "duration: must be an ISO-8601 duration such as PT1H, P1D or P30D");
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(LONGEST) > 0) {
            throw ApiException.badRequest("validation", "duration: must be between PT1S and P3650D");
        }
        return duration;
    }

    private void remove(CurrentUser me, ModerationQueue.Item item) {
        if (!"published".equals(item.contentStatus()) && !"sent".equals(item.contentStatus())
            && !"pending".equals(item.contentStatus())) {
            return; // already gone
        }
        switch (item.targetType()) {
            case ModerationEvents.POST -> commands.submit(Topics.POSTS, PostEvents.DELETED, me.id(), item.targetId().toString(),
                    new PostEvents.Deleted(item.targetId(), me.id()));
            case ModerationEvents.COMMENT -> commands.submit(Topics.POSTS, PostEvents.COMMENT_DELETED, me.id(),
                    item.postId().toString(), new PostEvents.CommentDeleted(item.targetId(), item.postId(), me.id()));
            default -> commands.submit(Topics.MESSAGES, ChatEvents.MESSAGE_DELETED, me.id(), item.roomId().toString(),
                    new ChatEvents.MessageDeleted(item.targetId(), item.roomId(), me.id()));
        }
    }
}
