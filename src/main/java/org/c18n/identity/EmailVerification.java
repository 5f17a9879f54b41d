package org.c18n.identity;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.UUID;
import org.c18n.eventlog.EventLog;
import org.c18n.eventlog.Topics;
import org.c18n.infra.mail.MailProperties;
import org.c18n.web.RateBudgets;
import org.springframework.stereotype.Component;

/**
 * The one rule of e-mail verification ({@code C18N_EMAIL_VERIFICATION}, with SMTP configured):
 * a local account that is not an admin's signs in only once its current address is confirmed.
 * A sign-in it refuses asks for the confirmation mail again, at most three times an hour.
 */
@Component
public class EmailVerification {
    private static final int MAILS_PER_HOUR = 3;

    private final AccountProperties accounts;
    private final MailProperties smtp;
    private final Users users;
    private final EventLog log;
    private final RateBudgets<UUID> resends = new RateBudgets<>(100_000);

    public EmailVerification(AccountProperties accounts, MailProperties smtp, Users users, EventLog log) {
        this.accounts = accounts;
        this.smtp = smtp;
        this.users = users;
        this.log = log;
    }

    public boolean on() {
        return accounts.emailVerification() && smtp.configured();
    }

    /** Whether {@code user} (whose password was right) must confirm their address before signing in; if so, the mail goes again. */
    boolean required(UserView user) {
        if (!on() || user.admin() || user.passwordHash() == null || users.emailVerified(user.id())) {
            return false;
        }
        if (resends.secondsToWait(user.id(), () -> Bucket.builder().addLimit(Bandwidth.builder().capacity(MAILS_PER_HOUR)
                .refillGreedy(MAILS_PER_HOUR, Duration.ofHours(1)).build()).build()) == 0) {
            log.appendAsync(Topics.USERS, UserEvents.EMAIL_VERIFICATION_REQUESTED, user.id(), user.id().toString(),
                    new UserEvents.EmailVerificationRequested(user.id()));
        }
        return true;
    }
}
