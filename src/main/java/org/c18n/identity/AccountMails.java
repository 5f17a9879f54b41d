package org.c18n.identity;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.c18n.eventlog.Event;
import org.c18n.eventlog.PersonKeys;
import org.c18n.eventlog.ProjectionTracker;
import org.c18n.eventlog.Topics;
import org.c18n.infra.mail.MailProperties;
import org.c18n.infra.mail.Outbox;
import org.c18n.reader.LogReader;
import org.c18n.reader.ReaderSupport;
import org.c18n.web.SiteUrl;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Derives the account mails from the log: a {@code user.password_reset_requested} becomes the
 * "forgot password" mail with its link; with e-mail verification on, a sign-up, an address
 * change or a refused sign-in's request becomes a confirmation mail. Each goes into the outbox
 * under the event's id, so reading the event
 * again (a restart, a rebalance, positions lost) adds nothing. A request older than its link's
 * lifetime gets no mail, nor does an event the projector refused (the second claim of a username).
 * The nodes share the partitions; positions are kept with the outbox.
 * Runs only when SMTP is configured.
 */
@Component
public class AccountMails extends LogReader {
    private final Users users;
    private final MailLinks links;
    private final Outbox outbox;
    private final SiteUrl site;
    private final MailProperties smtp;
    private final AccountProperties accounts;
    private final JdbcClient db;
    private final ObjectMapper json;
    private final PersonKeys keys;
    private final ProjectionTracker projection;

    public AccountMails(ReaderSupport support, Users users, MailLinks links, Outbox outbox, SiteUrl site,
                        MailProperties smtp, AccountProperties accounts, JdbcClient db, ObjectMapper json,
                        PersonKeys keys, ProjectionTracker projection) {
        super(support, "account-mails", List.of(Topics.USERS), Start.STORED_POSITIONS, Group.shared("c18n-account-mails"));
        this.users = users;
        this.links = links;
        this.outbox = outbox;
        this.site = site;
        this.smtp = smtp;
        this.accounts = accounts;
        this.db = db;
        this.json = json;
        this.keys = keys;
        this.projection = projection;
    }

    @Override
    protected Map<TopicPartition, Long> storedPositions() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        db.sql("SELECT topic, partition, next_offset FROM public.mail_reader_positions")
                .query((rs, n) -> positions.put(new TopicPartition(rs.getString("topic"), rs.getInt("partition")),
                        rs.getLong("next_offset")))
                .list();
        return positions;
    }

    @Override
    protected void apply(List<ConsumerRecord<String, String>> batch) {
        // Mail only for what the views accepted: a refused sign-up (a name already taken) gets none.
        projection.awaitApplied(batch, this::stopping, java.time.Duration.ofDays(365));
        applyEach(batch, this::derive);
        Map<TopicPartition, Long> next = new HashMap<>();
        batch.forEach(r -> next.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max));
        next.forEach((partition, offset) -> db.sql("""
                        INSERT INTO public.mail_reader_positions (topic, partition, next_offset) VALUES (?, ?, ?)
                        ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset""")
                .params(partition.topic(), partition.partition(), offset).update());
    }

    /** Database trouble passes; the mails of the batch are derived again (adding nothing twice). */
    @Override
    protected boolean worthRetrying(RuntimeException error) {
        return error instanceof org.springframework.dao.DataAccessException;
    }

    private void derive(ConsumerRecord<String, String> record) {
        String value = record.value();
        if (value == null || !(value.contains(UserEvents.PASSWORD_RESET_REQUESTED) || (accounts.emailVerification()
                && (value.contains(UserEvents.REGISTERED) || value.contains(UserEvents.EMAIL_CHANGED)
                    || value.contains(UserEvents.EMAIL_VERIFICATION_REQUESTED))))) {
            return; // most user events make no mail: not worth parsing
        }
        Event event = Event.parse(json, value, keys); // users events are sealed: opened with the person's key
        if (projection.refused(record.topic(), record.partition(), record.offset(), event.id())) {
            return;
        }
        switch (event.type()) {
            case UserEvents.PASSWORD_RESET_REQUESTED -> resetMail(event);
            case UserEvents.REGISTERED -> {
                var e = event.data(UserEvents.Registered.class);
                // Admins and single sign-on accounts need no confirmation.
                if (e.passwordHash() != null && !"admin".equals(e.role())) {
                    verifyMail(event, e.userId(), e.displayName(), e.email());
                }
            }
            case UserEvents.EMAIL_CHANGED -> {
                var e = event.data(UserEvents.EmailChanged.class);
                users.byId(e.userId()).ifPresent(user -> verifyMail(event, user.id(), user.displayName(), e.email()));
            }
            case UserEvents.EMAIL_VERIFICATION_REQUESTED -> {
                var e = event.data(UserEvents.EmailVerificationRequested.class);
                users.byId(e.userId()).ifPresent(user -> verifyMail(event, user.id(), user.displayName(), user.email()));
            }
            default -> { }
        }
    }

    /** Confirmation links do not expire, but a mail is not derived for an event older than a day (positions lost, say). */
    private void verifyMail(Event event, java.util.UUID userId, String displayName, String email) {
        if (!accounts.emailVerification() || event.at().plus(java.time.Duration.ofDays(1)).isBefore(Instant.now())) {
            return;
        }
        outbox.add(new Outbox.Mail(event.id() + ":verify-email", email, "Confirm your e-mail address", """
                Hello %s,

                please confirm that this is your e-mail address by following this link:

                %s

                If you did not sign up or change your address, ignore this mail.
                """.formatted(displayName, site.base() + "verify-email?user=" + userId + "&token="
                        + links.verifyToken(userId, email)), null));
    }

    private void resetMail(Event event) {
        if (event.at().plus(MailLinks.RESET_LINK_LIFETIME).isBefore(Instant.now())) {
            return;
        }
        var request = event.data(UserEvents.PasswordResetRequested.class);
        users.byId(request.userId()).ifPresent(user -> outbox.add(new Outbox.Mail(
                event.id() + ":password-reset", user.email(), "Reset your password",
                resetMail(user, site.base() + "reset-password?request=" + event.id() + "&token="
                        + links.resetToken(event.id())), null)));
    }


    private static String resetMail(UserView user, String link) {
        return """
                Hello %s,

                someone (we hope you) asked to reset the password of your account "%s".
                Follow this link within an hour to choose a new one; it works once:

                %s

                If you did not ask, ignore this mail: your password stays as it is.
                """.formatted(user.displayName(), user.username(), link);
    }

    @Override
    public boolean isAutoStartup() {
        return super.isAutoStartup() && smtp.configured();
    }
}
