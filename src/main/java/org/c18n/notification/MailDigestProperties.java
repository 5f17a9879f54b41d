package org.c18n.notification;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * E-mail digests ({@code C18N_MAIL_DIGEST_*}): at most one per {@code interval} per person, mailed
 * {@code delay} after the interval ends, so that every notification in it has stayed unread at
 * least that long.
 */
@ConfigurationProperties("c18n.mail.digest")
public record MailDigestProperties(Duration interval, Duration delay) {
    public MailDigestProperties {
        interval = interval == null ? Duration.ofHours(1)
                : interval.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : interval;
        delay = delay == null || delay.isNegative() ? Duration.ofMinutes(10) : delay;
    }
}
