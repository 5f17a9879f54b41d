package org.c18n.notification;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.c18n.eventlog.Event;
import org.c18n.eventlog.Topics;
import org.c18n.post.PostEvents;
import tools.jackson.databind.ObjectMapper;

/**
 * A post or comment that names people as @username notifies each of them. Who is named, may read
 * it and has not blocked the author was decided as it was written and is in the event, so this
 * part needs no state.
 */
final class PostMentions {
    private PostMentions() {}

    static void add(KStream<String, Event> posts, ObjectMapper json, Produced<String, Event> produced) {
        posts.flatMap((key, event) -> {
            List<KeyValue<String, Event>> out = new ArrayList<>();
            switch (event.type()) {
                case PostEvents.CREATED -> {
                    var post = event.data(PostEvents.Created.class);
                    for (UUID mentioned : post.pending() || post.mentions() == null ? List.<UUID>of() : post.mentions()) {
                        out.addAll(NotificationTopology.notify(json, event, mentioned, NotificationEvents.MENTION,
                                post.communityId(), post.postId(), null, null, null, null));
                    }
                }
                case PostEvents.COMMENT_CREATED -> {
                    var comment = event.data(PostEvents.CommentCreated.class);
                    for (UUID mentioned : comment.mentions() == null ? List.<UUID>of() : comment.mentions()) {
                        out.addAll(NotificationTopology.notify(json, event, mentioned, NotificationEvents.MENTION,
                                null, comment.postId(), comment.commentId(), null, null, null));
                    }
                }
                default -> {
                    // nothing else names people
                }
            }
            return out;
        }, Named.as("post-mention-notifications")).to(Topics.NOTIFICATIONS, produced);
    }
}
