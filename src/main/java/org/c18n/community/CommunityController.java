package org.c18n.community;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
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
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Communities: create, find, change, join, leave, members and moderators, invites. */
@RestController
@RequestMapping("/api/v1/communities")
public class CommunityController {
    static final String TAG_RULE = "^[a-z0-9][a-z0-9-]{0,31}$";
    static final String TAG_MESSAGE = "must be 1 to 32 lower-case letters, digits or '-'";

    private final Communities communities;
    private final Commands commands;
    private final Users users;
    private final Invites invites;

    public CommunityController(Communities communities, Commands commands, Users users, Invites invites) {
        this.communities = communities;
        this.commands = commands;
        this.users = users;
        this.invites = invites;
    }

    public record CreateRequest(
            @NotNull @Pattern(regexp = "^[\\p{L}\\p{N}][\\p{L}\\p{N} _.'’-]{1,62}[\\p{L}\\p{N}]$",
                    message = "must be 3 to 64 letters, digits, spaces, apostrophes, '_', '.' or '-'") String name,
            @Size(max = 2000) String description,
            @Size(max = 10) List<@NotNull @Pattern(regexp = TAG_RULE, message = TAG_MESSAGE) String> tags,
            @Pattern(regexp = "public|private", message = "must be public or private") String visibility,
            @Pattern(regexp = "open|invite", message = "must be open or invite") String joinPolicy,
            Boolean postApproval) {}

    /** {@code bannedWords}: single words (letters, digits, - and '), flagged for the moderators when used. */
    public record UpdateRequest(
            @Size(max = 2000) String description,
            @Size(max = 10) List<@NotNull @Pattern(regexp = TAG_RULE, message = TAG_MESSAGE) String> tags,
            @Pattern(regexp = "public|private", message = "must be public or private") String visibility,
            @Pattern(regexp = "open|invite", message = "must be open or invite") String joinPolicy,
            Boolean postApproval,
            @Size(max = 50) List<@NotNull @Pattern(regexp = "[\\p{L}\\p{N}'-]{1,40}",
                    message = "must be one word of up to 40 letters, digits, - or '") String> bannedWords,
            @Size(max = 5000) String rules) {}

    public record InviteRequest(UUID userId, @Size(max = 32) String username) {}

    @PostMapping
    public ResponseEntity<Object> create(CurrentUser me, @Valid @RequestBody CreateRequest request) {
        String visibility = request.visibility() == null ? "public" : request.visibility();
        String joinPolicy = request.joinPolicy() == null ? (visibility.equals("private") ? "invite" : "open")
                : request.joinPolicy();
        checkPolicy(visibility, joinPolicy);
        String name = request.name().strip();
        if (communities.nameTaken(name)) {
            throw ApiException.conflict("name-taken", "A community with that name already exists");
        }
        UUID id = Uuids.v7();
        var outcome = commands.submit(Topics.COMMUNITIES, CommunityEvents.CREATED, me.id(),
                "community-name:" + name.toLowerCase(),
                new CommunityEvents.Created(id, name, request.description() == null ? "" : request.description(),
                        tags(request.tags()), visibility, joinPolicy, me.id(),
                        Boolean.TRUE.equals(request.postApproval())));
        return Writes.created(outcome, "/api/v1/communities/" + id, () -> communities.byId(id, me.id()).orElseThrow());
    }

    @GetMapping
    public Page<CommunityJson> list(CurrentUser me, @RequestParam(required = false) String q,
                                    @RequestParam(required = false) String tag,
                                    @RequestParam(required = false, defaultValue = "false") boolean mine,
                                    @RequestParam(required = false) String cursor,
                                    @RequestParam(required = false) Integer limit) {
        if (q != null && q.length() > 100) {
            throw ApiException.badRequest("validation", "q: must be at most 100 characters");
        }
        if (tag != null && tag.length() > 32) {
            throw ApiException.badRequest("validation", "tag: must be at most 32 characters");
        }
        int n = Page.limit(limit);
        return Page.of(communities.list(me, q, tag, mine, Page.decode(cursor), n + 1), n, c -> c.name().toLowerCase());
    }

    @GetMapping("/{id}")
    public CommunityJson get(CurrentUser me, @PathVariable UUID id) {
        return visible(id, me);
    }

