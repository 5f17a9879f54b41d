package org.c18n.chat;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.eventlog.ProjectionTracker;
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

/** Rooms and messages over REST: the room list with unread counts, history, and the same commands as the socket. */
@RestController
public class ChatController {
    private final Chat chat;
    private final Rooms rooms;
    private final Messages messages;
    private final ProjectionTracker tracker;
    private final ChatLimits limits;

    public ChatController(Chat chat, Rooms rooms, Messages messages, ProjectionTracker tracker, ChatLimits limits) {
        this.limits = limits;
        this.chat = chat;
        this.rooms = rooms;
        this.messages = messages;
        this.tracker = tracker;
    }

    public record DirectRequest(@NotNull UUID userId) {}

    public record MessageRequest(@NotNull String body, UUID replyTo, List<@NotNull UUID> mediaIds, String clientMsgId) {}

    public record MessageChange(@NotNull String body) {}

    public record ReadRequest(@NotNull Long seq) {}

    @GetMapping("/api/v1/rooms")
    public List<Rooms.Room> rooms(CurrentUser me) {
        return rooms.roomsOf(me.id());
    }

    @PostMapping("/api/v1/rooms/direct")
    public ResponseEntity<Object> openDirect(CurrentUser me, @Valid @RequestBody DirectRequest request) {
        UUID roomId = chat.openDirect(me, request.userId());
        return ResponseEntity.ok(rooms.roomsOf(me.id()).stream().filter(r -> r.id().equals(roomId)).findFirst()
                .map(Object.class::cast).orElse(Map.of("id", roomId, "kind", "direct")));
    }

    /** {@code before}: newest first, older than that seq; {@code after}: oldest first, what came after it. */
    @GetMapping("/api/v1/rooms/{id}/messages")
    public List<Messages.MessageJson> history(CurrentUser me, @PathVariable UUID id,
                                              @RequestParam(required = false) Long before,
                                              @RequestParam(required = false) Long after,
                                              @RequestParam(required = false) Integer limit) {
        requireMember(id, me);
        int n = Page.limit(limit);
        if (before != null && after != null) {
            throw ApiException.badRequest("validation", "before: give before or after, not both");
        }
        return after != null ? messages.after(id, after, n, me.id()) : messages.before(id, before, n, me.id());
    }

    @PostMapping("/api/v1/rooms/{id}/messages")
    public ResponseEntity<Object> send(CurrentUser me, @PathVariable UUID id, @Valid @RequestBody MessageRequest request) {
        requireBudget(me, ChatLimits.Kind.MESSAGE);
        var sent = chat.send(me, id, request.body(), request.replyTo(), request.mediaIds(), request.clientMsgId());
        var appended = sent.appended();
        UUID messageId = sent.messageId();
        String location = "/api/v1/rooms/" + id + "/messages/" + messageId;
        if (!tracker.awaitApplied(appended.topic(), appended.partition(), appended.offset(), Duration.ofSeconds(2))) {
            return ResponseEntity.accepted().header("Location", location)
                    .body(Map.of("status", "accepted", "id", messageId, "seq", appended.offset()));
        }
        return ResponseEntity.status(HttpStatus.CREATED).header("Location", location)
                .body(messages.byId(id, messageId).orElseThrow());
    }

    @GetMapping("/api/v1/rooms/{id}/messages/{messageId}")
    public Messages.MessageJson message(CurrentUser me, @PathVariable UUID id, @PathVariable UUID messageId) {
        requireMember(id, me);
        return messages.byId(id, messageId, me.id()).orElseThrow(() -> ApiException.notFound("Message"));
    }

    @PatchMapping("/api/v1/rooms/{id}/messages/{messageId}")
    public ResponseEntity<Object> edit(CurrentUser me, @PathVariable UUID id, @PathVariable UUID messageId,
                                       @Valid @RequestBody MessageChange change) {
        requireBudget(me, ChatLimits.Kind.MESSAGE);
        var outcome = chat.edit(me, id, messageId, change.body());
        return Writes.changed(outcome, "/api/v1/rooms/" + id + "/messages/" + messageId,
                () -> messages.byId(id, messageId).orElseThrow());
    }

    @DeleteMapping("/api/v1/rooms/{id}/messages/{messageId}")
    public ResponseEntity<Object> delete(CurrentUser me, @PathVariable UUID id, @PathVariable UUID messageId) {
        requireBudget(me, ChatLimits.Kind.MESSAGE);
        var outcome = chat.delete(me, id, messageId);
        return Writes.changed(outcome, "/api/v1/rooms/" + id + "/messages/" + messageId,
                () -> messages.byId(id, messageId).orElseThrow());
    }

    @PutMapping("/api/v1/rooms/{id}/messages/{messageId}/reactions/{emoji}")
    public ResponseEntity<Object> addEmoji(CurrentUser me, @PathVariable UUID id, @PathVariable UUID messageId,
                                           @PathVariable String emoji) {
        return react(me, id, messageId, emoji, true);
    }

    @DeleteMapping("/api/v1/rooms/{id}/messages/{messageId}/reactions/{emoji}")
    public ResponseEntity<Object> removeEmoji(CurrentUser me, @PathVariable UUID id, @PathVariable UUID messageId,
                                              @PathVariable String emoji) {
        return react(me, id, messageId, emoji, false);
    }

    private ResponseEntity<Object> react(CurrentUser me, UUID id, UUID messageId, String emoji, boolean added) {
        requireBudget(me, ChatLimits.Kind.MESSAGE);
        String allowed = EmojiReactions.canonical(emoji).orElseThrow(() -> ApiException.badRequest("validation",
                "emoji: must be one of " + String.join(" ", EmojiReactions.ALLOWED)));
        var outcome = chat.react(me, id, messageId, allowed, added);
        return Writes.changed(outcome, "/api/v1/rooms/" + id + "/messages/" + messageId,
                () -> messages.byId(id, messageId, me.id()).orElseThrow());
    }

    @PostMapping("/api/v1/rooms/{id}/read")
    public ResponseEntity<Void> read(CurrentUser me, @PathVariable UUID id, @Valid @RequestBody ReadRequest request) {
        requireBudget(me, ChatLimits.Kind.READ);
        chat.read(me, id, request.seq());
        return ResponseEntity.accepted().build();
    }

    /** A room the caller is not in is 404, as if it did not exist. */
    private void requireMember(UUID roomId, CurrentUser me) {
        if (!rooms.isMember(roomId, me.id())) {
            throw ApiException.notFound("Room");
        }
    }

    /** Takes one from the user's budget (shared with their sockets); a 429 with Retry-After when it is spent. */
    private void requireBudget(CurrentUser me, ChatLimits.Kind kind) {
        long wait = limits.take(me.id(), kind);
        if (wait > 0) {
            throw ApiException.tooManyRequests("rate-limited", "Too many " + ChatLimits.describe(kind)
                    + "; at most " + limits.perSecond(kind) + " a second. Try again in " + wait + " s", wait);
        }
    }
}
