package org.c18n.notification;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.c18n.community.CommunityEvents;
import org.c18n.eventlog.Event;
import org.c18n.moderation.ModerationEvents;
import org.c18n.post.PostEvents;
import tools.jackson.databind.ObjectMapper;

/**
 * A community's owner and moderators hear that its moderation queue grew: a post held for
 * approval, a report, a rule's flag. They hear of a piece of content once while it waits (more
 * reports or flags of it say nothing new) and again only after a decision on it; whoever caused
 * the item (the reporter, the author) is not told. Who moderates is kept here from the
 * community's events, which arrive keyed by community with the items (see {@link NotificationTopology}).
 */
final class QueueAlerts implements Processor<UUID, Event, String, Event> {
    private static final UUID LOWEST = new UUID(0, 0);
    private static final UUID HIGHEST = new UUID(-1, -1);

    private final ObjectMapper json;
    private ProcessorContext<String, Event> context;
    /** The owner and moderators of each community: their role. */
    private KeyValueStore<CommunityPosts.Member, String> moderators;
    /** The content whose moderators were told and not yet decided on: the event that told them. */
    private KeyValueStore<String, UUID> told;

    QueueAlerts(ObjectMapper json) {
        this.json = json;
    }

    /** The community whose moderators or queue {@code event} concerns (beyond membership), or null. */
    static UUID communityOf(Event event) {
        return switch (event.type()) {
            case CommunityEvents.ROLE_CHANGED -> event.data(CommunityEvents.RoleChanged.class).communityId();
            case ModerationEvents.REPORT_FILED -> event.data(ModerationEvents.ReportFiled.class).communityId();
            case ModerationEvents.FLAGGED -> event.data(ModerationEvents.Flagged.class).communityId();
            case ModerationEvents.DECIDED -> event.data(ModerationEvents.Decided.class).communityId();
            case PostEvents.CREATED -> {
                var post = event.data(PostEvents.Created.class);
                yield post.pending() ? post.communityId() : null;
            }
            default -> null;
        };
    }

    @Override
    public void init(ProcessorContext<String, Event> context) {
        this.context = context;
        moderators = context.getStateStore(NotificationTopology.COMMUNITY_MODERATORS);
        told = context.getStateStore(NotificationTopology.QUEUE_TOLD);
    }

    @Override
    public void process(Record<UUID, Event> record) {
        Event event = record.value();
        UUID community = record.key();
        switch (event.type()) {
            case CommunityEvents.CREATED ->
                    moderators.put(new CommunityPosts.Member(community, event.data(CommunityEvents.Created.class).ownerId()),
                            "owner");
            case CommunityEvents.ROLE_CHANGED -> {
                var e = event.data(CommunityEvents.RoleChanged.class);
                var member = new CommunityPosts.Member(community, e.userId());
                if ("moderator".equals(e.role())) {
                    moderators.put(member, e.role());
                } else if (!"owner".equals(moderators.get(member))) {
                    moderators.delete(member);
                }
            }
            case CommunityEvents.MEMBER_LEFT ->
                    moderators.delete(new CommunityPosts.Member(community, event.data(CommunityEvents.MemberLeft.class).userId()));
            case ModerationEvents.REPORT_FILED -> {
                var e = event.data(ModerationEvents.ReportFiled.class);
                queued(record, community, e.targetType(), e.targetId(), e.postId(), e.roomId(), e.authorId());
            }
            case ModerationEvents.FLAGGED -> {
                var e = event.data(ModerationEvents.Flagged.class);
                queued(record, community, e.targetType(), e.targetId(), e.postId(), e.roomId(), e.authorId());
            }
            case ModerationEvents.DECIDED -> told.delete(event.data(ModerationEvents.Decided.class).targetId().toString());
            case PostEvents.CREATED -> {
                var post = event.data(PostEvents.Created.class);
                if (post.pending()) {
                    queued(record, community, ModerationEvents.POST, post.postId(), post.postId(), null, post.authorId());
                }
            }
            default -> {
                // joins, mutes and the rest change no one's role
            }
        }
    }

    private void queued(Record<UUID, Event> record, UUID community, String targetType, UUID target, UUID post, UUID room,
                        UUID author) {
        if (told.get(target.toString()) != null) {
            return;
        }
        Event source = record.value();
        told.put(target.toString(), source.id());
        UUID comment = ModerationEvents.COMMENT.equals(targetType) ? target : null;
        UUID message = ModerationEvents.MESSAGE.equals(targetType) ? target : null;
        for (UUID moderator : moderatorsOf(community)) {
            if (moderator.equals(author)) {
                continue;
            }
            for (var out : NotificationTopology.notify(json, source, moderator, NotificationEvents.QUEUE, community, post, comment,
                    room, message, null)) {
                context.forward(new Record<>(out.key, out.value, record.timestamp()));
            }
        }
    }

    private List<UUID> moderatorsOf(UUID community) {
        List<UUID> all = new ArrayList<>();
        try (var range = moderators.range(new CommunityPosts.Member(community, LOWEST),
                new CommunityPosts.Member(community, HIGHEST))) {
            range.forEachRemaining(kv -> all.add(kv.key.user()));
        }
        return all;
    }
}
