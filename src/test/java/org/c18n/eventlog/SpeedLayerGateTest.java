package org.c18n.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.c18n.client.Api;
import org.c18n.community.CommunityEvents;
import org.c18n.infra.KafkaConnection;
import org.c18n.speedlayer.SpeedLayer;
import org.c18n.support.Eventually;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The speed layer derives only from what the projector accepted: a duplicate invite (409) tells
 * the invitee nothing more, a lost claim of a community name is counted nowhere, and a recount
 * from the start of the log (the speed layer reset, as replay does it) agrees.
 */
class SpeedLayerGateTest extends PlatformTest {
    private static final List<String> STREAMED = List.of(Topics.USERS, Topics.COMMUNITIES, Topics.POSTS, Topics.MESSAGES);

    @Autowired
    SpeedLayer speedLayer;
    @Autowired
    Commands commands;
    @Autowired
    KafkaConnection kafka;

    @Test
    void refusedEventsNotifyNoOneAndCountForNothingAlsoAfterARecount() throws Exception {
        Api ann = signedUp("gann");
        Api bob = signedUp("gbob");
        String name = unique("Gated ");
        String community = ann.post("/api/v1/communities", Map.of("name", name, "visibility", "private")).text("id");
        var invite = ann.post("/api/v1/communities/" + community + "/invites", Map.of("userId", bob.id()));
        assertThat(invite.status()).as(invite.toString()).isIn(201, 202);
        speedLayerPassedTheLog();
        Map<String, Long> counted = Eventually.settled(() -> SpeedLayerResetTest.storedTotals(speedLayer));

        // The same invite again: the log holds it, the projector refuses it.
        var again = ann.post("/api/v1/communities/" + community + "/invites", Map.of("userId", bob.id()));
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        // A second claim of the name, as a node racing the first would write it.
        var lost = commands.submit(Topics.COMMUNITIES, CommunityEvents.CREATED, UUID.fromString(bob.id()), "community-name:" + name.toLowerCase(),
                new CommunityEvents.Created(UUID.randomUUID(), name, "", List.of(), "public", "open", UUID.fromString(bob.id()), false));
        assertThat(lost.rejection()).contains("name-taken");

        speedLayerPassedTheLog();
        assertThat(SpeedLayerResetTest.storedTotals(speedLayer)).isEqualTo(counted);
        assertThat(invitesFor(bob, ann, community)).isEqualTo(1);
        speedLayerPassedTheLog();
        Map<String, Long> beforeRecount = Eventually.settled(() -> SpeedLayerResetTest.storedTotals(speedLayer));

        speedLayer.stop();
        try {
            speedLayer.reset();
        } finally {
            speedLayer.start(); // the other tests share this platform
        }
        Eventually.get(() -> SpeedLayerResetTest.storedTotals(speedLayer), t -> t.getOrDefault("communities", 0L)
                >= beforeRecount.getOrDefault("communities", 0L), Duration.ofSeconds(90));
        speedLayerPassedTheLog();
        assertThat(SpeedLayerResetTest.storedTotals(speedLayer)).isEqualTo(beforeRecount);
        assertThat(invitesFor(bob, ann, community)).isEqualTo(1);
    }

    /**
     * Bob's invite notifications for {@code community}, once everything the speed layer derived so
     * far is in his inbox: a new invite (to another community) reaches his partition of the
     * notifications after anything derived before it, so when it shows, they have too.
     */
    private long invitesFor(Api bob, Api ann, String community) {
        String fence = ann.post("/api/v1/communities", Map.of("name", unique("Fence "), "visibility", "private")).text("id");
        ann.post("/api/v1/communities/" + fence + "/invites", Map.of("userId", bob.id()));
        JsonNode inbox = Eventually.get(() -> bob.get("/api/v1/notifications?limit=100").body(),
                body -> body.path("items").valueStream().anyMatch(n -> n.path("community").path("id").asString().equals(fence)),
                Duration.ofSeconds(60));
        return inbox.path("items").valueStream()
                .filter(n -> n.path("kind").asString().equals("invite"))
                .filter(n -> n.path("community").path("id").asString().equals(community)).count();
    }

    /** Waits until the speed layer has committed its work on every record written to the streamed topics so far. */
    private void speedLayerPassedTheLog() throws Exception {
        try (Admin admin = kafka.admin(Map.of())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(STREAMED).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, description) ->
                    description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((p, info) -> ends.put(p, info.offset()));
            Eventually.get(() -> {
                try {
                    Map<TopicPartition, Long> committed = new HashMap<>();
                    admin.listConsumerGroupOffsets(SpeedLayer.APPLICATION_ID).partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS).forEach((p, o) -> committed.put(p, o == null ? 0 : o.offset()));
                    return committed;
                } catch (Exception e) {
                    return Map.<TopicPartition, Long>of();
                }
            }, committed -> ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                    || committed.getOrDefault(e.getKey(), 0L) >= e.getValue()), Duration.ofSeconds(90));
        }
    }
}
