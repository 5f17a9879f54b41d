package org.c18n.chat;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.c18n.community.CommunityEvents;
import org.c18n.eventlog.Event;
import org.c18n.eventlog.LogPosition;
import org.c18n.eventlog.ProjectionTracker;
import org.c18n.eventlog.Topics;
import org.c18n.hub.Ephemeral;
import org.c18n.hub.Frames;
import org.c18n.hub.Hub;
import org.c18n.hub.LiveFeed;
import org.c18n.identity.Users;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the live feed's chat events mean to the sockets: messages, edits, deletes, emoji reactions
 * and read receipts to the room's connections (messages in the room's order, their seq being their
 * offset), and membership changes (direct rooms, user-groups, leaving a community) to the rooms
 * a user's connections receive.
 */
@Component
class ChatFeed {
    private static final Logger log = LoggerFactory.getLogger(ChatFeed.class);
    /** How long the second pass of a membership change waits for the projector at most. */
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private final Hub hub;
    private final Frames frames;
    private final RecentMessages recent;
    private final Messages messages;
    private final JdbcClient db;
    private final Ephemeral ephemeral;
    private final Users users;
    private final Rooms rooms;
    private final ProjectionTracker projection;
    /** Membership changes applied a second time, in log order, once the views hold them. */
    private final ExecutorService settled = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "c18n-membership");
        t.setDaemon(true);
        return t;
    });

    ChatFeed(LiveFeed feed, Hub hub, Frames frames, RecentMessages recent, Messages messages, JdbcClient db,
             Ephemeral ephemeral, Users users, Rooms rooms, ProjectionTracker projection) {
        this.hub = hub;
        this.projection = projection;
        this.ephemeral = ephemeral;
        this.users = users;
        this.rooms = rooms;
        this.frames = frames;
        this.recent = recent;
        this.messages = messages;
        this.db = db;
        feed.on(Topics.MESSAGES, this::message);
        feed.on(Topics.COMMUNITIES, this::membership);
    }

    /** Senders' usernames, on the feed's one thread: a chatty room asks the view once per sender. */
    private final Map<UUID, String> usernames = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, String> eldest) {
            return size() > 10_000;
        }
    };

    private String username(UUID userId) {
        String cached = usernames.get(userId);
        if (cached == null) {
            cached = db.sql("SELECT username FROM users WHERE id = ?").param(userId).query(String.class).optional()
                    .orElse(null);
            if (cached != null) {
                usernames.put(userId, cached);
            }
        }
        return cached;
    }

    private void message(Event event, LogPosition position) {
        switch (event.type()) {
            case ChatEvents.MESSAGE_SENT -> {
                var e = event.data(ChatEvents.MessageSent.class);
                List<UUID> mediaIds = e.mediaIds() == null ? List.of() : e.mediaIds();
                var message = new Messages.MessageJson(e.messageId(), e.roomId(), position.offset(),
                        new Messages.Sender(e.senderId(), username(e.senderId())), e.body(), e.replyTo(), mediaIds,
                        messages.media(mediaIds), e.mentions() == null ? List.of() : e.mentions(), "sent", event.at(), null,
                        List.of());
                String frame = recent.frame(message, e.clientMsgId());
                recent.remember(e.roomId(), position.offset(), e.messageId(), frame);
                hub.toRoomInOrder(e.roomId(), position.offset(), frame);
            }
            case ChatEvents.MESSAGE_EDITED -> {
                var e = event.data(ChatEvents.MessageEdited.class);
                hub.toRoom(e.roomId(), frames.frame("message_edited", "room", e.roomId(), "id", e.messageId(), "body",
                        e.body(), "editedAt", event.at()), null);
            }
            case ChatEvents.MESSAGE_DELETED -> {
                var e = event.data(ChatEvents.MessageDeleted.class);
                hub.toRoom(e.roomId(), frames.frame("message_deleted", "room", e.roomId(), "id", e.messageId()), null);
            }
            case ChatEvents.MESSAGE_EMOJI_ADDED, ChatEvents.MESSAGE_EMOJI_REMOVED -> {
                // A change, not a total: a client applies it to what it shows, which stays right however often
                // it hears it (one reaction per person and emoji).
                var e = event.data(ChatEvents.MessageEmoji.class);
                hub.toRoom(e.roomId(), frames.frame("message_reaction", "room", e.roomId(), "id", e.messageId(),
                        "emoji", e.emoji(), "user", e.userId(), "username", username(e.userId()),
                        "added", event.type().equals(ChatEvents.MESSAGE_EMOJI_ADDED)), null);
            }
            case ChatEvents.MESSAGE_READ -> {
                var e = event.data(ChatEvents.MessageRead.class);
                hub.toRoom(e.roomId(), frames.frame("read", "room", e.roomId(), "user", e.userId(), "seq", e.seq(), "at",
                        event.at()), null);
            }
            case ChatEvents.DIRECT_OPENED -> {
                var e = event.data(ChatEvents.DirectOpened.class);
                nowAndOnceInViews(position, () -> {
                    hub.addToRoom(e.userA(), e.roomId());
                    hub.addToRoom(e.userB(), e.roomId());
                    introduce(e.userA(), List.of(e.userB()));
                });
            }
            default -> {
                // other events do not change what a socket receives
            }
        }
    }

    private void membership(Event event, LogPosition position) {
        switch (event.type()) {
            case CommunityEvents.USERGROUP_CREATED -> {
                var e = event.data(CommunityEvents.UsergroupCreated.class);
                nowAndOnceInViews(position, () -> {
                    hub.addToRoom(e.createdBy(), e.usergroupId());
                    e.memberIds().forEach(member -> hub.addToRoom(member, e.usergroupId()));
                    List<UUID> everyone = new ArrayList<>(e.memberIds());
                    everyone.add(e.createdBy());
                    everyone.forEach(member -> tellWhoIsOnline(member, everyone));
                });
            }
            case CommunityEvents.USERGROUP_MEMBER_ADDED -> {
                var e = event.data(CommunityEvents.UsergroupMember.class);
                nowAndOnceInViews(position, () -> {
                    hub.addToRoom(e.userId(), e.usergroupId());
                    introduce(e.userId(), rooms.membersOfAny(List.of(e.usergroupId())));
                });
            }
            case CommunityEvents.USERGROUP_MEMBER_REMOVED -> {
                var e = event.data(CommunityEvents.UsergroupMember.class);
                nowAndOnceInViews(position, () -> hub.removeFromRoom(e.userId(), e.usergroupId()));
            }
            case CommunityEvents.MEMBER_LEFT -> {
                var e = event.data(CommunityEvents.MemberLeft.class);
                nowAndOnceInViews(position, () -> {
                    if (!hub.connectionsOf(e.userId()).isEmpty()) {
                        db.sql("SELECT id FROM usergroups WHERE community_id = ?").param(e.communityId())
                                .query(UUID.class).list().forEach(group -> hub.removeFromRoom(e.userId(), group));
                    }
                });
            }
            default -> {
                // other events do not change what a socket receives
            }
        }
    }

    /**
     * A membership change reaches the sockets at once, so that the room's next messages follow it in
     * order, and again once the views hold it. A socket opening in between reads its rooms and who
     * of its roommates is online from views that lack the change, after the feed has passed it; the
     * second pass, on a thread of its own so that no message waits for the projector, gives it the
     * room (or takes it away) and the presence it missed. Both passes change only what is not so yet
     * ({@link Hub#addToRoom}); a presence heard twice is the same status. A stopped projector
     * delays the second pass {@link #SETTLE} at most.
     */
    private void nowAndOnceInViews(LogPosition position, Runnable change) {
        change.run();
        long deadline = System.nanoTime() + SETTLE.toNanos();
        settled.execute(() -> {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                projection.awaitApplied(position.topic(), position.partition(), position.offset(), Duration.ofNanos(left));
            }
            try {
                change.run();
            } catch (RuntimeException e) {
                log.warn("A membership change at {} could not be applied to the sockets again", position, e);
            }
        });
    }

    @PreDestroy
    void stop() {
        settled.shutdownNow();
    }

    /**
     * People who come to share a room hear at once who of the others is online, as {@code hello}
     * would have told them, and the others hear of the newcomer; blocking hides it as it does there.
     */
    private void introduce(UUID newcomer, Collection<UUID> others) {
        tellWhoIsOnline(newcomer, others);
        String status = ephemeral.statusOf(newcomer);
        if (status.equals("offline")) {
            return;
        }
        Set<UUID> blocked = users.blockedIds(newcomer);
        String frame = frames.frame("presence", "user", newcomer, "status", status);
        for (UUID other : others) {
            if (!other.equals(newcomer) && !blocked.contains(other)) {
                hub.toUser(other, frame);
            }
        }
    }

    private void tellWhoIsOnline(UUID user, Collection<UUID> others) {
        if (hub.connectionsOf(user).isEmpty()) {
            return;
        }
        Set<UUID> blockers = users.blockersOf(user);
        for (UUID other : others) {
            String status = ephemeral.statusOf(other);
            if (!other.equals(user) && !blockers.contains(other) && !status.equals("offline")) {
                hub.toUser(user, frames.frame("presence", "user", other, "status", status));
            }
        }
    }
}
