package org.c18n.hub;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.c18n.web.SecretTokens;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * One-time tickets for opening a WebSocket (browsers cannot put a token in its headers): random,
 * valid 30 seconds, good once, kept (hashed) in the database so any node can take them.
 */
@Component
class Tickets {
    static final Duration TTL = Duration.ofSeconds(30);

    private final JdbcClient db;

    Tickets(JdbcClient db) {
        this.db = db;
    }

    String issue(UUID userId) {
        String ticket = SecretTokens.generate();
        db.sql("DELETE FROM public.ws_tickets WHERE expires_at < now() - interval '1 minute'").update();
        db.sql("INSERT INTO public.ws_tickets (token_hash, user_id, expires_at) VALUES (?, ?, ?)")
                .params(SecretTokens.hash(ticket), userId, Timestamp.from(Instant.now().plus(TTL))).update();
        return ticket;
    }

    /** The ticket's user, once: a second use, an expired or an unknown ticket gives nothing. */
    Optional<UUID> redeem(String ticket) {
        if (ticket == null || ticket.length() > 100) {
            return Optional.empty();
        }
        return db.sql("""
                        UPDATE public.ws_tickets SET used_at = now()
                        WHERE token_hash = ? AND used_at IS NULL AND expires_at > now() RETURNING user_id""")
                .param(SecretTokens.hash(ticket)).query(UUID.class).optional();
    }
}
