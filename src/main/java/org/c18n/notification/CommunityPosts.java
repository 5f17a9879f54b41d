package org.c18n.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.c18n.community.CommunityEvents;
import org.c18n.eventlog.Event;
import org.c18n.post.PostEvents;
import tools.jackson.databind.ObjectMapper;

/**
 * New posts told to a community's members, from a stream keyed by community that carries both
 * membership changes and posts. A member hears of each of the first {@value #DIGEST_AFTER} posts
 * of an hour; the next one brings a single digest ("busy") and the rest of that hour is quiet, so
 * a large, busy community does not flood anyone. Muted members and the author hear nothing.
 *
 * <p>Joins and posts come from different topics and partitions, so a post can arrive here before
 * the join that preceded it (always so when a backlog is processed at start or on replay). Who
 * hears of a post is therefore decided by event time, not arrival: a member joined at or before
 * the post's time hears of it, and a join that arrives late catches up on the posts of the last
 * hour it should have heard of. Notification ids are derived from the post and the member, so the
 * outcome is the same in whatever order the two arrive.
 */
final class CommunityPosts implements Processor<UUID, Event, String, Event> {
    static final int DIGEST_AFTER = 5;
    private static final long HOUR = Duration.ofHours(1).toMillis();
    /**
     * The lowest and the highest UUID: the keys of one community's members (or recent posts) lie
     * between its key with the one and its key with the other, as the store orders their bytes
     * (JSON that ends with the UUID, written the same way every time).
     */
    private static final UUID LOWEST = new UUID(0, 0);
    private static final UUID HIGHEST = new UUID(-1, -1);

    /** A member of a community, as the members store keys it. */
    record Member(UUID community, UUID user) {}

    /** Whether a member hears of new posts, and since when (epoch ms). */
    record Membership(boolean muted, long joinedAt) {}

    /** How many posts a community had in the hour that starts at {@code hour} (epoch ms). */
    record Busy(long hour, int posts) {}

    /**
     * A post told of recently, as the recent posts store keys it: the community and the post's event.
     * Kept until a post told of more than an hour later lets it go.
     */
    record Recent(UUID community, UUID event) {}

    /** What a late join needs to be told of a post: the notification's source and kind. */
    record Told(String kind, UUID eventId, UUID actor, long at, UUID postId) {
        Event source() {
            return new Event(eventId, PostEvents.CREATED, 1, Instant.ofEpochMilli(at), actor, null, null);
        }
    }

    private final ObjectMapper json;
    private ProcessorContext<String, Event> context;
    private KeyValueStore<Member, Membership> members;
    private KeyValueStore<UUID, Busy> busy;
    private KeyValueStore<Recent, Told> recent;

    CommunityPosts(ObjectMapper json) {
        this.json = json;
    }

    /** The community whose membership {@code event} changes, or null when it changes none. */
    static UUID membershipIn(Event event) {
        return switch (event.type()) {
            case CommunityEvents.CREATED -> event.data(CommunityEvents.Created.class).communityId();
            case CommunityEvents.MEMBER_JOINED -> event.data(CommunityEvents.MemberJoined.class).communityId();
            case CommunityEvents.INVITE_ACCEPTED -> event.data(CommunityEvents.InviteAnswered.class).communityId();
            case CommunityEvents.MEMBER_LEFT -> event.data(CommunityEvents.MemberLeft.class).communityId();
            case CommunityEvents.NOTIFICATIONS_SET -> event.data(CommunityEvents.NotificationsSet.class).communityId();
            default -> null;
        };
    }

    @Override
    public void init(ProcessorContext<String, Event> context) {
        this.context = context;
        members = context.getStateStore(NotificationTopology.COMMUNITY_MEMBERS);
        busy = context.getStateStore(NotificationTopology.COMMUNITY_BUSY);
        recent = context.getStateStore(NotificationTopology.COMMUNITY_RECENT_POSTS);
    }

