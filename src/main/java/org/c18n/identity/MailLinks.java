package org.c18n.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The secrets of the links mailed to people: HMAC-SHA256 of what the link names (a reset
 * request's id, which is in the log; an account and its address) under a key the server generated on first start and keeps
 * in the database beside the access-token key. The log holds no secret: a link's token is
 * computed again when the mail is derived and when the link comes back.
 */
@Component
public class MailLinks {
    /** How long a "forgot password" link works. */
    public static final Duration RESET_LINK_LIFETIME = Duration.ofHours(1);
    private static final String KEY_ID = "mail-links";

    private final byte[] key;

    public MailLinks(JdbcClient db) throws JOSEException, ParseException {
        String stored = load(db);
        if (stored == null) {
            OctetSequenceKey generated = new OctetSequenceKeyGenerator(256).keyID(KEY_ID).generate();
            db.sql("INSERT INTO public.signing_keys (id, jwk) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")
                    .params(KEY_ID, generated.toJSONString())
                    .update();
            stored = load(db);
        }
        this.key = OctetSequenceKey.parse(stored).toByteArray();
    }

    private static String load(JdbcClient db) {
        return db.sql("SELECT jwk FROM public.signing_keys WHERE id = ?").param(KEY_ID).query(String.class)
                .optional().orElse(null);
    }

    /** The token of the link that resets the password by request {@code requestId}. */
    public String resetToken(UUID requestId) {
        return sign("password-reset:" + requestId);
    }

    public boolean validResetToken(UUID requestId, String token) {
        return token != null && MessageDigest.isEqual(resetToken(requestId).getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** The token of the link that confirms {@code email} as {@code userId}'s address (void once the address changes). */
    public String verifyToken(UUID userId, String email) {
        return sign("verify-email:" + userId + ":" + email.toLowerCase(java.util.Locale.ROOT));
    }

    public boolean validVerifyToken(UUID userId, String email, String token) {
        return token != null && MessageDigest.isEqual(verifyToken(userId, email).getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private String sign(String what) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(what.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
