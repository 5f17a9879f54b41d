package org.c18n.eventlog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Crypto-shredding of personal data: every event on topic c18n.users has its data sealed
 * (AES-256-GCM) with a key of the person it is about, kept in the ops table {@code person_keys}
 * (which replay does not touch). Erasure destroys the key: every copy of those events, in the
 * log, its backups, the {@code events} table and the dead letters, becomes unreadable.
 *
 * <p>Keys are read from PostgreSQL on every seal and open, never cached: the users topic is
 * small, and a key destroyed on one node is then gone for every node at once.
 */
@Component
public class PersonKeys {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final JdbcClient db;
    private final SecureRandom random = new SecureRandom();

    public PersonKeys(JdbcClient db) {
        this.db = db;
    }

    /** What the table says of a person's key. */
    public sealed interface Lookup {}

    public record Present(byte[] key) implements Lookup {}

    public record Destroyed() implements Lookup {}

    public record Missing() implements Lookup {}

    public Lookup lookup(UUID person) {
        Optional<Lookup> found = db.sql("SELECT key FROM public.person_keys WHERE person_id = ?").param(person)
                .query((rs, n) -> {
                    byte[] key = rs.getBytes(1);
                    return key == null ? (Lookup) new Destroyed() : new Present(key);
                }).optional();
        return found.orElse(new Missing());
    }

    /** Destroys the person's key for good (a tombstone row stays, so their events read as erased). */
    public void destroy(UUID person) {
        db.sql("""
                INSERT INTO public.person_keys (person_id, key, destroyed_at) VALUES (?, NULL, now())
                ON CONFLICT (person_id) DO UPDATE SET key = NULL, destroyed_at = COALESCE(person_keys.destroyed_at, now())""")
                .param(person).update();
    }

    /** Seals {@code plain} for {@code person}, making their key at their first sealed event. */
    String seal(UUID person, UUID eventId, String type, byte[] plain) {
        byte[] key = keyFor(person);
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, iv, eventId, type);
            byte[] sealed = cipher.doFinal(plain);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Opens a box sealed with {@code key} for the event {@code eventId} of {@code type}; throws when it is not one. */
    static byte[] open(byte[] key, String box, UUID eventId, String type) {
        byte[] bytes = Base64.getDecoder().decode(box);
        if (bytes.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("the sealed box is too short");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(bytes, IV_BYTES), eventId, type);
            return cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the sealed box does not open with the person's key: " + e.getMessage());
        }
    }

    private byte[] keyFor(UUID person) {
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        db.sql("INSERT INTO public.person_keys (person_id, key) VALUES (?, ?) ON CONFLICT (person_id) DO NOTHING")
                .params(person, fresh).update();
        if (lookup(person) instanceof Present present) {
            return present.key();
        }
        throw Refused.conflict("erased", "This account was deleted");
    }

    /** The box is bound to its event (id and type): it cannot be moved into another event. */
    private static Cipher cipher(int mode, byte[] key, byte[] iv, UUID eventId, String type) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD((eventId + "/" + type).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
