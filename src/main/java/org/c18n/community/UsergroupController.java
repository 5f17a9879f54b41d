package org.c18n.community;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.Topics;
import org.c18n.eventlog.Uuids;
import org.c18n.identity.Users;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.Page;
import org.c18n.web.Writes;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * User-groups: inside a community (its members only) or ad hoc between users. Only members see
 * a group; to anyone else it does not exist (404).
 */
@RestController
public class UsergroupController {
    private final Usergroups usergroups;
    private final Communities communities;
    private final Users users;
    private final Commands commands;

    public UsergroupController(Usergroups usergroups, Communities communities, Users users, Commands commands) {
        this.usergroups = usergroups;
        this.communities = communities;
        this.users = users;
        this.commands = commands;
    }

    public record CreateRequest(@NotBlank @Size(max = 64) String name,
                                @Size(max = 100) List<@NotNull UUID> memberIds) {}

    public record AddMemberRequest(@NotNull UUID userId) {}

    @PostMapping("/api/v1/communities/{communityId}/usergroups")
    public ResponseEntity<Object> createInCommunity(CurrentUser me, @PathVariable UUID communityId,
                                                    @Valid @RequestBody CreateRequest request) {
        CommunityJson community = communities.visible(communityId, me)
                .orElseThrow(() -> ApiException.notFound("Community"));
        if (community.myRole() == null) {
            throw ApiException.forbidden("Only members form groups in a community");
        }
        List<UUID> members = memberIds(request, me);
        for (UUID member : members) {
            if (communities.role(communityId, member) == null) {
                throw ApiException.badRequest("validation", "memberIds: " + member + " is not a member of the community");
            }
        }
        refuseBlockers(me, members);
        return create(me, communityId, request.name().strip(), members);
    }

    @PostMapping("/api/v1/usergroups")
    public ResponseEntity<Object> createAdHoc(CurrentUser me, @Valid @RequestBody CreateRequest request) {
        List<UUID> members = memberIds(request, me);
        for (UUID member : members) {
            if (users.byId(member).isEmpty()) {
                throw ApiException.badRequest("validation", "memberIds: no user " + member);
            }
        }
        refuseBlockers(me, members);
        return create(me, null, request.name().strip(), members);
    }

    /** Nobody is put into a group by someone they have blocked. */
    private void refuseBlockers(CurrentUser me, List<UUID> members) {
        var blockers = users.blockersOf(me.id());
        for (UUID member : members) {
            if (blockers.contains(member)) {
                throw ApiException.forbidden(member + " does not accept being added to groups by you");
            }
        }
    }

    private ResponseEntity<Object> create(CurrentUser me, UUID communityId, String name, List<UUID> members) {
        UUID id = Uuids.v7();
        var outcome = commands.submit(Topics.COMMUNITIES, CommunityEvents.USERGROUP_CREATED, me.id(), id.toString(),
                new CommunityEvents.UsergroupCreated(id, communityId, name, me.id(), members));
        return Writes.created(outcome, "/api/v1/usergroups/" + id, () -> usergroups.byId(id).orElseThrow());
    }

    @GetMapping("/api/v1/usergroups")
    public Page<Usergroups.Usergroup> mine(CurrentUser me, @RequestParam(required = false) UUID communityId,
                                           @RequestParam(required = false) String cursor,
                                           @RequestParam(required = false) Integer limit) {
        int n = Page.limit(limit);
        String after = Page.decode(cursor);
        if (after != null) {
            try {
                UUID.fromString(after);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("validation", "cursor: is not a cursor this API gave out");
            }
        }
        return Page.of(usergroups.mine(me.id(), communityId, after, n + 1), n, g -> g.id().toString());
    }

    @GetMapping("/api/v1/usergroups/{id}")
    public Usergroups.Usergroup get(CurrentUser me, @PathVariable UUID id) {
        return visible(id, me);
    }

    @GetMapping("/api/v1/usergroups/{id}/members")
    public List<Usergroups.Member> members(CurrentUser me, @PathVariable UUID id) {
        visible(id, me);
        return usergroups.members(id);
    }

    @PostMapping("/api/v1/usergroups/{id}/members")
    public ResponseEntity<Object> addMember(CurrentUser me, @PathVariable UUID id,
                                            @Valid @RequestBody AddMemberRequest request) {
        Usergroups.Usergroup group = visible(id, me);
        users.byId(request.userId()).orElseThrow(() -> ApiException.notFound("User"));
        if (group.communityId() != null && communities.role(group.communityId(), request.userId()) == null) {
            throw ApiException.badRequest("validation", "userId: is not a member of the group's community");
        }
        refuseBlockers(me, List.of(request.userId()));
        if (usergroups.isMember(id, request.userId())) {
            throw ApiException.conflict("already-member", "Already in the group");
        }
        var outcome = commands.submit(Topics.COMMUNITIES, CommunityEvents.USERGROUP_MEMBER_ADDED, me.id(), id.toString(),
                new CommunityEvents.UsergroupMember(id, request.userId()));
        return Writes.created(outcome, "/api/v1/usergroups/" + id + "/members", () -> usergroups.members(id));
    }

    /** Leave (yourself) or remove someone (the group's creator). */
    @DeleteMapping("/api/v1/usergroups/{id}/members/{userId}")
    public ResponseEntity<Object> removeMember(CurrentUser me, @PathVariable UUID id, @PathVariable UUID userId) {
        Usergroups.Usergroup group = visible(id, me);
        if (!userId.equals(me.id()) && !group.createdBy().equals(me.id()) && !me.admin()) {
            throw ApiException.forbidden("Only the group's creator removes others");
        }
        if (!usergroups.isMember(id, userId)) {
            throw ApiException.notFound("Member");
        }
        var outcome = commands.submit(Topics.COMMUNITIES, CommunityEvents.USERGROUP_MEMBER_REMOVED, me.id(), id.toString(),
                new CommunityEvents.UsergroupMember(id, userId));
        return Writes.changed(outcome, "/api/v1/usergroups/" + id + "/members", () -> java.util.Map.of("removed", userId));
    }

    private Usergroups.Usergroup visible(UUID id, CurrentUser me) {
        return usergroups.byId(id).filter(g -> me.admin() || usergroups.isMember(id, me.id()))
                .orElseThrow(() -> ApiException.notFound("User-group"));
    }

    private static List<UUID> memberIds(CreateRequest request, CurrentUser me) {
        return request.memberIds() == null ? List.of()
                : request.memberIds().stream().filter(id -> !id.equals(me.id())).distinct().toList();
    }
}
