package org.c18n.hub;

import java.util.Map;
import org.c18n.web.CurrentUser;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A ticket to open the socket with (docs/protocol.md, Connecting). */
@RestController
class TicketController {
    private final Tickets tickets;

    TicketController(Tickets tickets) {
        this.tickets = tickets;
    }

    @PostMapping("/api/v1/ws/ticket")
    public Map<String, Object> ticket(CurrentUser me) {
        return Map.of("ticket", tickets.issue(me.id()), "expiresIn", Tickets.TTL.toSeconds(), "url", "/ws");
    }
}
