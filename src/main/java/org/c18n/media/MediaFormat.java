package org.c18n.media;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The upload formats we accept, recognised from the content's first bytes (never from the file
 * name or the declared type), with a structural check that the file is complete.
 */
public enum MediaFormat {
    JPEG("image/jpeg", "image"),
    PNG("image/png", "image"),
    GIF("image/gif", "image"),
    WEBP("image/webp", "image"),
    MP4("video/mp4", "video"),
    WEBM("video/webm", "video");

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    private static final byte[] PNG_IEND = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    public final String contentType;
    public final String kind;

    MediaFormat(String contentType, String kind) {
        this.contentType = contentType;
        this.kind = kind;
    }

    public boolean isImage() {
        return kind.equals("image");
    }

    public static Optional<MediaFormat> sniff(byte[] head) {
        if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (startsWith(head, PNG_MAGIC)) {
            return Optional.of(PNG);
        }
        if (ascii(head, 0, 6).equals("GIF87a") || ascii(head, 0, 6).equals("GIF89a")) {
            return Optional.of(GIF);
        }
        if (ascii(head, 0, 4).equals("RIFF") && ascii(head, 8, 4).equals("WEBP")) {
            return Optional.of(WEBP);
        }
        if (ascii(head, 4, 4).equals("ftyp")) {
            return Optional.of(MP4);
        }
        if (head.length >= 4 && (head[0] & 0xFF) == 0x1A && (head[1] & 0xFF) == 0x45 && (head[2] & 0xFF) == 0xDF
                && (head[3] & 0xFF) == 0xA3) {
            return Optional.of(WEBM);
        }
        return Optional.empty();
    }

    /**
     * False when the file is cut short or not what it starts like: an image without its end marker,
     * a RIFF shorter than it says, a video whose container structure does not hold (see {@link Containers}).
     */
    public boolean complete(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            switch (this) {
                case JPEG -> {
                    byte[] tail = tail(f, 2);
                    return (tail[0] & 0xFF) == 0xFF && (tail[1] & 0xFF) == 0xD9;
                }
                case PNG -> {
                    return Arrays.equals(tail(f, PNG_IEND.length), PNG_IEND);
                }
                case GIF -> {
                    return tail(f, 1)[0] == 0x3B;
                }
                case WEBP -> {
                    byte[] size = new byte[4];
                    f.seek(4);
                    f.readFully(size);
                    long declared = (size[0] & 0xFFL) | (size[1] & 0xFFL) << 8 | (size[2] & 0xFFL) << 16
                            | (size[3] & 0xFFL) << 24;
                    return declared + 8 <= length;
                }
                case MP4 -> {
                    return Containers.mp4(f);
                }
                default -> {
                    return Containers.webm(f);
                }
            }
        }
    }

    private static byte[] tail(RandomAccessFile f, int n) throws IOException {
        byte[] bytes = new byte[n];
        if (f.length() < n) {
            return bytes;
        }
        f.seek(f.length() - n);
        f.readFully(bytes);
        return bytes;
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(Arrays.copyOf(head, magic.length), magic);
    }

    private static String ascii(byte[] head, int from, int length) {
        return head.length >= from + length ? new String(head, from, length, StandardCharsets.ISO_8859_1) : "";
    }
}