    @PatchMapping("/{id}")
    public ResponseEntity<Object> update(CurrentUser me, @PathVariable UUID id, @Valid @RequestBody UpdateRequest request) {
        CommunityJson community = requireModerator(id, me);
        checkPolicy(request.visibility() == null ? community.visibility() : request.visibility(),
                request.joinPolicy() == null ? community.joinPolicy() : request.joinPolicy());
        var outcome = commands.submit(Topics.COMMUNITIES, CommunityEvents.UPDATED, me.id(), id.toString(),
                new CommunityEvents.Updated(id, request.description(),
                        request.tags() == null ? null : tags(request.tags()), request.visibility(), request.joinPolicy(),
                        request.postApproval(), request.bannedWords() == null ? null
                                : request.bannedWords().stream().map(w -> w.toLowerCase(java.util.Locale.ROOT)).distinct().toList(),
                        request.rules()));
        return Writes.changed(outcome, "/api/v1/communities/" + id, () -> communities.byId(id, me.id()).orElseThrow());
    }

    /** Makes the community read-only (owner, admins): it stays readable, nothing new goes in. */
    @PostMapping("/{id}/archive")
    public ResponseEntity<Object> archive(CurrentUser me, @PathVariable UUID id) {
        if (requireOwner(id, me).archivedAt() != null) {
            throw ApiException.conflict("already-archived", "The community is archived already");
        }
        var outcome = commands.submit(Topics.COMMUNITIES, CommunityEvents.ARCHIVED, me.id(), id.toString(),
                new CommunityEvents.Lifecycle(id, me.id()));
        return Writes.changed(outcome, "/api/v1/communities/" + id, () -> communities.byId(id, me.id()).orElseThrow());
    }

    @PostMapping("/{id}/unarchive")
    public ResponseEntity<Object> unarchive(CurrentUser me, @PathVariable UUID id) {
        if (requireOwner(id, me).archivedAt() == null) {
            throw ApiException.conflict("not-archived", "The community is not archived");
        }
        var outcome = commands.submit(Topics.COMMUNITIES, CommunityEvents.UNARCHIVED, me.id(), id.toString(),
                new CommunityEvents.Lifecycle(id, me.id()));
        return Writes.changed(outcome, "/api/v1/communities/" + id, () -> communities.byId(id, me.id()).orElseThrow());
    }

    /** Deletes the community for good (owner, admins); {@code confirm} must repeat its name exactly. */
    @DeleteMapping("/{id}")
    public ResponseEntity<Object> delete(CurrentUser me, @PathVariable UUID id,
                                         @RequestParam(required = false) String confirm) {
        CommunityJson community = requireOwner(id, me);
        if (!community.name().equals(confirm)) {
            throw ApiException.badRequest("validation", "confirm: must be the community's name, exactly");
        }
        var outcome = commands.submit(Topics.COMMUNITIES, CommunityEvents.DELETED, me.id(), id.toString(),
                new CommunityEvents.Lifecycle(id, me.id()));
        return Writes.changed(outcome, "/api/v1/communities/" + id, () -> Map.of("id", id, "status", "deleted"));
    }

    private CommunityJson requireOwner(UUID id, CurrentUser me) {
        CommunityJson community = visible(id, me);
        if (!"owner".equals(community.myRole()) && !me.admin()) {
            throw ApiException.forbidden("Only the owner and admins archive or delete a community");
        }
        return community;
    }

    @PostMapping("/{id}/join")
    public ResponseEntity<Object> join(CurrentUser me, @PathVariable UUID id) {
        CommunityJson community = visible(id, me);
        if (community.myRole() != null) {
            throw ApiException.conflict("already-member", "You are already a member");
        }
        if (!community.joinPolicy().equals("open")) {
            throw ApiException.forbidden("This community admits members by invite only");
        }
        if (community.myRestriction() != null) {
            throw ApiException.forbidden(community.myRestriction().describe());
        }
        var outcome = commands.submit(Topics.COMMUNITIES, CommunityEvents.MEMBER_JOINED, me.id(), id.toString(),
                new CommunityEvents.MemberJoined(id, me.id()));
        return Writes.changed(outcome, "/api/v1/communities/" + id, () -> communities.byId(id, me.id()).orElseThrow());
    }

    public record NotificationsRequest(@jakarta.validation.constraints.NotNull Boolean muted) {}

    /** Mutes or unmutes the community's new-post notifications for me (members only). */
    @PutMapping("/{id}/notifications")
    public ResponseEntity<Object> notifications(CurrentUser me, @PathVariable UUID id,
                                                @jakarta.validation.Valid @RequestBody NotificationsRequest request) {
        CommunityJson community = visible(id, me);
        if (community.myRole() == null) {
            throw ApiException.forbidden("Only members receive a community's notifications");
        }
        var outcome = commands.submit(Topics.COMMUNITIES, CommunityEvents.NOTIFICATIONS_SET, me.id(), id.toString(),
                new CommunityEvents.NotificationsSet(id, me.id(), request.muted()));
        return Writes.changed(outcome, "/api/v1/communities/" + id, () -> communities.byId(id, me.id()).orElseThrow());
    }

