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
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import net.coobird.thumbnailator.Thumbnails;
import org.c18n.infra.C18nProperties;
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

    /**
     * Moves {@code upload} into the store (streaming, never whole in memory); the caller has checked
     * its format and, for an image, its {@link #dimensions}, which it passes in ({@code null} for a
     * video). The thumbnail is made before anything enters the store, so an image that cannot be
     * decoded leaves nothing behind.
     */
    public Stored store(Path upload, MediaFormat format, int[] dimensions) throws IOException {
        String sha;
        try (InputStream in = new DigestInputStream(Files.newInputStream(upload), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            sha = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = Files.size(upload);
        Path target = file(sha);
        Integer width = null;
        Integer height = null;
        Path thumbTemp = null;
        try {
            if (format.isImage()) {
                width = dimensions[0];
                height = dimensions[1];
                if (!Files.exists(thumbnailFile(sha))) {
                    // Thumbnailator names the output by its format: the temporary file must end in .png.
                    thumbTemp = Files.createTempFile("c18n-thumb", ".png");
                    BufferedImage image = subsampled(upload, THUMBNAIL_WIDTH);
                    Thumbnails.of(image).width(Math.min(THUMBNAIL_WIDTH, width)).outputFormat("png")
                            .toFile(thumbTemp.toFile());
                }
            }
            Files.createDirectories(target.getParent());
            boolean created = false;
            try {
                if (!Files.exists(target)) {
                    moveInto(upload, target, true);
                    created = true;
                }
                if (thumbTemp != null) {
                    moveInto(thumbTemp, thumbnailFile(sha), false);
                }
            } catch (IOException | RuntimeException e) {
                if (created) {
                    Files.deleteIfExists(target);
                }
                throw e;
            }
        } finally {
            if (thumbTemp != null) {
                Files.deleteIfExists(thumbTemp);
            }
        }
        return new Stored(sha, size, width, height, format.isImage());
    }

    /** Copies (the upload's temporary file is the caller's to delete) or moves a file in under a temporary name. */
    private static void moveInto(Path source, Path target, boolean copy) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "upload", ".part");
        try {
            if (copy) {
                Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(source, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Width and height as the image's header declares them, read without decoding a pixel: the
     * caller refuses an image too large to decode before anything allocates its size.
     */
    public static int[] dimensions(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = reader(in);
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * The first image decoded at every n-th pixel, n chosen so that it is still at least twice the
     * thumbnail's width: a large image never takes its full size in memory.
     */
    private static BufferedImage subsampled(Path file, int thumbnailWidth) throws IOException {
        try {
            return subsampled(file, thumbnailWidth, false);
        } catch (IOException | RuntimeException e) {
            // A reader that cannot subsample (not one of the JDK's): the whole image, within the pixel limit.
            return subsampled(file, thumbnailWidth, true);
        }
    }

    private static BufferedImage subsampled(Path file, int thumbnailWidth, boolean whole) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = reader(in);
            try {
                reader.setInput(in, true, true);
                int step = whole ? 1 : Math.max(1, reader.getWidth(0) / (thumbnailWidth * 2));
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage image = reader.read(0, param);
                if (image == null) {
                    throw new IOException("unreadable image");
                }
                return image;
            } finally {
                reader.dispose();
            }
        }
    }

    private static ImageReader reader(ImageInputStream in) throws IOException {
        if (in == null) {
            throw new IOException("unreadable file");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new IOException("no reader");
        }
        return readers.next();
    }

    /**
     * The image cropped to its centred square and scaled to {@code size} px, made from the stored
     * file on first use (derived, like the thumbnail: replay or a new node makes it again).
     */
    public Path avatarFile(String sha, int size) throws IOException {
        Path target = root.resolve(sha.substring(0, 2)).resolve(sha + ".avatar" + size + ".png");
        if (Files.exists(target)) {
            return target;
        }
        Path source = file(sha);
        int[] dimensions = dimensions(source);
        Path temp = Files.createTempFile("c18n-avatar", ".png");
        try {
            // Subsampled so that the short side stays at least twice the avatar's size.
            int shortSide = Math.min(dimensions[0], dimensions[1]);
            BufferedImage image = subsampled(source, Math.max(1, size * dimensions[0] / Math.max(1, shortSide)));
            Thumbnails.of(image).crop(net.coobird.thumbnailator.geometry.Positions.CENTER).size(size, size)
                    .outputFormat("png").toFile(temp.toFile());
            moveInto(temp, target, false);
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    public Path file(String sha) {
        return root.resolve(sha.substring(0, 2)).resolve(sha);
    }

    /** Deletes the stored file and every file derived from it (thumbnail, avatar sizes). */
    public void deleteWithDerived(String sha) throws IOException {
        Path dir = root.resolve(sha.substring(0, 2));
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.newDirectoryStream(dir, sha + "*")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    public Path thumbnailFile(String sha) {
        return root.resolve(sha.substring(0, 2)).resolve(sha + ".thumb.png");
    }
}
