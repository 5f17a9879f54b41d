package org.c18n.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.text.ParseException;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The key pair that signs our access tokens: generated on first start and kept in the
 * database (under the data dir when embedded), so every node of a cluster signs and verifies
 * with the same key and no default secret exists anywhere.
 */
@Component
public class SigningKey {
    private final RSAKey key;

    public SigningKey(JdbcClient db) throws JOSEException, ParseException {
        String stored = load(db);
        if (stored == null) {
            RSAKey generated = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            db.sql("INSERT INTO public.signing_keys (id, jwk) VALUES ('access-token', ?) ON CONFLICT (id) DO NOTHING")
                    .param(generated.toJSONString())
                    .update();
            stored = load(db);
        }
        this.key = RSAKey.parse(stored);
    }

    private static String load(JdbcClient db) {
        return db.sql("SELECT jwk FROM public.signing_keys WHERE id = 'access-token'").query(String.class)
                .optional().orElse(null);
    }

    public RSAKey key() {
        return key;
    }
}
