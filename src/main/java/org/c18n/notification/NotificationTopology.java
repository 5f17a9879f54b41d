package org.c18n.notification;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.c18n.chat.ChatEvents;
import org.c18n.community.CommunityEvents;
import org.c18n.eventlog.Event;
import org.c18n.speedlayer.JsonSerde;
import org.c18n.speedlayer.SpeedLayer;
import org.c18n.eventlog.Topics;
import org.c18n.post.PostEvents;
import org.c18n.moderation.ModerationEvents;
import tools.jackson.databind.ObjectMapper;

/**
 * The notifications half of the speed layer: from the domain topics to {@code notification.created}
 * events on {@value Topics#NOTIFICATIONS}, keyed by the recipient. A reply notifies the post's
 * author and the author of the comment replied to; a message's mentions notify the people named;
 * a message notifies the members who were offline (once until they read the room, see
 * {@link RoomMessages}); an invite notifies the invitee; a moderator's decision (approving, rejecting, removing)
 * notifies the author; a new post notifies the community's members (a digest when it is busy,
 * see {@link CommunityPosts}); a community's moderation queue growing notifies its owner and moderators
 * (see {@link QueueAlerts}). Nobody is notified of what they did themselves.
 */
public final class NotificationTopology {
    static final String POST_AUTHORS = "notification-post-authors";
    static final String COMMENT_AUTHORS = "notification-comment-authors";
    static final String COMMUNITY_MEMBERS = "notification-community-members";
    static final String COMMUNITY_BUSY = "notification-community-busy";
    static final String COMMUNITY_RECENT_POSTS = "notification-community-recent-posts";
    static final String ROOM_TOLD = "notification-room-told";
    static final String COMMUNITY_MODERATORS = "notification-community-moderators";
    static final String QUEUE_TOLD = "notification-queue-told";

    private NotificationTopology() {}

