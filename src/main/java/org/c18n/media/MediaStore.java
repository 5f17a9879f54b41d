package org.c18n.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import net.coobird.thumbnailator.Thumbnails;
import org.c18n.C18nProperties;
import org.springframework.stereotype.Component;

/**
 * Files by content: each is stored once under {@code <data dir>/media/<aa>/<sha-256>}, whoever
 * uploads it and however often, with a 320 px wide thumbnail beside images.
 */
@Component
public class MediaStore {
    static final int THUMBNAIL_WIDTH = 320;

    private final Path root;

    public MediaStore(C18nProperties props) throws IOException {
        this.root = props.dataDir().resolve("media");
        Files.createDirectories(root);
        // Registers the WebP reader (TwelveMonkeys) also when running from the packaged jar.
        ImageIO.scanForPlugins();
    }

    public record Stored(String sha256, long size, Integer width, Integer height, boolean thumbnail) {}

    /** Moves {@code upload} into the store (streaming, never whole in memory); the caller has checked its format. */
    public Stored store(Path upload, MediaFormat format) throws IOException {
        String sha;
        try (InputStream in = new DigestInputStream(Files.newInputStream(upload), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            sha = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = Files.size(upload);
        Path target = file(sha);
        if (!Files.exists(target)) {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "upload", ".part");
            Files.copy(upload, temp, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Integer width = null;
        Integer height = null;
        boolean thumbnail = false;
        if (format.isImage()) {
            int[] dimensions = dimensions(target);
            width = dimensions[0];
            height = dimensions[1];
            Path thumb = thumbnailFile(sha);
            if (!Files.exists(thumb)) {
                BufferedImage image = ImageIO.read(target.toFile());
                if (image == null) {
                    throw new IOException("unreadable image");
                }
                // Thumbnailator names the output by its format: the temporary file must end in .png.
                Path temp = Files.createTempFile(thumb.getParent(), "thumb", ".png");
                Thumbnails.of(image).width(Math.min(THUMBNAIL_WIDTH, image.getWidth())).outputFormat("png")
                        .toFile(temp.toFile());
                Files.move(temp, thumb, StandardCopyOption.REPLACE_EXISTING);
            }
            thumbnail = true;
        }
        return new Stored(sha, size, width, height, thumbnail);
    }

    private static int[] dimensions(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("no reader");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        }
    }

    public Path file(String sha) {
        return root.resolve(sha.substring(0, 2)).resolve(sha);
    }

    public Path thumbnailFile(String sha) {
        return root.resolve(sha.substring(0, 2)).resolve(sha + ".thumb.png");
    }
}
