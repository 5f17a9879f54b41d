package org.c18n.notification;

import java.util.LinkedHashSet;
import java.util.Set;
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
final class PostNotifications implements Processor<String, Event, String, Event> {
    /** Who wrote a post, and in which community (null: none). */
    record Post(UUID author, UUID community) {}

    private final ObjectMapper json;
    private ProcessorContext<String, Event> context;
    private KeyValueStore<String, Post> posts;
    private KeyValueStore<String, UUID> comments;

    PostNotifications(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void init(ProcessorContext<String, Event> context) {
        this.context = context;
        this.posts = context.getStateStore(NotificationTopology.POST_AUTHORS);
        this.comments = context.getStateStore(NotificationTopology.COMMENT_AUTHORS);
    }

    @Override
    public void process(Record<String, Event> record) {
        Event event = record.value();
        switch (event.type()) {
            case PostEvents.CREATED -> {
                var e = event.data(PostEvents.Created.class);
                posts.put(e.postId().toString(), new Post(e.authorId(), e.communityId()));
            }
            case PostEvents.COMMENT_CREATED -> {
                var e = event.data(PostEvents.CommentCreated.class);
                comments.put(e.commentId().toString(), e.authorId());
                Post post = posts.get(e.postId().toString());
                // The author of the comment answered first, then the post's author: one notification each.
                Set<UUID> recipients = new LinkedHashSet<>();
                if (e.parentId() != null && comments.get(e.parentId().toString()) != null) {
                    recipients.add(comments.get(e.parentId().toString()));
                }
                if (post != null) {
                    recipients.add(post.author());
                }
                for (UUID recipient : recipients) {
                    emit(event, record, recipient, NotificationEvents.REPLY, post, e.postId(), e.commentId());
                }
            }
            case PostEvents.APPROVED, PostEvents.REJECTED -> {
                var e = event.data(PostEvents.Moderated.class);
                Post post = posts.get(e.postId().toString());
                if (post != null) {
                    emit(event, record, post.author(), event.type().equals(PostEvents.APPROVED)
                            ? NotificationEvents.POST_APPROVED : NotificationEvents.POST_REJECTED, post, e.postId(), null);
                }
            }
            default -> {
                // edits, deletes, reactions and shares notify nobody (yet)
            }
        }
    }

    private void emit(Event event, Record<String, Event> record, UUID recipient, String kind, Post post, UUID postId,
                      UUID commentId) {
        UUID community = post == null ? null : post.community();
        for (var out : NotificationTopology.notify(json, event, recipient, kind, community, postId, commentId, null, null, null)) {
            context.forward(new Record<>(out.key, out.value, record.timestamp()));
        }
    }
}