    @Override
    public void process(Record<UUID, Event> record) {
        Event event = record.value();
        UUID community = record.key();
        long at = event.at().toEpochMilli();
        switch (event.type()) {
            case CommunityEvents.CREATED -> joined(record, community, event.data(CommunityEvents.Created.class).ownerId(), at);
            case CommunityEvents.MEMBER_JOINED ->
                    joined(record, community, event.data(CommunityEvents.MemberJoined.class).userId(), at);
            case CommunityEvents.INVITE_ACCEPTED ->
                    joined(record, community, event.data(CommunityEvents.InviteAnswered.class).inviteeId(), at);
            case CommunityEvents.MEMBER_LEFT ->
                    members.delete(new Member(community, event.data(CommunityEvents.MemberLeft.class).userId()));
            case CommunityEvents.NOTIFICATIONS_SET -> {
                var e = event.data(CommunityEvents.NotificationsSet.class);
                Member member = new Member(community, e.userId());
                Membership known = members.get(member);
                if (known != null) {
                    members.put(member, new Membership(e.muted(), known.joinedAt()));
                }
            }
            case PostEvents.CREATED -> {
                var post = event.data(PostEvents.Created.class);
                if (!post.pending()) { // a held post is told to the moderators only (QueueAlerts)
                    posted(event, record, community, post);
                }
            }
            default -> {
                // other community events change no one's membership
            }
        }
    }

    private void joined(Record<UUID, Event> record, UUID community, UUID user, long at) {
        members.put(new Member(community, user), new Membership(false, at));
        try (var told = recent.range(new Recent(community, LOWEST), new Recent(community, HIGHEST))) {
            told.forEachRemaining(kv -> {
                if (kv.value.at() >= at) {
                    tell(record, kv.value, user, community);
                }
            });
        }
    }

    private void posted(Event event, Record<UUID, Event> record, UUID community, PostEvents.Created post) {
        long at = event.at().toEpochMilli();
        long hour = at / HOUR * HOUR;
        Busy known = busy.get(community);
        int count = known != null && known.hour() == hour ? known.posts() + 1 : 1;
        busy.put(community, new Busy(hour, count));
        if (count > DIGEST_AFTER + 1) {
            return;
        }
        // Only the first posts of an hour are kept for late joins, so the older ones are let go as a
        // new one comes in: reading them back on every post of a busy community cost its stream thread
        // an eighth of its time.
        forgetBefore(community, at - HOUR);
        String kind = count <= DIGEST_AFTER ? NotificationEvents.NEW_POST : NotificationEvents.BUSY_COMMUNITY;
        Told told = new Told(kind, event.id(), event.actor(), at, kind.equals(NotificationEvents.NEW_POST) ? post.postId() : null);
        recent.put(new Recent(community, event.id()), told);
        for (UUID member : listening(community, at)) {
            tell(record, told, member, community);
        }
    }

    private void tell(Record<UUID, Event> record, Told post, UUID member, UUID community) {
        for (var out : NotificationTopology.notify(json, post.source(), member, post.kind(), community, post.postId(),
                null, null, null, null)) {
            context.forward(new Record<>(out.key, out.value, record.timestamp()));
        }
    }

    private void forgetBefore(UUID community, long cutoff) {
        List<Recent> old = new ArrayList<>();
        try (var told = recent.range(new Recent(community, LOWEST), new Recent(community, HIGHEST))) {
            told.forEachRemaining(kv -> {
                if (kv.value.at() < cutoff) {
                    old.add(kv.key);
                }
            });
        }
        old.forEach(recent::delete);
    }

    /** The members of the community who had joined by {@code at} and have not muted it. */
    private List<UUID> listening(UUID community, long at) {
        List<UUID> listening = new ArrayList<>();
        try (var all = members.range(new Member(community, LOWEST), new Member(community, HIGHEST))) {
            all.forEachRemaining(kv -> {
                if (!kv.value.muted() && kv.value.joinedAt() <= at) {
                    listening.add(kv.key.user());
                }
            });
        }
        return listening;
    }
}
