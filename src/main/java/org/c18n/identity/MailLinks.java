package org.c18n.identity;

import java.time.Duration;
import java.util.UUID;
import org.c18n.infra.mail.LinkSigner;
import org.springframework.stereotype.Component;

/**
 * The secrets of the links mailed to people: signatures ({@link LinkSigner}) of what the link
 * names (a reset request's id, which is in the log; an account and its address).
 */
@Component
public class MailLinks {
    /** How long a "forgot password" link works. */
    public static final Duration RESET_LINK_LIFETIME = Duration.ofHours(1);
    private final LinkSigner signer;

    public MailLinks(LinkSigner signer) {
        this.signer = signer;
    }

    /** The token of the link that resets the password by request {@code requestId}. */
    public String resetToken(UUID requestId) {
        return sign("password-reset:" + requestId);
    }

    public boolean validResetToken(UUID requestId, String token) {
        return signer.valid("password-reset:" + requestId, token);
    }

    /** The token of the link that confirms {@code email} as {@code userId}'s address (void once the address changes). */
    public String verifyToken(UUID userId, String email) {
        return sign("verify-email:" + userId + ":" + email.toLowerCase(java.util.Locale.ROOT));
    }

    public boolean validVerifyToken(UUID userId, String email, String token) {
        return signer.valid("verify-email:" + userId + ":" + email.toLowerCase(java.util.Locale.ROOT), token);
    }

    private String sign(String what) {
        return signer.sign(what);
    }
}
