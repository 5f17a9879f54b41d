package org.c18n.media;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Signed media URLs. Image and video tags cannot send our bearer token, so the API hands out
 * URLs that carry an expiry and an HMAC of the media id, to people who may see the media. The
 * expiry is rounded to the hour so a URL stays the same (and cacheable) for a while.
 */
@Component
public class MediaUrls {
    private final byte[] key;

    public MediaUrls(JdbcClient db) {
        byte[] generated = new byte[32];
        new SecureRandom().nextBytes(generated);
        db.sql("INSERT INTO public.signing_keys (id, jwk) VALUES ('media-url', ?) ON CONFLICT (id) DO NOTHING")
                .param(Base64.getEncoder().encodeToString(generated)).update();
        this.key = Base64.getDecoder().decode(db.sql("SELECT jwk FROM public.signing_keys WHERE id = 'media-url'")
                .query(String.class).single());
    }

    public String url(UUID mediaId, boolean thumbnail) {
        long expires = (Instant.now().getEpochSecond() / 3600 + 2) * 3600;
        return "/api/v1/media/" + mediaId + (thumbnail ? "/thumbnail" : "") + "?exp=" + expires + "&sig="
                + sign(mediaId, expires);
    }

    public boolean valid(UUID mediaId, Long expires, String signature) {
        if (expires == null || signature == null || expires < Instant.now().getEpochSecond()) {
            return false;
        }
        return MessageDigest.isEqual(sign(mediaId, expires).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String sign(UUID mediaId, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] sig = mac.doFinal((mediaId + ":" + expires).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
