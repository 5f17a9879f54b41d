package org.c18n.moderation;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.c18n.eventlog.Event;
import org.c18n.post.PostEvents;
import tools.jackson.databind.ObjectMapper;

/**
 * The rules that read c18n.posts: too many links in a post or comment, a community's banned words,
 * too many dislikes. Every
 * event of a post is keyed by the post, so its comments and reactions reach the partition that
 * remembers where the post is and who wrote what.
 */
final class ContentRules implements Processor<String, Event, String, Event> {
    static final int MAX_LINKS = 5;
    static final int MIN_DISLIKES = 5;
    static final int DISLIKE_RATIO_PERCENT = 70;
    private static final Pattern LINK = Pattern.compile("https?://", Pattern.CASE_INSENSITIVE);
    private static final Pattern FULL_LINK = Pattern.compile("https?://[^\\s)\\]>\"']+", Pattern.CASE_INSENSITIVE);
    private static final Pattern WORD = Pattern.compile("[^\\p{L}\\p{N}'-]+");

    /** Where a post is (null: in no community) and who wrote it. */
    record Post(UUID community, UUID author) {}

    /** One user's reaction to a post or comment, as the store of reactions keys it. */
    record Reaction(UUID target, UUID user) {}

    /** The likes and dislikes of a post or comment. */
    record Reactions(int likes, int dislikes) {
        static final Reactions NONE = new Reactions(0, 0);
    }

    /** A rule that flagged a piece of content, as the store of flags keys it. */
    record Flag(UUID target, String rule) {}

    private final ObjectMapper json;
    private ProcessorContext<String, Event> context;
    private KeyValueStore<String, Post> posts;
    private KeyValueStore<String, UUID> comments;
    private KeyValueStore<Reaction, String> reactions;
    private KeyValueStore<String, Reactions> counts;
    private KeyValueStore<Flag, Boolean> flagged;
    private KeyValueStore<String, ValueAndTimestamp<String>> bannedWords;

    ContentRules(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void init(ProcessorContext<String, Event> context) {
        this.context = context;
        posts = context.getStateStore(ModerationTopology.POSTS);
        comments = context.getStateStore(ModerationTopology.COMMENTS);
        reactions = context.getStateStore(ModerationTopology.REACTIONS);
        counts = context.getStateStore(ModerationTopology.COUNTS);
        flagged = context.getStateStore(ModerationTopology.FLAGGED);
        bannedWords = context.getStateStore(ModerationTopology.BANNED_WORDS);
    }

    @Override
    public void process(Record<String, Event> record) {
        Event event = record.value();
        switch (event.type()) {
            case PostEvents.CREATED -> {
                var e = event.data(PostEvents.Created.class);
                posts.put(e.postId().toString(), new Post(e.communityId(), e.authorId()));
                String text = (e.title() == null ? "" : e.title()) + " " + e.body();
                links(event, record, ModerationEvents.POST, e.postId(), e.postId(), e.communityId(), e.authorId(), text);
                bannedWords(event, record, ModerationEvents.POST, e.postId(), e.postId(), e.communityId(), e.authorId(), text);
            }
            case PostEvents.COMMENT_CREATED -> {
                var e = event.data(PostEvents.CommentCreated.class);
                comments.put(e.commentId().toString(), e.authorId());
                links(event, record, ModerationEvents.COMMENT, e.commentId(), e.postId(), community(e.postId()), e.authorId(),
                        e.body());
                bannedWords(event, record, ModerationEvents.COMMENT, e.commentId(), e.postId(), community(e.postId()),
                        e.authorId(), e.body());
            }
            case PostEvents.REACTION_SET -> dislikes(event, record, event.data(PostEvents.ReactionSet.class));
            default -> {
                // edits, deletes and shares match no rule (yet)
            }
        }
    }

    /** The distinct links in a text, lower-cased, without trailing punctuation. */
    static java.util.Set<String> links(String text) {
        java.util.Set<String> links = new java.util.TreeSet<>();
        for (Matcher m = FULL_LINK.matcher(text); m.find(); ) {
            links.add(m.group().toLowerCase(java.util.Locale.ROOT).replaceAll("[.,;:!?]+$", ""));
        }
        return links;
    }

    private void links(Event event, Record<String, Event> record, String type, UUID target, UUID post, UUID community,
                       UUID author, String text) {
        int links = 0;
        for (Matcher m = LINK.matcher(text); m.find(); ) {
            links++;
        }
        if (links >= MAX_LINKS) {
            flag(event, record, type, target, post, community, author, "links", links + " links");
        }
    }

    private void bannedWords(Event event, Record<String, Event> record, String type, UUID target, UUID post,
                             UUID community, UUID author, String text) {
        if (community == null) {
            return;
        }
        String banned = ValueAndTimestamp.getValueOrNull(bannedWords.get(community.toString()));
        if (banned == null || banned.isEmpty()) {
            return;
        }
        java.util.Set<String> words = new java.util.HashSet<>(java.util.Arrays.asList(banned.split("\n")));
        java.util.Set<String> used = new java.util.TreeSet<>();
        for (String word : WORD.split(text.toLowerCase(java.util.Locale.ROOT))) {
            if (words.contains(word)) {
                used.add(word);
            }
        }
        if (!used.isEmpty()) {
            flag(event, record, type, target, post, community, author, "banned-words", "banned words: " + String.join(", ", used));
        }
    }

    /** Keeps each user's reaction per target, so that a changed reaction moves the counts instead of adding to them. */
    private void dislikes(Event event, Record<String, Event> record, PostEvents.ReactionSet e) {
        Reaction reaction = new Reaction(e.targetId(), e.userId());
        String before = reactions.get(reaction);
        reactions.put(reaction, e.kind());
        Reactions known = counts.get(e.targetId().toString());
        Reactions now = known == null ? Reactions.NONE : known;
        int likes = now.likes() + delta("like", before, e.kind());
        int dislikes = now.dislikes() + delta("dislike", before, e.kind());
        counts.put(e.targetId().toString(), new Reactions(likes, dislikes));
        if (dislikes >= MIN_DISLIKES && dislikes * 100 >= DISLIKE_RATIO_PERCENT * (likes + dislikes)) {
            boolean onPost = e.targetId().equals(e.postId());
            UUID author = onPost ? author(e.postId()) : comments.get(e.targetId().toString());
            flag(event, record, onPost ? ModerationEvents.POST : ModerationEvents.COMMENT, e.targetId(), e.postId(),
                    community(e.postId()), author, "dislikes", dislikes + " dislikes, " + likes + " likes");
        }
    }

    private static int delta(String kind, String before, String after) {
        return (kind.equals(after) ? 1 : 0) - (kind.equals(before) ? 1 : 0);
    }

    private void flag(Event event, Record<String, Event> record, String type, UUID target, UUID post, UUID community,
                      UUID author, String rule, String evidence) {
        Flag flag = new Flag(target, rule);
        if (flagged.get(flag) != null) {
            return;
        }
        flagged.put(flag, true);
        for (var out : ModerationTopology.flag(json, event.at(), type, target, post, null, community, author, rule, evidence)) {
            context.forward(new Record<>(out.key, out.value, record.timestamp()));
        }
    }

    private UUID community(UUID post) {
        Post known = posts.get(post.toString());
        return known == null ? null : known.community();
    }

    private UUID author(UUID post) {
        Post known = posts.get(post.toString());
        return known == null ? null : known.author();
    }
}
