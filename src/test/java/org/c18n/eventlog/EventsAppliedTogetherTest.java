package org.c18n.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.c18n.chat.ChatEvents;
import org.c18n.infra.DatabaseConnection;
import org.c18n.infra.InfrastructureConfig;
import org.c18n.notification.NotificationEvents;
import org.c18n.post.PostEvents;
import org.c18n.projection.EventApplier;
import org.c18n.projection.ProjectionStore;
import org.c18n.projection.Replayer;
import org.c18n.reader.DeadLetters;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.ObjectMapper;

/**
 * New posts, comments, reactions, notifications and chat messages applied in runs (a batch of the projector, a
 * replay) give exactly the views and verdicts that applying the same events one at a time gives:
 * replies to comments of the same run, a reaction changed several times, events refused in the
 * middle of a run, notifications between the comments, chat messages moving their senders' read
 * markers (never back).
 */
class EventsAppliedTogetherTest extends PlatformTest {
    @Autowired
    DatabaseConnection database;
    @Autowired
    List<EventApplier> appliers;
    @Autowired
    ObjectMapper json;
    @Autowired
    DeadLetters deadLetters;
    @Autowired
    PersonKeys keys;
    @Autowired
    Replayer replayer;
    @Autowired
    JdbcClient db;

    final List<ConsumerRecord<String, String>> log = new ArrayList<>();
    final Map<String, UUID> eventIds = new HashMap<>();
    Instant clock = Instant.parse("2026-12-01T10:00:00.000001Z");

    @Test
    void runsGiveTheViewsAndVerdictsOfOneEventAtATime() {
        UUID community = UUID.randomUUID();
        UUID ann = UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        UUID cid = UUID.randomUUID();
        UUID live = UUID.randomUUID();
        UUID gone = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        for (UUID post : List.of(live, gone, other)) {
            add("post " + post, PostEvents.CREATED, new PostEvents.Created(post, community, null, ann, "Title", "Body",
                    List.of("b", "a"), List.of(), false));
        }
        add("delete", PostEvents.DELETED, new PostEvents.Deleted(gone, ann));
        UUID top = UUID.randomUUID();
        UUID reply = UUID.randomUUID();
        UUID early = UUID.randomUUID();
        UUID late = UUID.randomUUID();
        UUID n1 = UUID.randomUUID();
        comment("top", top, live, null, bob);
        notification("n1", n1, ann, live, top);
        comment("reply", reply, live, top, ann);
        notification("n2", UUID.randomUUID(), bob, live, reply);
        comment("under a deleted post", UUID.randomUUID(), gone, null, bob);
        comment("parent of another post", UUID.randomUUID(), other, top, bob);
        comment("parent not yet written", early, other, late, bob);
        comment("late", late, other, null, bob);
        comment("reply to late", UUID.randomUUID(), other, late, cid);
        notification("n1 again", n1, ann, live, top);
        reaction("ann likes", live, live, ann, "like");
        reaction("ann dislikes", live, live, ann, "dislike");
        reaction("bob likes top", live, top, bob, "like");
        reaction("bob takes it back", live, top, bob, "none");
        reaction("bob likes top again", live, top, bob, "like");
        reaction("on the deleted post", gone, gone, bob, "like");
        reaction("not a kind", live, live, cid, "love");
        reaction("comment of another post", other, reply, cid, "like");
        reaction("cid likes other", other, other, cid, "dislike");
        reaction("nothing to take back", other, other, bob, "none");
        reaction("ann takes hers back", live, live, ann, "none");
        add("read", NotificationEvents.READ, new NotificationEvents.Read(ann, List.of(n1)));
        reaction("ann likes once more", live, live, ann, "like");
        reaction("bob dislikes the reply", live, reply, bob, "dislike");
        UUID room = UUID.randomUUID();
        UUID quiet = UUID.randomUUID();
        add("ann reads far ahead", ChatEvents.MESSAGE_READ, new ChatEvents.MessageRead(quiet, ann, 10_000));
        message("m1", room, ann, null, null);
        message("m2", room, bob, List.of(top, reply), List.of(ann));
        notification("n3", UUID.randomUUID(), ann, null, null);
        message("m3", room, ann, List.of(), null);
        message("m4", quiet, ann, null, List.of(bob, cid));
        add("bob reads", ChatEvents.MESSAGE_READ, new ChatEvents.MessageRead(room, bob, log.size() - 2));
        message("m5", room, bob, null, null);

        Map<UUID, String> oneByOne = new HashMap<>();
        Map<UUID, String> together;
        try (var first = schema("c18n_one_by_one"); var second = schema("c18n_together")) {
            ProjectionStore single = new ProjectionStore(first, appliers, json, deadLetters, keys, false);
            for (var record : log) {
                oneByOne.putAll(single.applyBatch(List.of(record)).rejected());
            }
            // A batch that fails is applied again one event at a time: that must not be how these runs pass.
            var storeLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ProjectionStore.class);
            var warnings = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
            warnings.start();
            storeLog.addAppender(warnings);
            try {
                together = new ProjectionStore(second, appliers, json, deadLetters, keys, false).applyBatch(log).rejected();
            } finally {
                storeLog.detachAppender(warnings);
            }
            assertThat(warnings.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).isEmpty();
        }

