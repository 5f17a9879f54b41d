package org.c18n.search;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.c18n.chat.ChatEvents;
import org.c18n.community.CommunityEvents;
import org.c18n.eventlog.Event;
import org.c18n.identity.UserEvents;
import org.c18n.post.PostEvents;

/**
 * Turns one event of the log into the change it makes to the search index; texts are indexed as
 * read, Markdown rendered to plain text (so snippets show no Markdown syntax). Shares are not
 * indexed (the original is); pending posts are indexed as pending and shown to their author only
 * until approved.
 */
final class SearchFeed {
    void apply(SearchWrites index, Event event) {
        switch (event.type()) {
            // An erased person's events are shredded: only their id is left, and nothing of them is indexed.
            case UserEvents.REGISTERED -> {
                if (!event.shredded()) {
                    var e = event.data(UserEvents.Registered.class);
                    index.put(new SearchDoc(SearchDoc.USERS, e.userId(), e.displayName(), e.username(), null, List.of(),
                            null, null, null, null, null, event.at(), false));
                }
            }
            case UserEvents.PROFILE_UPDATED -> {
                if (!event.shredded()) {
                    var e = event.data(UserEvents.ProfileUpdated.class);
                    update(index, e.userId(), doc -> doc.withText(e.displayName() == null ? doc.title() : e.displayName(),
                            e.bio() == null ? doc.body() : PlainText.of(e.bio()), e.interests() == null ? doc.tags() : e.interests()));
                }
            }
            case UserEvents.ERASED -> index.purge(event.data(UserEvents.Erased.class).userId());
            case CommunityEvents.CREATED -> {
                var e = event.data(CommunityEvents.Created.class);
                index.put(new SearchDoc(SearchDoc.COMMUNITIES, e.communityId(), e.name(), null, PlainText.of(e.description()), e.tags(),
                        null, null, null, e.ownerId(), null, event.at(), false));
            }
            case CommunityEvents.UPDATED -> {
                var e = event.data(CommunityEvents.Updated.class);
                update(index, e.communityId(), doc -> doc.withText(doc.title(),
                        e.description() == null ? doc.body() : PlainText.of(e.description()), e.tags() == null ? doc.tags() : e.tags()));
            }
            case PostEvents.CREATED -> {
                var e = event.data(PostEvents.Created.class);
                index.put(new SearchDoc(SearchDoc.POSTS, e.postId(), e.title(), null, PlainText.of(e.body()), e.tags(), e.communityId(),
                        e.usergroupId(), null, e.authorId(), null, event.at(), e.pending()));
            }
            case PostEvents.EDITED -> {
                var e = event.data(PostEvents.Edited.class);
                update(index, e.postId(), doc -> doc.withText(e.title(), PlainText.of(e.body()), e.tags()));
            }
            case PostEvents.APPROVED -> update(index, event.data(PostEvents.Moderated.class).postId(),
                    doc -> doc.withPending(false));
            case PostEvents.DELETED -> removePost(index, event.data(PostEvents.Deleted.class).postId());
            case PostEvents.REJECTED -> removePost(index, event.data(PostEvents.Moderated.class).postId());
            case PostEvents.COMMENT_CREATED -> {
                var e = event.data(PostEvents.CommentCreated.class);
                index.get(e.postId()).ifPresent(post -> index.put(new SearchDoc(SearchDoc.COMMENTS, e.commentId(), null,
                        null, PlainText.of(e.body()), List.of(), post.community(), post.usergroup(), null, e.authorId(), e.postId(),
                        event.at(), false)));
            }
            case PostEvents.COMMENT_EDITED -> {
                var e = event.data(PostEvents.CommentEdited.class);
                update(index, e.commentId(), doc -> doc.withText(null, PlainText.of(e.body()), List.of()));
            }
            case PostEvents.COMMENT_DELETED -> index.delete(event.data(PostEvents.CommentDeleted.class).commentId());
            case ChatEvents.MESSAGE_SENT -> {
                var e = event.data(ChatEvents.MessageSent.class);
                index.put(new SearchDoc(SearchDoc.MESSAGES, e.messageId(), null, null, PlainText.of(e.body()), List.of(), null, null,
                        e.roomId(), e.senderId(), null, event.at(), false));
            }
            case ChatEvents.MESSAGE_EDITED -> {
                var e = event.data(ChatEvents.MessageEdited.class);
                update(index, e.messageId(), doc -> doc.withText(null, PlainText.of(e.body()), List.of()));
            }
            case ChatEvents.MESSAGE_DELETED -> index.delete(event.data(ChatEvents.MessageDeleted.class).messageId());
            default -> {
                // memberships, reactions, shares, read markers: nothing searchable changes
            }
        }
    }

    private static void update(SearchWrites index, UUID id, UnaryOperator<SearchDoc> change) {
        Optional<SearchDoc> doc = index.get(id);
        doc.ifPresent(d -> index.put(change.apply(d)));
    }

    private static void removePost(SearchWrites index, UUID postId) {
        index.delete(postId);
        index.deleteComments(postId);
    }
}
