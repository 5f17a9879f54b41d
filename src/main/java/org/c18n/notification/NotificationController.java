package org.c18n.notification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.Topics;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.Page;
import org.c18n.web.Writes;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** My notifications: the inbox with its unread count, and marking them read. */
@RestController
public class NotificationController {
    private final Notifications notifications;
    private final Commands commands;

    public NotificationController(Notifications notifications, Commands commands) {
        this.notifications = notifications;
        this.commands = commands;
    }

    public record Inbox(List<Notifications.NotificationJson> items, String nextCursor, long unread) {}

    /** Which to mark read: these {@code ids}, or those about one target (a post, room, invite or community), or all. */
    public record ReadRequest(@jakarta.validation.constraints.Size(max = 1000) List<@jakarta.validation.constraints.NotNull UUID> ids,
                              UUID postId, UUID roomId, UUID inviteId, UUID communityId) {}

    @GetMapping("/api/v1/notifications")
    public Inbox inbox(CurrentUser me, @RequestParam(required = false) String cursor,
                       @RequestParam(required = false) Integer limit) {
        int size = Page.limit(limit);
        Instant beforeAt = null;
        UUID beforeId = null;
        String position = Page.decode(cursor);
        if (position != null) {
            try {
                String[] parts = position.split("/", 2);
                beforeAt = Page.instant(parts[0]);
                beforeId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw ApiException.badRequest("validation", "cursor: is not a cursor this API gave out");
            }
        }
        var page = Page.of(notifications.inbox(me.id(), beforeAt, beforeId, size + 1), size, n -> n.at() + "/" + n.id());
        return new Inbox(page.items(), page.nextCursor(), notifications.unread(me.id()));
    }

    /**
     * Marks these notifications read, or those about a target (the page of a post, a room, an
     * invite or a community was opened), or every unread one when nothing is named.
     */
    @PostMapping("/api/v1/notifications/read")
    public ResponseEntity<Object> read(CurrentUser me, @jakarta.validation.Valid @RequestBody(required = false) ReadRequest request) {
        Notifications.Target target = request == null ? null : target(request);
        List<UUID> ids = target != null ? notifications.unreadAbout(me.id(), target)
                : notifications.unreadIds(me.id(), request == null ? null : request.ids());
        if (ids.isEmpty()) {
            return ResponseEntity.ok(new Unread(notifications.unread(me.id())));
        }
        var outcome = commands.submit(Topics.NOTIFICATIONS, NotificationEvents.READ, me.id(), me.id().toString(),
                new NotificationEvents.Read(me.id(), ids));
        return Writes.changed(outcome, "/api/v1/notifications", () -> new Unread(notifications.unread(me.id())));
    }

    /** The one target the request names, or null when it names none (ids, or all). */
    private static Notifications.Target target(ReadRequest request) {
        long given = java.util.stream.Stream.of(request.postId(), request.roomId(), request.inviteId(), request.communityId())
                .filter(java.util.Objects::nonNull).count();
        if (given > 1 || (given == 1 && request.ids() != null)) {
            throw ApiException.badRequest("validation", "ids, postId, roomId, inviteId, communityId: give only one of them");
        }
        return given == 0 ? null
                : new Notifications.Target(request.postId(), request.roomId(), request.inviteId(), request.communityId());
    }

    public record Unread(long unread) {}
}
