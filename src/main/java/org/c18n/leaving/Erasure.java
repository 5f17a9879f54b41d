package org.c18n.leaving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.PersonKeys;
import org.c18n.eventlog.Refused;
import org.c18n.eventlog.Topics;
import org.c18n.identity.Sessions;
import org.c18n.identity.UserEvents;
import org.c18n.identity.UserView;
import org.c18n.identity.Users;
import org.c18n.infra.mail.Outbox;
import org.c18n.media.MediaEvents;
import org.c18n.media.MediaStore;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes an account (docs/events.md, "Erasure"): the person's uploads are deleted, the log
 * records {@code user.erased}, and their key is destroyed, so that every event about them on the
 * users topic, wherever a copy of it lies, reads as "Deleted user" from then on and on every
 * replay. What they wrote elsewhere stays, under that name. Their sessions end.
 */
@Component
public class Erasure {
    private final Users users;
    private final Commands commands;
    private final PersonKeys keys;
    private final Sessions sessions;
    private final MediaStore files;
    private final Outbox outbox;
    private final JdbcClient db;

    public Erasure(Users users, Commands commands, PersonKeys keys, Sessions sessions, MediaStore files, Outbox outbox,
                   JdbcClient db) {
        this.users = users;
        this.commands = commands;
        this.keys = keys;
        this.sessions = sessions;
        this.files = files;
        this.outbox = outbox;
        this.db = db;
    }

    /** The account, unless it does not exist or was erased already. */
    public UserView account(UUID userId) {
        if (keys.lookup(userId) instanceof PersonKeys.Destroyed) {
            throw Refused.notFound("User");
        }
        return users.byId(userId).orElseThrow(() -> Refused.notFound("User"));
    }

    private record Upload(UUID id, String sha256) {}

    /** Erases the account {@code userId}; {@code by} is the person themselves or an admin. */
    public void erase(UUID userId, UUID by) {
        UserView user = account(userId);
        if (user.admin() && db.sql("SELECT count(*) FROM users WHERE role = 'admin' AND id <> ?").param(userId)
                .query(Long.class).single() == 0) {
            throw Refused.conflict("last-admin", "The last admin account cannot be deleted: make another admin first");
        }
        List<Upload> uploads = db.sql("SELECT id, sha256 FROM media WHERE owner_id = ?").param(userId)
                .query((rs, n) -> new Upload(rs.getObject(1, UUID.class), rs.getString(2))).list();
        if (!uploads.isEmpty()) {
            // A media store that cannot be reached refuses the erasure (503) before anything is
            // recorded: afterwards no row would name the files left behind.
            try {
                files.original(uploads.get(0).sha256());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Upload upload : uploads) {
            commands.submit(Topics.MEDIA, MediaEvents.DELETED, by, upload.id().toString(),
                    new MediaEvents.Deleted(upload.id(), userId));
        }
        commands.submit(Topics.USERS, UserEvents.ERASED, by, userId.toString(), new UserEvents.Erased(userId, by));
        // From here on every node reads the person's sealed events as shredded, whether or not the
        // projector has applied user.erased yet (it applies it shredded too).
        keys.destroy(userId);
        sessions.endAllOf(userId, null);
        if (user.email() != null) {
            outbox.forget(user.email());
        }
        for (Upload upload : uploads) {
            deleteFile(upload.sha256(), userId);
        }
    }

    /** Files are stored once per content: the bytes stay while another person's upload holds them. */
    private void deleteFile(String sha256, UUID owner) {
        boolean shared = db.sql("SELECT EXISTS (SELECT 1 FROM media WHERE sha256 = ? AND owner_id <> ?)")
                .params(sha256, owner).query(Boolean.class).single();
        if (shared) {
            return;
        }
        try {
            files.deleteWithDerived(sha256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
