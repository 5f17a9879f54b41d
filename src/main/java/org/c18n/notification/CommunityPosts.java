package org.c18n.notification;

import java.time.Duration;
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
 */
final class CommunityPosts implements Processor<String, String, String, String> {
    static final int DIGEST_AFTER = 5;
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final ObjectMapper json;
    private ProcessorContext<String, String> context;
    /** {@code community|user} → {@code on} or {@code muted}. */
    private KeyValueStore<String, String> members;
    /** community → {@code hourStart|posts in that hour}. */
    private KeyValueStore<String, String> busy;

    CommunityPosts(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        members = context.getStateStore(NotificationTopology.COMMUNITY_MEMBERS);
        busy = context.getStateStore(NotificationTopology.COMMUNITY_BUSY);
    }

    @Override
    public void process(Record<String, String> record) {
        Event event = json.readValue(record.value(), Event.class);
        String community = record.key();
        switch (event.type()) {
            case CommunityEvents.CREATED ->
                    members.put(community + "|" + json.treeToValue(event.data(), CommunityEvents.Created.class).ownerId(), "on");
            case CommunityEvents.MEMBER_JOINED ->
                    members.put(community + "|" + json.treeToValue(event.data(), CommunityEvents.MemberJoined.class).userId(), "on");
            case CommunityEvents.INVITE_ACCEPTED -> members.put(community + "|"
                    + json.treeToValue(event.data(), CommunityEvents.InviteAnswered.class).inviteeId(), "on");
            case CommunityEvents.MEMBER_LEFT ->
                    members.delete(community + "|" + json.treeToValue(event.data(), CommunityEvents.MemberLeft.class).userId());
            case CommunityEvents.NOTIFICATIONS_SET -> {
                var e = json.treeToValue(event.data(), CommunityEvents.NotificationsSet.class);
                if (members.get(community + "|" + e.userId()) != null) {
                    members.put(community + "|" + e.userId(), e.muted() ? "muted" : "on");
                }
            }
            case PostEvents.CREATED -> posted(event, record, UUID.fromString(community),
                    json.treeToValue(event.data(), PostEvents.Created.class));
            default -> {
                // other community events change no one's membership
            }
        }
    }

    private void posted(Event event, Record<String, String> record, UUID community, PostEvents.Created post) {
        long hour = record.timestamp() / HOUR * HOUR;
        String known = busy.get(community.toString());
        int count = 1;
        if (known != null && Long.parseLong(known.substring(0, known.indexOf('|'))) == hour) {
            count = Integer.parseInt(known.substring(known.indexOf('|') + 1)) + 1;
        }
        busy.put(community.toString(), hour + "|" + count);
        if (count > DIGEST_AFTER + 1) {
            return;
        }
        String kind = count <= DIGEST_AFTER ? NotificationEvents.NEW_POST : NotificationEvents.BUSY_COMMUNITY;
        for (UUID member : listening(community)) {
            if (!member.equals(post.authorId())) {
                for (var out : NotificationTopology.notify(json, event, member, kind, community,
                        kind.equals(NotificationEvents.NEW_POST) ? post.postId() : null, null, null, null, null)) {
                    context.forward(new Record<>(out.key, out.value, record.timestamp()));
                }
            }
        }
    }

    /** The members of the community who have not muted it. */
    private List<UUID> listening(UUID community) {
        List<UUID> listening = new ArrayList<>();
        try (var all = members.prefixScan(community + "|", new StringSerializer())) {
            all.forEachRemaining(kv -> {
                if (kv.value.equals("on")) {
                    listening.add(UUID.fromString(kv.key.substring(kv.key.indexOf('|') + 1)));
                }
            });
        }
        return listening;
    }
}
