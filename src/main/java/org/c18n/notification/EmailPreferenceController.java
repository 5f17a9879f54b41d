package org.c18n.notification;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.Topics;
import org.c18n.infra.mail.MailProperties;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.Writes;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What is mailed to me while I am away ({@link MailDigests}), and the one-click unsubscribe link
 * of each digest: it works without signing in (RFC 8058), and turns digests off.
 */
@RestController
public class EmailPreferenceController {
    private static final String PATH = "/api/v1/users/me/email-preferences";

    private final JdbcClient db;
    private final Commands commands;
    private final MailProperties smtp;
    private final MailDigests digests;
    private final MailDigestProperties settings;

    public EmailPreferenceController(JdbcClient db, Commands commands, MailProperties smtp, MailDigests digests,
                                     MailDigestProperties settings) {
        this.db = db;
        this.commands = commands;
        this.smtp = smtp;
        this.digests = digests;
        this.settings = settings;
    }

    /** {@code available} false: the server sends no mail (no SMTP), so there is nothing to choose. */
    public record EmailPreferences(boolean available, long intervalMinutes, boolean digest, boolean mentions,
                                   boolean messages, boolean replies) {}

    public record PreferenceChange(@NotNull Boolean digest, @NotNull Boolean mentions, @NotNull Boolean messages,
                                   @NotNull Boolean replies) {}

    @GetMapping(PATH)
    public EmailPreferences mine(CurrentUser me) {
        return preferences(me.id());
    }

    @PutMapping(PATH)
    public ResponseEntity<Object> change(CurrentUser me, @Valid @RequestBody PreferenceChange change) {
        if (!smtp.configured()) {
            throw ApiException.conflict("mail-off", "this server sends no mail");
        }
        var outcome = commands.submit(Topics.NOTIFICATIONS, NotificationEvents.EMAIL_PREFERENCES_SET, me.id(),
                me.id().toString(), new NotificationEvents.EmailPreferencesSet(me.id(), change.digest(), change.mentions(),
                        change.messages(), change.replies()));
        return Writes.changed(outcome, PATH, () -> preferences(me.id()));
    }

    /** The page a person reaches from the link in a digest: it asks before it does anything. */
    @GetMapping("/api/v1/email-digests/unsubscribe")
    public ResponseEntity<String> confirmPage(@RequestParam(required = false) String user, @RequestParam(required = false) String token) {
        UUID id = signed(user, token);
        return page("Stop e-mail digests?", """
                <p>You will get no more e-mails about mentions, messages and replies while you are away.
                You can turn them on again on your account page.</p>
                <form method="post" action="unsubscribe?user=%s&amp;token=%s">
                <button type="submit">Mail me no more digests</button></form>""".formatted(id, token));
    }

    /** RFC 8058 one-click (a mail client POSTs {@code List-Unsubscribe=One-Click}), or the page's button. */
    @PostMapping("/api/v1/email-digests/unsubscribe")
    public ResponseEntity<String> unsubscribe(@RequestParam(required = false) String user, @RequestParam(required = false) String token) {
        UUID id = signed(user, token);
        EmailPreferences now = preferences(id);
        if (now.digest()) {
            commands.submit(Topics.NOTIFICATIONS, NotificationEvents.EMAIL_PREFERENCES_SET, id, id.toString(),
                    new NotificationEvents.EmailPreferencesSet(id, false, now.mentions(), now.messages(), now.replies()));
        }
        return page("Unsubscribed", "<p>You will get no more e-mail digests.</p>");
    }

    private UUID signed(String user, String token) {
        UUID id;
        try {
            id = UUID.fromString(user == null ? "" : user);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("link-invalid", "this link is not one we sent");
        }
        if (!digests.validUnsubscribeToken(id, token)) {
            throw ApiException.badRequest("link-invalid", "this link is not one we sent");
        }
        return id;
    }

    private static ResponseEntity<String> page(String title, String content) {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body("""
                <!doctype html><html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1"><title>%s</title></head>
                <body>
                <h1>%s</h1>%s</body></html>""".formatted(title, title, content));
    }

    private EmailPreferences preferences(UUID user) {
        return db.sql("SELECT digest, mentions, messages, replies FROM email_preferences WHERE user_id = ?").param(user)
                .query((rs, n) -> new EmailPreferences(smtp.configured(), settings.interval().toMinutes(),
                        rs.getBoolean("digest"), rs.getBoolean("mentions"), rs.getBoolean("messages"), rs.getBoolean("replies")))
                .optional()
                .orElse(new EmailPreferences(smtp.configured(), settings.interval().toMinutes(), true, true, true, true));
    }
}
