package org.c18n.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real SMTP server (GreenMail) on a free port, and the mails it received, by recipient. */
public final class Mailbox {
    private final GreenMail server;

    private Mailbox(GreenMail server) {
        this.server = server;
    }

    public static Mailbox start() {
        GreenMail server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        server.start();
        return new Mailbox(server);
    }

    public int port() {
        return server.getSmtp().getPort();
    }

    /** The mails sent to {@code address} so far. */
    public List<MimeMessage> to(String address) {
        return Arrays.stream(server.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                        .anyMatch(r -> r.toString().equalsIgnoreCase(address));
            } catch (MessagingException e) {
                return false;
            }
        }).toList();
    }

    /** Waits until {@code address} has received {@code count} mails; answers the last. */
    public MimeMessage await(String address, int count) {
        List<MimeMessage> mails = Eventually.get(() -> to(address), m -> m.size() >= count, Duration.ofSeconds(60));
        if (mails.size() < count) {
            throw new AssertionError("mail number " + count + " to " + address + " never came; received " + mails.size());
        }
        return mails.get(count - 1);
    }

    public static String text(MimeMessage mail) {
        try {
            return mail.getContent().toString();
        } catch (IOException | MessagingException e) {
            throw new AssertionError(e);
        }
    }

    /** The first link to the platform in the mail's text. */
    public static String link(MimeMessage mail) {
        Matcher m = Pattern.compile("https?://\\S+").matcher(text(mail));
        if (!m.find()) {
            throw new AssertionError("no link in: " + text(mail));
        }
        return m.group();
    }
}
