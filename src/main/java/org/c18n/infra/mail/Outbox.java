package org.c18n.infra.mail;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The mails derived from the log, each under a deterministic id (the causing event and the
 * purpose): adding one a second time adds nothing, so reading an event again never mails twice.
 */
@Component
public class Outbox {
    private final JdbcClient db;

    public Outbox(JdbcClient db) {
        this.db = db;
    }

    /** A mail to send; {@code unsubscribeUrl} (may be null) becomes its List-Unsubscribe header. */
    public record Mail(String id, String recipient, String subject, String body, String unsubscribeUrl) {}

    /** Queues {@code mail}; false when a mail of that id exists already (sent or not). */
    public boolean add(Mail mail) {
        return db.sql("""
                        INSERT INTO public.mail_outbox (id, recipient, subject, body, unsubscribe_url)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""")
                .params(mail.id(), mail.recipient(), mail.subject(), mail.body(), mail.unsubscribeUrl())
                .update() == 1;
    }

    /**
     * Takes up to {@code limit} mails that are due, leasing them for {@code lease} so that another
     * node (or this one's next round) does not send them meanwhile.
     */
    List<Due> takeDue(int limit, Duration lease) {
        return db.sql("""
                        UPDATE public.mail_outbox SET next_attempt_at = now() + make_interval(secs => ?)
                        WHERE id IN (SELECT id FROM public.mail_outbox
                                     WHERE status = 'pending' AND next_attempt_at <= now()
                                     ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                        RETURNING id, recipient, subject, body, unsubscribe_url, attempts""")
                .params(lease.toSeconds(), limit)
                .query((rs, n) -> new Due(new Mail(rs.getString("id"), rs.getString("recipient"), rs.getString("subject"),
                        rs.getString("body"), rs.getString("unsubscribe_url")), rs.getInt("attempts")))
                .list();
    }

    record Due(Mail mail, int attempts) {}

    /** Sent: the body (it may hold a one-time link) is not kept. */
    void sent(String id) {
        db.sql("UPDATE public.mail_outbox SET status = 'sent', sent_at = now(), body = NULL, last_error = NULL WHERE id = ?")
                .param(id).update();
    }

    /** A failed attempt: tried again at {@code retryAt}, or given up ({@code retryAt} null). */
    void failed(String id, String error, Instant retryAt) {
        db.sql("""
                        UPDATE public.mail_outbox SET attempts = attempts + 1, last_error = ?, last_error_at = now(),
                               status = CASE WHEN ?::timestamptz IS NULL THEN 'failed' ELSE status END,
                               next_attempt_at = COALESCE(?::timestamptz, next_attempt_at)
                        WHERE id = ?""")
                .params(error, retryAt == null ? null : Timestamp.from(retryAt),
                        retryAt == null ? null : Timestamp.from(retryAt), id)
                .update();
    }

    /** Forgets every mail to {@code recipient}, sent or not (an erased account's address stays nowhere). */
    public void forget(String recipient) {
        db.sql("DELETE FROM public.mail_outbox WHERE lower(recipient) = lower(?)").param(recipient).update();
    }

    /** What the admin page shows: mails by status, and the latest failure. */
    public record Status(Map<String, Long> counts, String lastError, Instant lastErrorAt) {}

    public Status status() {
        Map<String, Long> counts = new TreeMap<>(Map.of("pending", 0L, "sent", 0L, "failed", 0L));
        db.sql("SELECT status, count(*) AS n FROM public.mail_outbox GROUP BY status")
                .query((rs, n) -> counts.put(rs.getString("status"), rs.getLong("n"))).list();
        var last = db.sql("""
                        SELECT last_error, last_error_at FROM public.mail_outbox WHERE last_error IS NOT NULL
                        ORDER BY last_error_at DESC LIMIT 1""")
                .query((rs, n) -> new Status(counts, rs.getString("last_error"),
                        rs.getTimestamp("last_error_at").toInstant()))
                .optional();
        return last.orElse(new Status(counts, null, null));
    }
}
