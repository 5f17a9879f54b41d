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
        return Set.of(UserEvents.REGISTERED, UserEvents.PROFILE_UPDATED, UserEvents.TOKEN_MINTED, UserEvents.ERASED);
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
            default -> {
                // user.token_minted is an audit fact: the events table is its record.
            }
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
                       oidc_subject = NULL, updated_at = ?
                WHERE id = ?""")
                .params(placeholder, placeholder, "erased:" + id, DELETED_NAME, at, id).update();
    }

    static final String DELETED_PREFIX = "deleted-";
    static final String DELETED_NAME = "Deleted user";

    private static boolean exists(JdbcClient db, String condition, Object... params) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM users WHERE " + condition + ")").params(params)
                .query(Boolean.class).single();
    }
}
