package org.c18n.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringSerializer;
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
final class CommunityPosts implements Processor<String, String, String, String> {
    static final int DIGEST_AFTER = 5;
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final ObjectMapper json;
    private ProcessorContext<String, String> context;
    /** {@code community|user} → {@code on|joinedAt} or {@code muted|joinedAt} (epoch ms). */
    private KeyValueStore<String, String> members;
    /** community → {@code hourStart|posts in that hour}. */
    private KeyValueStore<String, String> busy;
    /** {@code community|postEventId} → a post told of in the last hour, see {@link Told}. */
    private KeyValueStore<String, String> recent;

    CommunityPosts(ObjectMapper json) {
        this.json = json;
    }

    /** What a late join needs to be told of a post: the notification's source and kind. */
    private record Told(String kind, UUID eventId, UUID actor, long at, UUID postId) {
        static Told parse(String value) {
            String[] f = value.split("\\|", -1);
            return new Told(f[0], UUID.fromString(f[1]), UUID.fromString(f[2]), Long.parseLong(f[3]),
                    f[4].isEmpty() ? null : UUID.fromString(f[4]));
        }

        String format() {
            return kind + "|" + eventId + "|" + actor + "|" + at + "|" + (postId == null ? "" : postId);
        }

        Event source() {
            return new Event(eventId, PostEvents.CREATED, 1, Instant.ofEpochMilli(at), actor, null, null);
        }
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        members = context.getStateStore(NotificationTopology.COMMUNITY_MEMBERS);
        busy = context.getStateStore(NotificationTopology.COMMUNITY_BUSY);
        recent = context.getStateStore(NotificationTopology.COMMUNITY_RECENT_POSTS);
    }

    @Override
    public void process(Record<String, String> record) {
        Event event = Event.parse(json, record.value());
        String community = record.key();
        long at = event.at().toEpochMilli();
        switch (event.type()) {
            case CommunityEvents.CREATED ->
                    joined(record, community, json.treeToValue(event.data(), CommunityEvents.Created.class).ownerId(), at);
            case CommunityEvents.MEMBER_JOINED ->
                    joined(record, community, json.treeToValue(event.data(), CommunityEvents.MemberJoined.class).userId(), at);
            case CommunityEvents.INVITE_ACCEPTED ->
                    joined(record, community, json.treeToValue(event.data(), CommunityEvents.InviteAnswered.class).inviteeId(), at);
            case CommunityEvents.MEMBER_LEFT ->
                    members.delete(community + "|" + json.treeToValue(event.data(), CommunityEvents.MemberLeft.class).userId());
            case CommunityEvents.NOTIFICATIONS_SET -> {
                var e = json.treeToValue(event.data(), CommunityEvents.NotificationsSet.class);
                String known = members.get(community + "|" + e.userId());
                if (known != null) {
                    members.put(community + "|" + e.userId(), (e.muted() ? "muted" : "on") + known.substring(known.indexOf('|')));
                }
            }
            case PostEvents.CREATED -> posted(event, record, community, json.treeToValue(event.data(), PostEvents.Created.class));
            default -> {
                // other community events change no one's membership
            }
        }
    }

    private void joined(Record<String, String> record, String community, UUID user, long at) {
        members.put(community + "|" + user, "on|" + at);
        try (var told = recent.prefixScan(community + "|", new StringSerializer())) {
            told.forEachRemaining(kv -> {
                Told post = Told.parse(kv.value);
                if (post.at() >= at) {
                    tell(record, post, user, UUID.fromString(community));
                }
            });
        }
    }

    private void posted(Event event, Record<String, String> record, String community, PostEvents.Created post) {
        long at = event.at().toEpochMilli();
        long hour = at / HOUR * HOUR;
        String known = busy.get(community);
        int count = 1;
        if (known != null && Long.parseLong(known.substring(0, known.indexOf('|'))) == hour) {
            count = Integer.parseInt(known.substring(known.indexOf('|') + 1)) + 1;
        }
        busy.put(community, hour + "|" + count);
        forgetBefore(community, at - HOUR);
        if (count > DIGEST_AFTER + 1) {
            return;
        }
        String kind = count <= DIGEST_AFTER ? NotificationEvents.NEW_POST : NotificationEvents.BUSY_COMMUNITY;
        Told told = new Told(kind, event.id(), event.actor(), at, kind.equals(NotificationEvents.NEW_POST) ? post.postId() : null);
        recent.put(community + "|" + event.id(), told.format());
        for (UUID member : listening(community, at)) {
            tell(record, told, member, UUID.fromString(community));
        }
    }

    private void tell(Record<String, String> record, Told post, UUID member, UUID community) {
        for (var out : NotificationTopology.notify(json, post.source(), member, post.kind(), community, post.postId(),
                null, null, null, null)) {
            context.forward(new Record<>(out.key, out.value, record.timestamp()));
        }
    }

    private void forgetBefore(String community, long cutoff) {
        List<String> old = new ArrayList<>();
        try (var told = recent.prefixScan(community + "|", new StringSerializer())) {
            told.forEachRemaining(kv -> {
                if (Told.parse(kv.value).at() < cutoff) {
                    old.add(kv.key);
                }
            });
        }
        old.forEach(recent::delete);
    }

    /** The members of the community who had joined by {@code at} and have not muted it. */
    private List<UUID> listening(String community, long at) {
        List<UUID> listening = new ArrayList<>();
        try (var all = members.prefixScan(community + "|", new StringSerializer())) {
            all.forEachRemaining(kv -> {
                String[] state = kv.value.split("\\|");
                if (state[0].equals("on") && (state.length < 2 || Long.parseLong(state[1]) <= at)) {
                    listening.add(UUID.fromString(kv.key.substring(kv.key.indexOf('|') + 1)));
                }
            });
        }
        return listening;
    }
}
