package org.c18n.identity;

import java.sql.Timestamp;
import java.util.Set;
import java.util.UUID;
import org.c18n.eventlog.Event;
import org.c18n.projection.EventApplier;
import org.c18n.eventlog.LogPosition;
import org.c18n.eventlog.Rejection;
import org.c18n.eventlog.Topics;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Applies c18n.users events to the users view. */
@Component
public class UserProjection implements EventApplier {
    @Override
    public Set<String> types() {
        return Set.of(UserEvents.REGISTERED, UserEvents.PROFILE_UPDATED, UserEvents.TOKEN_MINTED, UserEvents.ERASED,
                UserEvents.PASSWORD_CHANGED, UserEvents.PASSWORD_RESET_REQUESTED, UserEvents.PASSWORD_RESET,
                UserEvents.EMAIL_CHANGED, UserEvents.EMAIL_VERIFICATION_REQUESTED, UserEvents.EMAIL_VERIFIED, UserEvents.AVATAR_SET,
                UserEvents.BLOCKED, UserEvents.UNBLOCKED);
    }

    /** An erased person's registration still makes their row (as "Deleted user"), so their content keeps an author. */
    @Override
    public Set<String> typesWhenShredded() {
        return Set.of(UserEvents.REGISTERED, UserEvents.ERASED);
    }

