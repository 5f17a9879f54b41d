package org.c18n.identity;

import java.security.SecureRandom;

/** Passwords the platform makes up (the first admin's, an admin's reset): 16 characters that cannot be confused. */
public final class GeneratedPasswords {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom random = new SecureRandom();

    private GeneratedPasswords() {}

    public static String generate() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
