package org.c18n.identity;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.Topics;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.Page;
import org.c18n.web.Writes;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Profiles and user discovery. */
@RestController
@RequestMapping("/api/v1/users")
public class UserController {
    private final Users users;
    private final Commands commands;

    public UserController(Users users, Commands commands) {
        this.users = users;
        this.commands = commands;
    }

    public record ProfileChange(
            @Size(min = 1, max = 64) String displayName,
            @Size(max = 2000) String bio,
            @Size(max = 20) List<@Pattern(regexp = "^[a-z0-9][a-z0-9-]{0,31}$",
                    message = "must be lower-case letters, digits and '-', at most 32") String> interests) {}

    @GetMapping("/me")
    public UserJson me(CurrentUser me) {
        return UserJson.allFields(users.byId(me.id()).orElseThrow(() -> ApiException.notFound("User")));
    }

    @PatchMapping("/me")
    public ResponseEntity<Object> updateMe(CurrentUser me, @Valid @RequestBody ProfileChange change) {
        if (change.displayName() != null && change.displayName().isBlank()) {
            throw ApiException.badRequest("validation", "displayName: must not be blank");
        }
        users.byId(me.id()).orElseThrow(() -> ApiException.notFound("User"));
        var outcome = commands.submit(Topics.USERS, UserEvents.PROFILE_UPDATED, me.id(), me.id().toString(),
                new UserEvents.ProfileUpdated(me.id(), change.displayName() == null ? null : change.displayName().strip(),
                        change.bio(), change.interests() == null ? null : change.interests().stream().distinct().toList()));
        return Writes.changed(outcome, "/api/v1/users/me", () -> UserJson.allFields(users.byId(me.id()).orElseThrow()));
    }

    @GetMapping
    public Page<UserJson> search(@RequestParam(required = false) String q, @RequestParam(required = false) String cursor,
                                 @RequestParam(required = false) Integer limit) {
        if (q != null && q.length() > 100) {
            throw ApiException.badRequest("validation", "q: must be at most 100 characters");
        }
        int n = Page.limit(limit);
        List<UserView> rows = users.search(q == null ? null : q.strip(), Page.decode(cursor), n + 1);
        return Page.of(rows.stream().map(UserJson::publicFields).toList(), n, u -> u.username().toLowerCase());
    }

    /** The person with this username (how a mention's link finds its profile). */
    @GetMapping("/by-name/{username}")
    public UserJson byName(CurrentUser me, @PathVariable String username) {
        UserView user = users.byUsername(username).orElseThrow(() -> ApiException.notFound("User"));
        return me.admin() || me.id().equals(user.id()) ? UserJson.allFields(user) : UserJson.publicFields(user);
    }

    @GetMapping("/{id}")
    public UserJson get(CurrentUser me, @PathVariable UUID id) {
        UserView user = users.byId(id).orElseThrow(() -> ApiException.notFound("User"));
        return me.admin() || me.id().equals(id) ? UserJson.allFields(user) : UserJson.publicFields(user);
    }

    /** The people I have blocked. */
    @GetMapping("/me/blocks")
    public List<UserJson> myBlocks(CurrentUser me) {
        return users.blockedBy(me.id()).stream().map(UserJson::publicFields).toList();
    }

    /**
     * Blocks the person: they cannot message me, add me to a group, mention me (no notification)
     * nor see my presence; the web app collapses what they write. Blocking again changes nothing.
     */
    @PostMapping("/{id}/block")
    public ResponseEntity<Object> block(CurrentUser me, @PathVariable UUID id) {
        if (id.equals(me.id())) {
            throw ApiException.badRequest("validation", "id: you cannot block yourself");
        }
        UserView other = users.byId(id).orElseThrow(() -> ApiException.notFound("User"));
        if (users.hasBlocked(me.id(), id)) {
            return ResponseEntity.ok(UserJson.publicFields(other));
        }
        var outcome = commands.submit(Topics.USERS, UserEvents.BLOCKED, me.id(), me.id().toString(),
                new UserEvents.Blocked(me.id(), id));
        return Writes.changed(outcome, "/api/v1/users/me/blocks", () -> UserJson.publicFields(other));
    }

    @DeleteMapping("/{id}/block")
    public ResponseEntity<Object> unblock(CurrentUser me, @PathVariable UUID id) {
        UserView other = users.byId(id).orElseThrow(() -> ApiException.notFound("User"));
        if (!users.hasBlocked(me.id(), id)) {
            return ResponseEntity.noContent().build();
        }
        var outcome = commands.submit(Topics.USERS, UserEvents.UNBLOCKED, me.id(), me.id().toString(),
                new UserEvents.Unblocked(me.id(), id));
        return Writes.changed(outcome, "/api/v1/users/me/blocks", () -> UserJson.publicFields(other));
    }
}
