package org.c18n.infra.mail;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.c18n.infra.C18nProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends the outbox's due mails through the SMTP server, on its own thread. A failed attempt is
 * tried again later, each time twice as late (30 s, 1 min, 2 min … at most an hour), and given
 * up after {@value #MAX_ATTEMPTS} attempts; every failure counts in {@code c18n_mail_failures_total}
 * and the latest shows on the admin page. Several nodes share the outbox: each leases what it sends.
 */
@Component
public class MailSender implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(MailSender.class);
    static final int MAX_ATTEMPTS = 8;
    private static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    private static final Duration LONGEST_RETRY = Duration.ofHours(1);
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final long IDLE_MILLIS = 500;

    private final Outbox outbox;
    private final MailProperties smtp;
    private final C18nProperties props;
    private final Counter sent;
    private final Counter failures;
    private final JavaMailSenderImpl sender;
    private volatile boolean running;
    private volatile Thread thread;

    public MailSender(Outbox outbox, MailProperties smtp, C18nProperties props, MeterRegistry meters) {
        this.outbox = outbox;
        this.smtp = smtp;
        this.props = props;
        this.sent = Counter.builder("c18n.mail.sent").description("Mails handed to the SMTP server").register(meters);
        this.failures = Counter.builder("c18n.mail.failures").description("Attempts to send a mail that failed")
                .register(meters);
        this.sender = smtp.configured() ? javaMail(smtp) : null;
    }

    private static JavaMailSenderImpl javaMail(MailProperties smtp) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(smtp.host().strip());
        sender.setPort(smtp.portOrDefault());
        boolean login = smtp.username() != null && !smtp.username().isBlank();
        if (login) {
            sender.setUsername(smtp.username());
            sender.setPassword(smtp.password());
        }
        Properties settings = new Properties();
        settings.put("mail.smtp.auth", String.valueOf(login));
        settings.put("mail.smtp.connectiontimeout", "10000");
        settings.put("mail.smtp.timeout", "10000");
        settings.put("mail.smtp.writetimeout", "10000");
        switch (smtp.tlsMode()) {
            case "none" -> { }
            case "tls" -> {
                sender.setProtocol("smtps");
                settings.put("mail.smtps.auth", String.valueOf(login));
                settings.put("mail.smtps.ssl.checkserveridentity", "true");
            }
            default -> {
                settings.put("mail.smtp.starttls.enable", "true");
                settings.put("mail.smtp.starttls.required", "true");
                settings.put("mail.smtp.ssl.checkserveridentity", "true");
            }
        }
        sender.setJavaMailProperties(settings);
        return sender;
    }

    private void run() {
        while (running) {
            boolean busy = false;
            try {
                for (Outbox.Due due : outbox.takeDue(20, LEASE)) {
                    send(due);
                    busy = true;
                }
            } catch (RuntimeException e) {
                log.warn("Could not read the mail outbox", e);
            }
            if (!busy) {
                try {
                    Thread.sleep(IDLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void send(Outbox.Due due) {
        Outbox.Mail mail = due.mail();
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, false, "UTF-8");
            helper.setFrom(smtp.from().strip());
            helper.setTo(mail.recipient());
            helper.setSubject(mail.subject());
            helper.setText(mail.body() == null ? "" : mail.body(), false);
            if (mail.unsubscribeUrl() != null) {
                // RFC 8058: a mail client may unsubscribe with one POST, without opening the page.
                message.setHeader("List-Unsubscribe", "<" + mail.unsubscribeUrl() + ">");
                message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            }
            sender.send(message);
            outbox.sent(mail.id());
            sent.increment();
        } catch (Exception e) {
            failures.increment();
            int attempts = due.attempts() + 1;
            Instant retryAt = attempts >= MAX_ATTEMPTS ? null : Instant.now().plus(retryAfter(attempts));
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            outbox.failed(mail.id(), error.length() > 500 ? error.substring(0, 500) : error, retryAt);
            log.warn("Mail {} could not be sent (attempt {}): {}", mail.id(), attempts, error);
        }
    }

    static Duration retryAfter(int attempts) {
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "c18n-mail-sender");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return sender != null && !props.replayMode();
    }
}
