package org.c18n.notification;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.c18n.eventlog.Event;
import org.c18n.post.PostEvents;
import tools.jackson.databind.ObjectMapper;

/**
 * Notifications from c18n.posts. Who wrote a post (and in which community) and who wrote each
 * comment is remembered here: every event of a post is keyed by the post, so a reply always
 * reaches the partition that saw the post and the comment it answers.
 */
final class PostNotifications implements Processor<String, String, String, String> {
    private final ObjectMapper json;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, String> posts;
    private KeyValueStore<String, String> comments;

    PostNotifications(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.posts = context.getStateStore(NotificationTopology.POST_AUTHORS);
        this.comments = context.getStateStore(NotificationTopology.COMMENT_AUTHORS);
    }

    @Override
    public void process(Record<String, String> record) {
        Event event = Event.parse(json, record.value());
        switch (event.type()) {
            case PostEvents.CREATED -> {
                var e = json.treeToValue(event.data(), PostEvents.Created.class);
                posts.put(e.postId().toString(), e.authorId() + "|" + (e.communityId() == null ? "" : e.communityId()));
            }
            case PostEvents.COMMENT_CREATED -> {
                var e = json.treeToValue(event.data(), PostEvents.CommentCreated.class);
                comments.put(e.commentId().toString(), e.authorId().toString());
                String[] post = post(e.postId());
                // The author of the comment answered first, then the post's author: one notification each.
                Map<UUID, Boolean> recipients = new LinkedHashMap<>();
                if (e.parentId() != null && comments.get(e.parentId().toString()) != null) {
                    recipients.put(UUID.fromString(comments.get(e.parentId().toString())), true);
                }
                if (post != null) {
                    recipients.put(UUID.fromString(post[0]), true);
                }
                for (UUID recipient : recipients.keySet()) {
                    emit(event, record, recipient, NotificationEvents.REPLY, post, e.postId(), e.commentId());
                }
            }
            case PostEvents.APPROVED, PostEvents.REJECTED -> {
                var e = json.treeToValue(event.data(), PostEvents.Moderated.class);
                String[] post = post(e.postId());
                if (post != null) {
                    emit(event, record, UUID.fromString(post[0]), event.type().equals(PostEvents.APPROVED)
                            ? NotificationEvents.POST_APPROVED : NotificationEvents.POST_REJECTED, post, e.postId(), null);
                }
            }
            default -> {
                // edits, deletes, reactions and shares notify nobody (yet)
            }
        }
    }

    /** The post's author and community, as remembered. */
    private String[] post(UUID postId) {
        String known = posts.get(postId.toString());
        return known == null ? null : known.split("\\|", -1);
    }

    private void emit(Event event, Record<String, String> record, UUID recipient, String kind, String[] post, UUID postId,
                      UUID commentId) {
        UUID community = post == null || post[1].isEmpty() ? null : UUID.fromString(post[1]);
        for (var out : NotificationTopology.notify(json, event, recipient, kind, community, postId, commentId, null, null, null)) {
            context.forward(new Record<>(out.key, out.value, record.timestamp()));
        }
    }
}
