package org.c18n.identity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.c18n.C18nProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Refresh sessions behind the httpOnly cookie. Operational state, not a view of the log: only
 * a hash of each token is stored, and every refresh rotates the token.
 */
@Component
public class Sessions {

    private final JdbcClient db;
    private final C18nProperties props;

    public Sessions(JdbcClient db, C18nProperties props) {
        this.db = db;
        this.props = props;
    }

    /** Starts a session; returns the refresh token to hand to the client. */
    public String start(UUID userId) {
        String token = SecretTokens.generate();
        Instant now = Instant.now();
        db.sql("INSERT INTO public.sessions (id, user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
                .params(UUID.randomUUID(), userId, SecretTokens.hash(token), Timestamp.from(now),
                        Timestamp.from(now.plus(props.auth().refreshTokenTtl())))
                .update();
        return token;
    }

    /** Ends the session of {@code token} and returns its user, if it was live. */
    @Transactional
    public Optional<UUID> end(String token) {
        return db.sql("""
                        UPDATE public.sessions SET revoked_at = now()
                        WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > now()
                        RETURNING user_id""")
                .param(SecretTokens.hash(token))
                .query(UUID.class)
                .optional();
    }
}
