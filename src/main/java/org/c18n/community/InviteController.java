package org.c18n.community;

import java.util.UUID;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.Topics;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.Page;
import org.c18n.web.Writes;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** My invites: list, accept, decline. An invite is visible only to the person invited. */
@RestController
@RequestMapping("/api/v1/invites")
public class InviteController {
    private final Invites invites;
    private final Commands commands;
    private final Communities communities;

    public InviteController(Invites invites, Commands commands, Communities communities) {
        this.invites = invites;
        this.commands = commands;
        this.communities = communities;
    }

    @GetMapping
    public Page<Invites.Invite> mine(CurrentUser me, @RequestParam(required = false) String cursor,
                                     @RequestParam(required = false) Integer limit) {
        int n = Page.limit(limit);
        int offset = Page.offset(cursor);
        var rows = invites.mine(me.id(), offset, n + 1);
        return Page.of(rows, n, last -> String.valueOf(offset + n));
    }

    @GetMapping("/{id}")
    public Invites.Invite get(CurrentUser me, @PathVariable UUID id) {
        return invites.byId(id).filter(i -> i.inviteeId().equals(me.id()) || i.inviterId().equals(me.id()))
                .orElseThrow(() -> ApiException.notFound("Invite"));
    }

    @PostMapping("/{id}/accept")
    public ResponseEntity<Object> accept(CurrentUser me, @PathVariable UUID id) {
        return answer(me, id, CommunityEvents.INVITE_ACCEPTED);
    }

    @PostMapping("/{id}/decline")
    public ResponseEntity<Object> decline(CurrentUser me, @PathVariable UUID id) {
        return answer(me, id, CommunityEvents.INVITE_DECLINED);
    }

    private ResponseEntity<Object> answer(CurrentUser me, UUID id, String type) {
        Invites.Invite invite = mine(me, id);
        if (type.equals(CommunityEvents.INVITE_ACCEPTED)) {
            // A muted or banned user is not let in by an invite either.
            communities.restriction(invite.communityId(), me.id()).ifPresent(r -> {
                throw ApiException.forbidden(r.describe());
            });
        }
        if (!invite.status().equals("pending")) {
            throw ApiException.conflict("invite-closed", "The invite was already " + invite.status());
        }
        var outcome = commands.submit(Topics.COMMUNITIES, type, me.id(), invite.communityId().toString(),
                new CommunityEvents.InviteAnswered(id, invite.communityId(), me.id()));
        return Writes.changed(outcome, "/api/v1/invites/" + id, () -> invites.byId(id).orElseThrow());
    }

    private Invites.Invite mine(CurrentUser me, UUID id) {
        return invites.byId(id).filter(i -> i.inviteeId().equals(me.id()))
                .orElseThrow(() -> ApiException.notFound("Invite"));
    }
}
