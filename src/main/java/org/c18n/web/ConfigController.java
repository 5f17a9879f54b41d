package org.c18n.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.c18n.infra.mail.MailProperties;
import org.c18n.infra.mail.Outbox;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the web app may offer on this platform (public), and for admins how mail is doing. */
@RestController
public class ConfigController {
    private final MailProperties smtp;
    private final Outbox outbox;

    public ConfigController(MailProperties smtp, Outbox outbox) {
        this.smtp = smtp;
        this.outbox = outbox;
    }

    public record Config(boolean mail) {}

    /** {@code mail}: whether the platform sends mail, so "forgot password" is offered. */
    @GetMapping("/api/v1/config")
    public Config config() {
        return new Config(smtp.configured());
    }

    /** Whether mail is on (and why not), and the outbox: mails pending, sent, given up, the latest failure. */
    @GetMapping("/api/v1/admin/mail")
    public Map<String, Object> mail() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("configured", smtp.configured());
        if (!smtp.configured()) {
            answer.put("reason", smtp.whyOff() + ": no mail is sent, and the web app offers no password reset by mail");
        }
        Outbox.Status status = outbox.status();
        answer.put("outbox", status.counts());
        if (status.lastError() != null) {
            answer.put("lastError", status.lastError());
            answer.put("lastErrorAt", status.lastErrorAt());
        }
        return answer;
    }
}