    @Override
    public void apply(Event event, LogPosition position, JdbcClient db) {
        Timestamp at = Timestamp.from(event.at());
        switch (event.type()) {
            case UserEvents.REGISTERED -> {
                if (event.shredded()) {
                    UUID id = event.data(UserEvents.Erased.class).userId();
                    db.sql("""
                            INSERT INTO users (id, username, username_key, email, email_key, display_name, role,
                                               created_at, updated_at)
                            VALUES (?, '', '', '', '', '', 'user', ?, ?)
                            ON CONFLICT (id) DO NOTHING""").params(id, at, at).update();
                    erase(db, id, at);
                    return;
                }
                var e = event.data(UserEvents.Registered.class);
                if (exists(db, "username_key = ?", e.username().toLowerCase())) {
                    throw new Rejection("username-taken");
                }
                if (exists(db, "email_key = ?", e.email().toLowerCase())) {
                    throw new Rejection("email-taken");
                }
                if (e.oidcSubject() != null && exists(db, "oidc_issuer = ? AND oidc_subject = ?", e.oidcIssuer(), e.oidcSubject())) {
                    throw new Rejection("account-exists");
                }
                db.sql("""
                        INSERT INTO users (id, username, username_key, email, email_key, password_hash, display_name,
                                           role, oidc_issuer, oidc_subject, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                        .params(e.userId(), e.username(), e.username().toLowerCase(), e.email(), e.email().toLowerCase(),
                                e.passwordHash(), e.displayName(), e.role(), e.oidcIssuer(), e.oidcSubject(), at, at)
                        .update();
            }
            case UserEvents.PROFILE_UPDATED -> {
                var e = event.data(UserEvents.ProfileUpdated.class);
                db.sql("""
                        UPDATE users SET display_name = COALESCE(?, display_name), bio = COALESCE(?, bio),
                               interests = COALESCE(?, interests), updated_at = ?
                        WHERE id = ?""")
                        .params(e.displayName(), e.bio(), e.interests() == null ? null : e.interests().toArray(String[]::new),
                                at, e.userId())
                        .update();
            }
            case UserEvents.ERASED -> {
                UUID id = event.data(UserEvents.Erased.class).userId();
                erase(db, id, at);
                // Their sealed events read as shredded from now on, and replay does not apply (so
                // does not refuse) a shredded event: none of them keeps a verdict here either.
                db.sql("""
                        DELETE FROM event_rejections r USING events e
                        WHERE e.id = r.event_id AND e.topic = ? AND e.data->>'sealedFor' = ?""")
                        .params(Topics.USERS, id.toString()).update();
            }
            case UserEvents.PASSWORD_CHANGED -> {
                var e = event.data(UserEvents.PasswordChanged.class);
                setPassword(db, e.userId(), e.passwordHash(), at);
            }
            case UserEvents.PASSWORD_RESET_REQUESTED -> {
                var e = event.data(UserEvents.PasswordResetRequested.class);
                if (!exists(db, "id = ?", e.userId())) {
                    throw new Rejection("not-found");
                }
                db.sql("INSERT INTO password_reset_requests (id, user_id, requested_at) VALUES (?, ?, ?)"
                                + " ON CONFLICT (id) DO NOTHING")
                        .params(event.id(), e.userId(), at).update();
            }
            case UserEvents.PASSWORD_RESET -> {
                var e = event.data(UserEvents.PasswordReset.class);
                var request = db.sql("SELECT requested_at, used_at IS NOT NULL AS used FROM password_reset_requests"
                                + " WHERE id = ? AND user_id = ?")
                        .params(e.requestId(), e.userId())
                        .query((rs, n) -> new ResetRequest(rs.getTimestamp("requested_at").toInstant(), rs.getBoolean("used")))
                        .optional()
                        .orElseThrow(() -> new Rejection("link-invalid"));
                if (request.used()) {
                    throw new Rejection("link-used");
                }
                if (event.at().isAfter(request.at().plus(MailLinks.RESET_LINK_LIFETIME))) {
                    throw new Rejection("link-expired");
                }
                db.sql("UPDATE password_reset_requests SET used_at = ? WHERE id = ?").params(at, e.requestId()).update();
                setPassword(db, e.userId(), e.passwordHash(), at);
            }
            case UserEvents.EMAIL_CHANGED -> {
                var e = event.data(UserEvents.EmailChanged.class);
                if (exists(db, "email_key = ? AND id <> ?", e.email().toLowerCase(), e.userId())) {
                    throw new Rejection("email-taken");
                }
                if (db.sql("""
                                UPDATE users SET email = ?, email_key = ?, email_verified_at = NULL, updated_at = ?
                                WHERE id = ?""")
                        .params(e.email(), e.email().toLowerCase(), at, e.userId()).update() == 0) {
                    throw new Rejection("not-found");
                }
            }
            case UserEvents.EMAIL_VERIFIED -> {
                var e = event.data(UserEvents.EmailVerified.class);
                db.sql("UPDATE users SET email_verified_at = ? WHERE id = ? AND email_key = ? AND email_verified_at IS NULL")
                        .params(at, e.userId(), e.email().toLowerCase()).update();
            }
            case UserEvents.AVATAR_SET -> {
                var e = event.data(UserEvents.AvatarSet.class);
                db.sql("UPDATE users SET avatar_media_id = ?, updated_at = ? WHERE id = ?")
                        .params(e.mediaId(), at, e.userId()).update();
            }
            case UserEvents.BLOCKED -> {
                var e = event.data(UserEvents.Blocked.class);
                db.sql("""
                        INSERT INTO user_blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)
                        ON CONFLICT DO NOTHING""").params(e.userId(), e.blockedId(), at).update();
            }
            case UserEvents.UNBLOCKED -> {
                var e = event.data(UserEvents.Unblocked.class);
                db.sql("DELETE FROM user_blocks WHERE user_id = ? AND blocked_id = ?").params(e.userId(), e.blockedId())
                        .update();
            }
            default -> {
                // user.token_minted is an audit fact, user.email_verification_requested only asks for a mail.
            }
        }
    }

    private record ResetRequest(java.time.Instant at, boolean used) {}

    private static void setPassword(JdbcClient db, java.util.UUID userId, String hash, Timestamp at) {
        if (hash == null || db.sql("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?")
                .params(hash, at, userId).update() == 0) {
            throw new Rejection("not-found");
        }
    }

    /**
     * What is left of an erased person: their id, a placeholder name that frees their username and
     * e-mail for others, and no way to sign in. The same whether it follows their registration
     * live or a shredded registration on replay.
     */
    private static void erase(JdbcClient db, UUID id, Timestamp at) {
        String placeholder = DELETED_PREFIX + id;
        db.sql("""
                UPDATE users SET username = ?, username_key = ?, email = '', email_key = ?, password_hash = NULL,
                       display_name = ?, bio = '', interests = '{}', role = 'user', oidc_issuer = NULL,
                       oidc_subject = NULL, avatar_media_id = NULL, email_verified_at = NULL, updated_at = ?
                WHERE id = ?""")
                .params(placeholder, placeholder, "erased:" + id, DELETED_NAME, at, id).update();
        // What only their own (now shredded, so never replayed) events made goes too: replay gives the same views.
        db.sql("DELETE FROM user_blocks WHERE user_id = ?").param(id).update();
        db.sql("DELETE FROM password_reset_requests WHERE user_id = ?").param(id).update();
    }

    static final String DELETED_PREFIX = "deleted-";
    static final String DELETED_NAME = "Deleted user";

    private static boolean exists(JdbcClient db, String condition, Object... params) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM users WHERE " + condition + ")").params(params)
                .query(Boolean.class).single();
    }
}
