package org.c18n.identity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.c18n.infra.C18nProperties;
import org.c18n.infra.PgListener;
import org.c18n.web.SecretTokens;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Refresh sessions behind the httpOnly cookie. Operational state, not a view of the log: only
 * a hash of each token is stored, and every refresh rotates the token. The tokens rotated from
 * one sign-in form a family (its id is the access tokens' {@code sid}): presenting a token that
 * was already rotated means two parties hold the family, so all of it is revoked, and sign-out
 * revokes it too. Every node learns of a revocation at once through a PostgreSQL notification.
 */
@Component
public class Sessions {
    static final String CHANNEL = "c18n_session_revoked";
    /** How long a "still live" answer is trusted without asking the database, should a notification be lost. */
    private static final long LIVE_CACHE_NANOS = 30_000_000_000L;
    private static final int MAX_CACHED = 100_000;
    /** How long after its rotation a refresh token may be presented again without ending its family. */
    static final java.time.Duration REUSE_GRACE = java.time.Duration.ofSeconds(20);

    private final JdbcClient db;
    private final C18nProperties props;
    /** Family → until when (System.nanoTime) it is known to be live. */
    private final Map<UUID, Long> live = new ConcurrentHashMap<>();
    /** Families known to be revoked; kept as long as an access token of theirs can still be unexpired. */
    private final Map<UUID, Instant> revoked = new ConcurrentHashMap<>();

    public Sessions(JdbcClient db, C18nProperties props, PgListener listener) {
        this.db = db;
        this.props = props;
        listener.subscribe(CHANNEL, family -> forget(UUID.fromString(family)), live::clear);
    }

    /** A new sign-in's family and the refresh token to hand to the client. */
    public record Started(UUID familyId, String refreshToken) {}

    /** The user of a rotated session, its family, and the successor token. */
    public record Rotated(UUID userId, UUID familyId, String refreshToken) {}

    /** Starts a session family for a fresh sign-in. */
    public Started start(UUID userId) {
        UUID family = UUID.randomUUID();
        return new Started(family, insert(userId, family));
    }

    /**
     * Exchanges a live refresh token for its successor. A token already rotated or signed out
     * revokes its whole family, except a token rotated less than {@link #REUSE_GRACE} ago while
     * its family is live: the client most likely never got the answer (it left the page while
     * refreshing), so it gets another successor. An unknown or expired token just answers nothing.
     */
    @Transactional
    public Optional<Rotated> rotate(String token) {
        String hash = SecretTokens.hash(token);
        var found = db.sql("""
                        SELECT user_id, family_id, revoked_at IS NOT NULL AS revoked, expires_at <= now() AS expired,
                               rotated_at > now() - make_interval(secs => ?) AS in_grace
                        FROM public.sessions WHERE token_hash = ? FOR UPDATE""")
                .params(REUSE_GRACE.toSeconds(), hash)
                .query((rs, n) -> new Found(rs.getObject("user_id", UUID.class), rs.getObject("family_id", UUID.class),
                        rs.getBoolean("revoked"), rs.getBoolean("expired"), rs.getBoolean("in_grace")))
                .optional();
        if (found.isEmpty() || found.get().expired()) {
            return Optional.empty();
        }
        Found session = found.get();
        // Conditional, so that of two concurrent uses of one token only one rotates it, whatever the isolation.
        boolean rotatedNow = !session.revoked() && db.sql("""
                        UPDATE public.sessions SET revoked_at = now(), rotated_at = now()
                        WHERE token_hash = ? AND revoked_at IS NULL""")
                .param(hash).update() == 1;
        if (!rotatedNow && !lostAnswer(session)) {
            revokeFamily(session.familyId());
            return Optional.empty();
        }
        return Optional.of(new Rotated(session.userId(), session.familyId(), insert(session.userId(), session.familyId())));
    }

    /** Whether {@code session}'s token was rotated within the grace and its family still has a live token. */
    private boolean lostAnswer(Found session) {
        return session.inGrace() && familyLive(session.familyId());
    }

    /** Signs out: revokes the family of {@code token}, which ends its access tokens too. */
    @Transactional
    public void end(String token) {
        db.sql("SELECT family_id FROM public.sessions WHERE token_hash = ?")
                .param(SecretTokens.hash(token))
                .query(UUID.class)
                .optional()
                .ifPresent(this::revokeFamily);
    }

    /**
     * Signs the user out everywhere but in {@code keep} (null: everywhere): each of their live
     * families is revoked, and with it its access tokens, on every node.
     */
    public int endAllOf(UUID userId, UUID keep) {
        List<UUID> families = db.sql("""
                        SELECT DISTINCT family_id FROM public.sessions
                        WHERE user_id = ? AND revoked_at IS NULL AND expires_at > now()""")
                .param(userId)
                .query(UUID.class)
                .list();
        int ended = 0;
        for (UUID family : families) {
            if (!family.equals(keep)) {
                revokeFamily(family);
                ended++;
            }
        }
        return ended;
    }

    /** Whether access tokens of {@code family} may still be used. */
    public boolean live(UUID family) {
        if (revoked.containsKey(family)) {
            return false;
        }
        Long until = live.get(family);
        if (until != null && until - System.nanoTime() > 0) {
            return true;
        }
        boolean isLive = familyLive(family);
        if (live.size() > MAX_CACHED) {
            live.clear();
        }
        if (isLive) {
            live.put(family, System.nanoTime() + LIVE_CACHE_NANOS);
        } else {
            remember(family);
        }
        return isLive;
    }

    /** Whether {@code family} still has a live token, asked of the database. */
    private boolean familyLive(UUID family) {
        return db.sql("""
                        SELECT EXISTS (SELECT 1 FROM public.sessions
                                       WHERE family_id = ? AND revoked_at IS NULL AND expires_at > now())""")
                .param(family)
                .query(Boolean.class)
                .single();
    }

    private void revokeFamily(UUID family) {
        db.sql("UPDATE public.sessions SET revoked_at = now() WHERE family_id = ? AND revoked_at IS NULL")
                .param(family)
                .update();
        // Delivered on commit, to every node (this one included).
        db.sql("SELECT pg_notify('" + CHANNEL + "', ?)").param(family.toString()).query().singleValue();
        forget(family);
    }

    private void forget(UUID family) {
        live.remove(family);
        remember(family);
    }

    private void remember(UUID family) {
        Instant now = Instant.now();
        if (revoked.size() > MAX_CACHED) {
            revoked.values().removeIf(until -> until.isBefore(now));
        }
        revoked.put(family, now.plus(props.auth().accessTokenTtl()));
    }

    private String insert(UUID userId, UUID family) {
        String token = SecretTokens.generate();
        Instant now = Instant.now();
        db.sql("""
                        INSERT INTO public.sessions (id, user_id, family_id, token_hash, created_at, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(UUID.randomUUID(), userId, family, SecretTokens.hash(token), Timestamp.from(now),
                        Timestamp.from(now.plus(props.auth().refreshTokenTtl())))
                .update();
        return token;
    }

    private record Found(UUID userId, UUID familyId, boolean revoked, boolean expired, boolean inGrace) {}
}
