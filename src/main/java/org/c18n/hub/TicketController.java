package org.c18n.hub;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.c18n.web.CurrentUser;
import org.c18n.web.SocketUrl;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A ticket to open the socket with, and where to open it (docs/protocol.md, Connecting). */
@RestController
class TicketController {
    private final Tickets tickets;
    private final SocketUrl socketUrl;

    TicketController(Tickets tickets, SocketUrl socketUrl) {
        this.tickets = tickets;
        this.socketUrl = socketUrl;
    }

    @PostMapping("/api/v1/ws/ticket")
    public Map<String, Object> ticket(CurrentUser me, HttpServletRequest request) {
        return Map.of("ticket", tickets.issue(me.id()), "expiresIn", Tickets.TTL.toSeconds(), "url", socketUrl.of(request));
    }
}