    public static void add(StreamsBuilder builder, SpeedLayer.Sources sources, ObjectMapper json) {
        Serde<String> strings = Serdes.String();
        Serde<Event> events = JsonSerde.events(json);
        Produced<String, Event> produced = Produced.with(strings, events);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(POST_AUTHORS), strings,
                JsonSerde.of(json, PostNotifications.Post.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COMMENT_AUTHORS), strings, Serdes.UUID()));

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COMMUNITY_MEMBERS),
                JsonSerde.of(json, CommunityPosts.Member.class), JsonSerde.of(json, CommunityPosts.Membership.class)));
        // Cached: a busy community's count of the hour changes with every post and is written once a commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COMMUNITY_BUSY), Serdes.UUID(),
                JsonSerde.of(json, CommunityPosts.Busy.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COMMUNITY_RECENT_POSTS),
                JsonSerde.of(json, CommunityPosts.Recent.class), JsonSerde.of(json, CommunityPosts.Told.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COMMUNITY_MODERATORS),
                JsonSerde.of(json, CommunityPosts.Member.class), strings));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(QUEUE_TOLD), strings, Serdes.UUID()));
        // Membership, roles, new posts and moderation items meet keyed by community (all are re-keyed:
        // a community's creation is keyed by its name claim, posts by post, reports by content).
        KStream<UUID, Event> membership = sources.communities().flatMap((key, event) -> {
            UUID community = CommunityPosts.membershipIn(event);
            if (community == null) {
                community = QueueAlerts.communityOf(event);
            }
            return community == null ? List.<KeyValue<UUID, Event>>of() : List.of(KeyValue.pair(community, event));
        }, Named.as("membership-by-community"));
        KStream<UUID, Event> communityPosts = sources.posts().flatMap((key, event) -> {
            if (!event.type().equals(PostEvents.CREATED)) {
                return List.<KeyValue<UUID, Event>>of();
            }
            var post = event.data(PostEvents.Created.class);
            return post.communityId() != null
                    ? List.of(KeyValue.pair(post.communityId(), withoutText(json, event)))
                    : List.<KeyValue<UUID, Event>>of();
        }, Named.as("posts-by-community"));
        KStream<UUID, Event> queued = sources.moderation().flatMap((key, event) -> {
            UUID community = QueueAlerts.communityOf(event);
            return community == null ? List.<KeyValue<UUID, Event>>of() : List.of(KeyValue.pair(community, event));
        }, Named.as("moderation-by-community"));
        KStream<UUID, Event> byCommunity = membership.merge(communityPosts, Named.as("community-activity"))
                .merge(queued, Named.as("community-activity-and-queue"))
                .repartition(Repartitioned.<UUID, Event>as("by-community-notifications")
                        .withKeySerde(Serdes.UUID()).withValueSerde(events));
        byCommunity.process(() -> new CommunityPosts(json), Named.as("new-post-notifications"), COMMUNITY_MEMBERS,
                        COMMUNITY_BUSY, COMMUNITY_RECENT_POSTS)
                .to(Topics.NOTIFICATIONS, produced);
        byCommunity.process(() -> new QueueAlerts(json), Named.as("queue-notifications"), COMMUNITY_MODERATORS, QUEUE_TOLD)
                .to(Topics.NOTIFICATIONS, produced);

        sources.posts().process(() -> new PostNotifications(json), Named.as("post-notifications"), POST_AUTHORS, COMMENT_AUTHORS)
                .to(Topics.NOTIFICATIONS, produced);
        PostMentions.add(sources.posts(), json, produced);
        sources.communities().flatMap((key, event) -> {
            if (!event.type().equals(CommunityEvents.INVITE_SENT)) {
                return List.<KeyValue<String, Event>>of();
            }
            var invite = event.data(CommunityEvents.InviteSent.class);
            return notify(json, event, invite.inviteeId(), NotificationEvents.INVITE, invite.communityId(), null, null, null,
                    null, invite.inviteId());
        }, Named.as("invite-notifications")).to(Topics.NOTIFICATIONS, produced);
        sources.moderation().flatMap((key, event) -> {
            if (!event.type().equals(ModerationEvents.DECIDED)) {
                return List.<KeyValue<String, Event>>of();
            }
            var decided = event.data(ModerationEvents.Decided.class);
            String kind = switch (decided.action()) {
                case "remove" -> NotificationEvents.CONTENT_REMOVED;
                case "mute" -> NotificationEvents.MUTED;
                case "ban" -> NotificationEvents.BANNED;
                default -> null;
            };
            if (kind == null) {
                return List.<KeyValue<String, Event>>of();
            }
            return notify(json, event, decided.authorId(), kind, decided.communityId(),
                    decided.postId(), decided.targetType().equals(ModerationEvents.COMMENT) ? decided.targetId() : null,
                    null, decided.targetType().equals(ModerationEvents.MESSAGE) ? decided.targetId() : null, null);
        }, Named.as("moderation-notifications")).to(Topics.NOTIFICATIONS, produced);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ROOM_TOLD),
                JsonSerde.of(json, RoomMessages.RoomMember.class), Serdes.UUID()));
        sources.messages().process(() -> new RoomMessages(json), Named.as("offline-message-notifications"), ROOM_TOLD)
                .to(Topics.NOTIFICATIONS, produced);
        sources.messages().flatMap((key, event) -> {
            if (!event.type().equals(ChatEvents.MESSAGE_SENT)) {
                return List.<KeyValue<String, Event>>of();
            }
            var message = event.data(ChatEvents.MessageSent.class);
            List<KeyValue<String, Event>> out = new ArrayList<>();
            for (UUID mentioned : message.mentions() == null ? List.<UUID>of() : message.mentions()) {
                out.addAll(notify(json, event, mentioned, NotificationEvents.MENTION, null, null, null, message.roomId(),
                        message.messageId(), null));
            }
            return out;
        }, Named.as("mention-notifications")).to(Topics.NOTIFICATIONS, produced);
    }

    /**
     * A new post as the new-post notices read it (who, where, whether held): its title and text would
     * cross the re-keying by community, written and read again, for nothing.
     */
    private static Event withoutText(ObjectMapper json, Event event) {
        var told = json.createObjectNode();
        for (String field : List.of("postId", "communityId", "authorId", "pending")) {
            told.set(field, event.data().get(field));
        }
        return new Event(event.id(), event.type(), event.v(), event.at(), event.actor(), event.key(), told, event.mapper(), null);
    }

    /**
     * The notification of {@code recipient} about {@code source}, or nothing when the recipient is
     * who acted. Its id is derived from the source event, the recipient and the kind, so that
     * producing it again (replay, a retried task) yields the same notification.
     */
    static List<KeyValue<String, Event>> notify(ObjectMapper json, Event source, UUID recipient, String kind, UUID community,
                                                UUID post, UUID comment, UUID room, UUID message, UUID invite) {
        if (recipient == null || recipient.equals(source.actor())) {
            return List.of();
        }
        UUID id = UUID.nameUUIDFromBytes((source.id() + ":" + recipient + ":" + kind).getBytes(StandardCharsets.UTF_8));
        var data = new NotificationEvents.Created(id, recipient, kind, source.actor(), community, post, comment, room, message,
                invite);
        Event event = new Event(id, NotificationEvents.CREATED, 1, source.at(), source.actor(), recipient.toString(),
                json.valueToTree(data));
        return List.of(KeyValue.pair(recipient.toString(), event));
    }
}
