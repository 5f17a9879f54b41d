package org.c18n.notification;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.hub.Ephemeral;
import org.c18n.infra.C18nProperties;
import org.c18n.infra.mail.LinkSigner;
import org.c18n.infra.mail.MailProperties;
import org.c18n.infra.mail.Outbox;
import org.c18n.web.SiteUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Mails people who are away a digest of their unread mentions, messages and replies. Time is cut
 * into intervals ({@link MailDigestProperties}, aligned to the epoch); once an interval has ended
 * and the delay passed, each person with wanted notifications from that interval still unread,
 * and with no open connection on any node, gets one mail under the outbox id
 * {@code digest:<user>:<interval start>}: whichever node adds it first wins, and running again
 * (another node, a restart) adds nothing.
 */
@Component
public class MailDigests implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(MailDigests.class);
    private static final long TICK_MILLIS = 30_000;

    private final JdbcClient db;
    private final Outbox outbox;
    private final Ephemeral presence;
    private final LinkSigner signer;
    private final SiteUrl site;
    private final MailProperties smtp;
    private final MailDigestProperties settings;
    private final C18nProperties props;
    private volatile Thread thread;

    public MailDigests(JdbcClient db, Outbox outbox, Ephemeral presence, LinkSigner signer, SiteUrl site,
                       MailProperties smtp, MailDigestProperties settings, C18nProperties props) {
        this.db = db;
        this.outbox = outbox;
        this.presence = presence;
        this.signer = signer;
        this.site = site;
        this.smtp = smtp;
        this.settings = settings;
        this.props = props;
    }

    /** The start of the latest interval whose digests are due at {@code now}. */
    Instant dueIntervalStart(Instant now) {
        long interval = settings.interval().toMillis();
        long end = Math.floorDiv(now.minus(settings.delay()).toEpochMilli(), interval) * interval;
        return Instant.ofEpochMilli(end - interval);
    }

    private record Item(UUID user, String email, String name, String kind, String actor, UUID postId, String postTitle,
                        UUID roomId) {}

    /** Adds the digests due at {@code now} to the outbox; returns how many it added. */
    public int mailDue(Instant now) {
        if (!smtp.configured()) {
            return 0;
        }
        Instant start = dueIntervalStart(now);
        Instant end = start.plus(settings.interval());
        String idPrefix = "digest:";
        String idSuffix = ":" + start;
        Map<UUID, List<Item>> byUser = new LinkedHashMap<>();
        db.sql("""
                        SELECT n.user_id, u.email, u.display_name, n.kind, a.display_name AS actor, n.post_id, n.room_id,
                               CASE WHEN p.status = 'published' THEN p.title END AS post_title
                        FROM notifications n
                          JOIN users u ON u.id = n.user_id
                          LEFT JOIN users a ON a.id = n.actor_id
                          LEFT JOIN posts p ON p.id = n.post_id
                          LEFT JOIN email_preferences e ON e.user_id = n.user_id
                        WHERE n.created_at >= :start AND n.created_at < :end AND n.read_at IS NULL
                          AND COALESCE(e.digest, true)
                          AND ((n.kind = 'mention' AND COALESCE(e.mentions, true))
                               OR (n.kind = 'message' AND COALESCE(e.messages, true))
                               OR (n.kind = 'reply' AND COALESCE(e.replies, true)))
                          AND NOT EXISTS (SELECT 1 FROM public.mail_outbox o
                                          WHERE o.id = :prefix || n.user_id::text || :suffix)
                        ORDER BY n.user_id, n.created_at, n.id
                        LIMIT 100000""")
                .param("start", Timestamp.from(start))
                .param("end", Timestamp.from(end))
                .param("prefix", idPrefix)
                .param("suffix", idSuffix)
                .query((rs, n) -> new Item(rs.getObject("user_id", UUID.class), rs.getString("email"),
                        rs.getString("display_name"), rs.getString("kind"), rs.getString("actor"),
                        rs.getObject("post_id", UUID.class), rs.getString("post_title"), rs.getObject("room_id", UUID.class)))
                .list()
                .forEach(item -> byUser.computeIfAbsent(item.user(), k -> new ArrayList<>()).add(item));
        int added = 0;
        for (var entry : byUser.entrySet()) {
            UUID user = entry.getKey();
            if (!presence.statusOf(user).equals("offline")) {
                continue; // a connection is open somewhere: they see their notifications live
            }
            List<Item> items = entry.getValue();
            if (outbox.add(new Outbox.Mail(idPrefix + user + idSuffix, items.get(0).email(), subject(items),
                    body(items), unsubscribeUrl(user)))) {
                added++;
            }
        }
        return added;
    }

    /** The link that turns this person's digests off, without signing in. */
    String unsubscribeUrl(UUID user) {
        return site.base() + "api/v1/email-digests/unsubscribe?user=" + user + "&token=" + unsubscribeToken(user);
    }

    String unsubscribeToken(UUID user) {
        return signer.sign("digest-unsubscribe:" + user);
    }

    boolean validUnsubscribeToken(UUID user, String token) {
        return signer.valid("digest-unsubscribe:" + user, token);
    }

    private static String subject(List<Item> items) {
        return items.size() == 1 ? "1 new notification while you were away"
                : items.size() + " new notifications while you were away";
    }

    private String body(List<Item> items) {
        StringBuilder body = new StringBuilder("Hello ").append(items.get(0).name())
                .append(",\n\nwhile you were away:\n\n");
        for (Item item : items) {
            String actor = item.actor() == null ? "Someone" : item.actor();
            String line = switch (item.kind()) {
                case NotificationEvents.REPLY -> actor + " replied to " + about(item);
                case NotificationEvents.MENTION -> actor + " mentioned you " + (item.roomId() != null ? "in a chat" : "in " + about(item));
                default -> actor + " sent you messages";
            };
            String link = item.roomId() != null ? site.base() + "chat/" + item.roomId()
                    : item.postId() != null ? site.base() + "posts/" + item.postId() : site.base() + "notifications";
            body.append("- ").append(line).append("\n  ").append(link).append('\n');
        }
        return body.append("\nAll your notifications: ").append(site.base()).append("notifications\n")
                .append("Choose what is mailed to you: ").append(site.base()).append("account\n")
                .append("Mail me no more digests: ").append(unsubscribeUrl(items.get(0).user())).append('\n')
                .toString();
    }

    private static String about(Item item) {
        return item.postTitle() == null ? "a post" : "\"" + item.postTitle() + "\"";
    }

    private void run() {
        while (thread != null) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (!presence.heardEveryNode()) { // until then, people connected to other nodes look away
                continue;
            }
            try {
                mailDue(Instant.now());
            } catch (RuntimeException e) {
                log.warn("Could not derive the mail digests (the next round tries again)", e);
            }
        }
    }

    @Override
    public void start() {
        Thread t = new Thread(this::run, "c18n-mail-digests");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public boolean isAutoStartup() {
        return smtp.configured() && !props.replayMode();
    }
}
