package org.c18n.media;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** The default avatar: a 5 × 5 mirrored pattern in a colour, both from a hash of the user's id. */
final class Identicon {
    private Identicon() {}

    static String svg(UUID userId) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(userId.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int hue = ((hash[0] & 0xFF) << 8 | (hash[1] & 0xFF)) % 360;
        StringBuilder cells = new StringBuilder();
        for (int row = 0; row < 5; row++) {
            for (int col = 0; col < 3; col++) {
                if ((hash[2 + row * 3 + col] & 1) == 1) {
                    cells.append(cell(col, row));
                    if (col < 2) {
                        cells.append(cell(4 - col, row));
                    }
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 6 6\" width=\"256\" height=\"256\">"
                + "<rect width=\"6\" height=\"6\" fill=\"hsl(" + hue + ",25%,92%)\"/>"
                + "<g fill=\"hsl(" + hue + ",55%,45%)\">" + cells + "</g></svg>";
    }

    private static String cell(int col, int row) {
        return "<rect x=\"" + (col + 0.5) + "\" y=\"" + (row + 0.5) + "\" width=\"1\" height=\"1\"/>";
    }
}