    @PostMapping("/{id}/leave")
    public ResponseEntity<Object> leave(CurrentUser me, @PathVariable UUID id) {
        CommunityJson community = visible(id, me);
        if (community.myRole() == null) {
            throw ApiException.conflict("not-member", "You are not a member");
        }
        if (community.myRole().equals("owner")) {
            throw ApiException.conflict("owner-cannot-leave", "The owner cannot leave their community");
        }
        var outcome = commands.submit(Topics.COMMUNITIES, CommunityEvents.MEMBER_LEFT, me.id(), id.toString(),
                new CommunityEvents.MemberLeft(id, me.id()));
        return Writes.changed(outcome, "/api/v1/communities/" + id, () -> communities.byId(id, me.id()).orElseThrow());
    }

    @GetMapping("/{id}/members")
    public Page<Communities.Member> members(CurrentUser me, @PathVariable UUID id,
                                            @RequestParam(required = false) String cursor,
                                            @RequestParam(required = false) Integer limit) {
        visible(id, me);
        int n = Page.limit(limit);
        return Page.of(communities.members(id, Page.decode(cursor), n + 1), n, m -> m.username().toLowerCase());
    }

    @PutMapping("/{id}/moderators/{userId}")
    public ResponseEntity<Object> appoint(CurrentUser me, @PathVariable UUID id, @PathVariable UUID userId) {
        return changeRole(me, id, userId, "moderator");
    }

    @DeleteMapping("/{id}/moderators/{userId}")
    public ResponseEntity<Object> dismiss(CurrentUser me, @PathVariable UUID id, @PathVariable UUID userId) {
        return changeRole(me, id, userId, "member");
    }

    private ResponseEntity<Object> changeRole(CurrentUser me, UUID id, UUID userId, String role) {
        CommunityJson community = visible(id, me);
        if (!"owner".equals(community.myRole()) && !me.admin()) {
            throw ApiException.forbidden("Only the owner appoints moderators");
        }
        String current = communities.role(id, userId);
        if (current == null) {
            throw ApiException.notFound("Member");
        }
        if (current.equals("owner")) {
            throw ApiException.conflict("owner-role-fixed", "The owner's role cannot change");
        }
        var outcome = commands.submit(Topics.COMMUNITIES, CommunityEvents.ROLE_CHANGED, me.id(), id.toString(),
                new CommunityEvents.RoleChanged(id, userId, role));
        return Writes.changed(outcome, "/api/v1/communities/" + id + "/members",
                () -> communities.members(id, null, Page.MAX_LIMIT).stream()
                        .filter(m -> m.id().equals(userId)).findFirst().orElseThrow());
    }

    @PostMapping("/{id}/invites")
    public ResponseEntity<Object> invite(CurrentUser me, @PathVariable UUID id, @Valid @RequestBody InviteRequest request) {
        CommunityJson community = visible(id, me);
        if (community.myRole() == null && !me.admin()) {
            throw ApiException.forbidden("Only members can invite");
        }
        if (!community.joinPolicy().equals("open") && !community.canModerate() && !me.admin()) {
            throw ApiException.forbidden("Only the owner and moderators invite to this community");
        }
        if (request.userId() == null && (request.username() == null || request.username().isBlank())) {
            throw ApiException.badRequest("validation", "userId: give the invitee's userId or username");
        }
        var invitee = (request.userId() != null ? users.byId(request.userId()) : users.byUsername(request.username().strip()))
                .orElseThrow(() -> ApiException.notFound("User"));
        if (communities.role(id, invitee.id()) != null) {
            throw ApiException.conflict("already-member", invitee.username() + " is already a member");
        }
        UUID inviteId = Uuids.v7();
        var outcome = commands.submit(Topics.COMMUNITIES, CommunityEvents.INVITE_SENT, me.id(), id.toString(),
                new CommunityEvents.InviteSent(inviteId, id, me.id(), invitee.id()));
        return Writes.created(outcome, "/api/v1/invites/" + inviteId, () -> invites.byId(inviteId).orElseThrow());
    }

    /** The community, when the caller may see it; else 404, as if it did not exist. */
    private CommunityJson visible(UUID id, CurrentUser me) {
        return communities.visible(id, me).orElseThrow(() -> ApiException.notFound("Community"));
    }

    private CommunityJson requireModerator(UUID id, CurrentUser me) {
        CommunityJson community = visible(id, me);
        if (!community.canModerate() && !me.admin()) {
            throw ApiException.forbidden("Only the owner and moderators change a community");
        }
        return community;
    }

    private static void checkPolicy(String visibility, String joinPolicy) {
        if (visibility.equals("private") && joinPolicy.equals("open")) {
            throw ApiException.badRequest("validation", "joinPolicy: a private community admits by invite only");
        }
    }

    private static List<String> tags(List<String> tags) {
        return tags == null ? List.of() : tags.stream().distinct().toList();
    }
}
