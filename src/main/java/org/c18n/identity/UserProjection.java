package org.c18n.identity;

import java.sql.Timestamp;
import java.util.Set;
import org.c18n.eventlog.Event;
import org.c18n.projection.EventApplier;
import org.c18n.eventlog.LogPosition;
import org.c18n.eventlog.Rejection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Applies c18n.users events to the users view. */
@Component
public class UserProjection implements EventApplier {
    @Override
    public Set<String> types() {
        return Set.of(UserEvents.REGISTERED, UserEvents.PROFILE_UPDATED, UserEvents.TOKEN_MINTED, UserEvents.AVATAR_SET,
                UserEvents.BLOCKED, UserEvents.UNBLOCKED);
    }

    @Override
    public void apply(Event event, LogPosition position, JdbcClient db) {
        Timestamp at = Timestamp.from(event.at());
        switch (event.type()) {
            case UserEvents.REGISTERED -> {
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
                // user.token_minted is an audit fact: the events table is its record.
            }
        }
    }

    private static boolean exists(JdbcClient db, String condition, Object... params) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM users WHERE " + condition + ")").params(params)
                .query(Boolean.class).single();
    }
}
