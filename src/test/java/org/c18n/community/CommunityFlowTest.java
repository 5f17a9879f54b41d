package org.c18n.community;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.c18n.client.Api;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The foundation's main journey through the HTTP API, against the real embedded broker and database. */
class CommunityFlowTest extends PlatformTest {

    @Test
    void registerLoginCreateJoinInviteAndFormAGroup() {
        Api alice = signedUp("alice");
        Api bob = signedUp("bob");
        String bobId = bob.id();

        var created = alice.post("/api/v1/communities", Map.of("name", unique("Hikers "), "description",
                "Trails and peaks", "tags", List.of("outdoors", "hiking")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String communityId = created.text("id");
        assertThat(created.header("Location")).isEqualTo("/api/v1/communities/" + communityId);
        assertThat(created.body().path("memberCount").asInt()).isEqualTo(1);
        assertThat(created.text("myRole")).isEqualTo("owner");

        var found = bob.get("/api/v1/communities?tag=hiking&limit=100");
        assertThat(ids(found.body().path("items"))).contains(communityId);

        var joined = bob.post("/api/v1/communities/" + communityId + "/join", null);
        assertThat(joined.status()).as(joined.toString()).isEqualTo(200);
        assertThat(joined.text("myRole")).isEqualTo("member");
        assertThat(joined.body().path("memberCount").asInt()).isEqualTo(2);
        assertThat(bob.post("/api/v1/communities/" + communityId + "/join", null).status()).isEqualTo(409);

        var members = alice.get("/api/v1/communities/" + communityId + "/members");
        assertThat(ids(members.body().path("items"))).contains(bobId, alice.id());

        // An invite-only, private community: bob cannot see it until invited and accepted.
        var club = alice.post("/api/v1/communities", Map.of("name", unique("Secret club "), "visibility", "private"));
        assertThat(club.status()).isEqualTo(201);
        String clubId = club.text("id");
        assertThat(club.text("joinPolicy")).isEqualTo("invite");
        assertThat(bob.get("/api/v1/communities/" + clubId).status()).isEqualTo(404);
        assertThat(bob.post("/api/v1/communities/" + clubId + "/join", null).status()).isEqualTo(404);
        assertThat(ids(bob.get("/api/v1/communities?limit=100").body().path("items"))).doesNotContain(clubId);

        var invite = alice.post("/api/v1/communities/" + clubId + "/invites", Map.of("userId", bobId));
        assertThat(invite.status()).as(invite.toString()).isEqualTo(201);
        assertThat(alice.post("/api/v1/communities/" + clubId + "/invites", Map.of("userId", bobId)).status())
                .isEqualTo(409);
        var mine = bob.get("/api/v1/invites");
        assertThat(mine.body().path("items").get(0).path("status").asString()).isEqualTo("pending");
        assertThat(mine.body().path("items").get(0).path("communityId").asString()).isEqualTo(clubId);
        var accepted = bob.post("/api/v1/invites/" + invite.text("id") + "/accept", null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.text("status")).isEqualTo("accepted");
        assertThat(bob.post("/api/v1/invites/" + invite.text("id") + "/accept", null).status()).isEqualTo(409);
        assertThat(bob.get("/api/v1/communities/" + clubId).text("myRole")).isEqualTo("member");

        var group = alice.post("/api/v1/communities/" + clubId + "/usergroups",
                Map.of("name", "Trip planning", "memberIds", List.of(bobId)));
        assertThat(group.status()).as(group.toString()).isEqualTo(201);
        assertThat(group.body().path("memberCount").asInt()).isEqualTo(2);
        var bobsGroups = bob.get("/api/v1/usergroups");
        assertThat(ids(bobsGroups.body().path("items"))).contains(group.text("id"));
        var groupMembers = bob.get("/api/v1/usergroups/" + group.text("id") + "/members");
        assertThat(ids(groupMembers.body())).containsExactlyInAnyOrder(bobId, alice.id());

        // Leaving the community takes bob out of its groups.
        assertThat(bob.post("/api/v1/communities/" + clubId + "/leave", null).status()).isEqualTo(200);
        assertThat(bob.get("/api/v1/usergroups/" + group.text("id")).status()).isEqualTo(404);
        assertThat(bob.get("/api/v1/communities/" + clubId).status()).isEqualTo(404);
    }

    @Test
    void ownerAppointsModeratorsWhoMayEditAndInvite() {
        Api owner = signedUp("owner");
        Api mod = signedUp("mod");
        Api guest = signedUp("guest");
        String id = owner.post("/api/v1/communities", Map.of("name", unique("Readers "), "joinPolicy", "invite"))
                .text("id");
        assertThat(owner.post("/api/v1/communities/" + id + "/invites", Map.of("username",
                mod.get("/api/v1/users/me").text("username"))).status()).isEqualTo(201);
        String inviteId = mod.get("/api/v1/invites").body().path("items").get(0).path("id").asString();
        assertThat(mod.post("/api/v1/invites/" + inviteId + "/accept", null).status()).isEqualTo(200);

        assertThat(mod.patch("/api/v1/communities/" + id, Map.of("description", "x")).status()).isEqualTo(403);
        assertThat(owner.put("/api/v1/communities/" + id + "/moderators/" + mod.id(), null).status()).isEqualTo(200);
        var edited = mod.patch("/api/v1/communities/" + id, Map.of("description", "Books we love", "tags", List.of("books")));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.text("description")).isEqualTo("Books we love");
        assertThat(guest.post("/api/v1/communities/" + id + "/join", null).status()).isEqualTo(403);
        assertThat(guest.patch("/api/v1/communities/" + id, Map.of("description", "y")).status()).isEqualTo(403);
    }

    @Test
    void adHocGroupsAreVisibleToTheirMembersOnly() {
        Api a = signedUp("ann");
        Api b = signedUp("ben");
        Api c = signedUp("cat");
        var group = a.post("/api/v1/usergroups", Map.of("name", "Lunch", "memberIds", List.of(b.id())));
        assertThat(group.status()).isEqualTo(201);
        String id = group.text("id");
        assertThat(c.get("/api/v1/usergroups/" + id).status()).isEqualTo(404);
        assertThat(c.post("/api/v1/usergroups/" + id + "/members", Map.of("userId", c.id())).status()).isEqualTo(404);
        assertThat(b.post("/api/v1/usergroups/" + id + "/members", Map.of("userId", c.id())).status()).isEqualTo(201);
        assertThat(c.get("/api/v1/usergroups/" + id).body().path("memberCount").asInt()).isEqualTo(3);
        assertThat(b.delete("/api/v1/usergroups/" + id + "/members/" + c.id()).status()).isEqualTo(403);
        assertThat(c.delete("/api/v1/usergroups/" + id + "/members/" + c.id()).status()).isEqualTo(200);
    }

    static List<String> ids(JsonNode items) {
        return items.valueStream().map(n -> n.path("id").asString()).toList();
    }
}