        assertThat(together).isEqualTo(oneByOne);
        assertThat(together).containsOnlyKeys(ids("under a deleted post", "parent of another post", "parent not yet written",
                "on the deleted post", "not a kind", "comment of another post"));
        assertThat(together.get(eventIds.get("not a kind"))).isEqualTo("invalid");
        assertThat(replayer.checksums("c18n_together")).isEqualTo(replayer.checksums("c18n_one_by_one"));
        assertThat(db.sql("SELECT comment_count || ' ' || like_count || ' ' || dislike_count FROM c18n_together.posts WHERE id = ?")
                .param(live).query(String.class).single()).isEqualTo("2 1 0");
        assertThat(db.sql("SELECT like_count || ' ' || dislike_count FROM c18n_together.comments WHERE id = ?")
                .param(top).query(String.class).single()).isEqualTo("1 0");
        assertThat(db.sql("SELECT count(*) FROM c18n_together.comments WHERE post_id = ? AND depth = 1").param(other)
                .query(Integer.class).single()).isEqualTo(1);
        assertThat(db.sql("SELECT count(*) FROM c18n_together.notifications").query(Integer.class).single()).isEqualTo(3);
        assertThat(db.sql("SELECT count(*) FROM c18n_together.messages").query(Integer.class).single()).isEqualTo(5);
        assertThat(db.sql("SELECT seq FROM c18n_together.read_markers WHERE room_id = ? AND user_id = ?").params(quiet, ann)
                .query(Long.class).single()).isEqualTo(10_000L);
        db.sql("DROP SCHEMA c18n_one_by_one CASCADE").update();
        db.sql("DROP SCHEMA c18n_together CASCADE").update();
    }

    private HikariDataSource schema(String name) {
        db.sql("DROP SCHEMA IF EXISTS " + name + " CASCADE").update();
        InfrastructureConfig.migrate(database, name);
        return Replayer.schemaDataSource(database, name);
    }

    private void comment(String name, UUID id, UUID post, UUID parent, UUID author) {
        add(name, PostEvents.COMMENT_CREATED, new PostEvents.CommentCreated(id, post, parent, author, name));
    }

    private void notification(String name, UUID id, UUID user, UUID post, UUID comment) {
        add(name, NotificationEvents.CREATED, new NotificationEvents.Created(id, user, "reply", null, null, post, comment,
                null, null, null));
    }

    private void message(String name, UUID room, UUID sender, List<UUID> media, List<UUID> mentions) {
        add(name, ChatEvents.MESSAGE_SENT, new ChatEvents.MessageSent(UUID.randomUUID(), room, sender, "someone", name, null,
                media, null, mentions, null));
    }

    private void reaction(String name, UUID post, UUID target, UUID user, String kind) {
        add(name, PostEvents.REACTION_SET, new PostEvents.ReactionSet(post, target, user, kind));
    }

    private void add(String name, String type, Object data) {
        clock = clock.plusMillis(1);
        UUID id = Uuids.v7();
        eventIds.put(name, id);
        Event event = new Event(id, type, 1, clock, null, "key", json.valueToTree(data));
        log.add(new ConsumerRecord<>(Topics.POSTS, 0, log.size(), event.key(), json.writeValueAsString(event)));
    }

    private UUID[] ids(String... names) {
        return java.util.Arrays.stream(names).map(eventIds::get).toArray(UUID[]::new);
    }
}
