package org.c18n.infra.mail;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Signs what a mailed link names: HMAC-SHA256 under a key the server generated on first start and
 * keeps in the database beside the access-token key. The log holds no secret: a link's token is
 * computed again when the mail is derived and when the link comes back. Each caller prefixes what
 * it signs with the link's purpose, so that one kind of link never passes for another.
 */
@Component
public class LinkSigner {
    private static final String KEY_ID = "mail-links";

    private final byte[] key;

    public LinkSigner(JdbcClient db) throws JOSEException, ParseException {
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

    public String sign(String what) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(what.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code token} is the signature of {@code what}, compared in constant time. */
    public boolean valid(String what, String token) {
        return token != null && MessageDigest.isEqual(sign(what).getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }
}
