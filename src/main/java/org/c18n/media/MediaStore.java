package org.c18n.media;

import jakarta.annotation.PreDestroy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import net.coobird.thumbnailator.Thumbnails;
import org.c18n.infra.C18nProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Files by content: each is stored once under the key {@code <aa>/<sha-256>}, whoever uploads it
 * and however often, with a 320 px wide thumbnail beside images ({@code <sha-256>.thumb.png}) and
 * avatar squares made on first use. The keys name files under {@code <data dir>/media} or objects
 * in an S3 bucket ({@link MediaStoreProperties}); a store that cannot be reached answers 503.
 */
@Component
public class MediaStore {
    static final int THUMBNAIL_WIDTH = 320;
    private static final Logger log = LoggerFactory.getLogger(MediaStore.class);

    private final Blobs blobs;

    public MediaStore(C18nProperties props, MediaStoreProperties storeProps) throws IOException {
        if (storeProps != null && storeProps.s3Enabled()) {
            S3Blobs s3 = new S3Blobs(storeProps.s3());
            s3.createBucketIfMissing();
            this.blobs = s3;
        } else {
            this.blobs = new LocalBlobs(localRoot(props.dataDir()));
        }
        // Registers the WebP reader (TwelveMonkeys) also when running from the packaged jar.
        ImageIO.scanForPlugins();
    }

    /** The local store's directory under {@code dataDir} (also what {@code c18n media migrate} copies). */
    public static Path localRoot(Path dataDir) {
        return dataDir.resolve("media");
    }

    @PreDestroy
    void close() {
        if (blobs instanceof S3Blobs s3) {
            s3.close();
        }
    }

    public record Stored(String sha256, long size, Integer width, Integer height, boolean thumbnail) {}

    /** A stored file: its key in the store and its size in bytes. */
    public record File(String key, long size) {}

    static String key(String sha, String suffix) {
        return sha.substring(0, 2) + "/" + sha + suffix;
    }

    /**
     * Copies {@code upload} into the store (streaming, never whole in memory); the caller has checked
     * its format and, for an image, its {@link #dimensions}, which it passes in ({@code null} for a
     * video). The thumbnail is made before anything enters the store, so an image that cannot be
     * decoded leaves nothing behind.
     */
    public Stored store(Path upload, MediaFormat format, int[] dimensions) throws IOException {
        String sha;
        try (InputStream in = new DigestInputStream(Files.newInputStream(upload), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            sha = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = Files.size(upload);
        String key = key(sha, "");
        String thumbnailKey = key(sha, ".thumb.png");
        Integer width = null;
        Integer height = null;
        Path thumbTemp = null;
        try {
            if (format.isImage()) {
                width = dimensions[0];
                height = dimensions[1];
                if (blobs.size(thumbnailKey) < 0) {
                    // Thumbnailator names the output by its format: the temporary file must end in .png.
                    thumbTemp = Files.createTempFile("c18n-thumb", ".png");
                    BufferedImage image = subsampled(upload, THUMBNAIL_WIDTH);
                    Thumbnails.of(image).width(Math.min(THUMBNAIL_WIDTH, width)).outputFormat("png")
                            .toFile(thumbTemp.toFile());
                }
            }
            boolean created = false;
            try {
                if (blobs.size(key) < 0) {
                    blobs.put(key, upload);
                    created = true;
                }
                if (thumbTemp != null) {
                    blobs.put(thumbnailKey, thumbTemp);
                }
            } catch (IOException | RuntimeException e) {
                if (created) {
                    try {
                        blobs.deleteStartingWith(key);
                    } catch (IOException | RuntimeException cleanup) {
                        log.warn("Could not remove the half-stored upload {}: {}", key, cleanup.getMessage());
                    }
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
    public File avatar(String sha, int size) throws IOException {
        String key = key(sha, ".avatar" + size + ".png");
        long existing = blobs.size(key);
        if (existing >= 0) {
            return new File(key, existing);
        }
        File original = original(sha).orElseThrow(() -> new IOException("no stored file " + sha));
        Path source = Files.createTempFile("c18n-avatar-source", ".bin");
        Path temp = Files.createTempFile("c18n-avatar", ".png");
        try {
            try (InputStream in = open(original, 0, original.size())) {
                Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
            }
            int[] dimensions = dimensions(source);
            // Subsampled so that the short side stays at least twice the avatar's size.
            int shortSide = Math.min(dimensions[0], dimensions[1]);
            BufferedImage image = subsampled(source, Math.max(1, size * dimensions[0] / Math.max(1, shortSide)));
            Thumbnails.of(image).crop(net.coobird.thumbnailator.geometry.Positions.CENTER).size(size, size)
                    .outputFormat("png").toFile(temp.toFile());
            blobs.put(key, temp);
            return new File(key, Files.size(temp));
        } finally {
            Files.deleteIfExists(source);
            Files.deleteIfExists(temp);
        }
    }

    public Optional<File> original(String sha) throws IOException {
        return file(key(sha, ""));
    }

    public Optional<File> thumbnail(String sha) throws IOException {
        return file(key(sha, ".thumb.png"));
    }

    private Optional<File> file(String key) throws IOException {
        long size = blobs.size(key);
        return size < 0 ? Optional.empty() : Optional.of(new File(key, size));
    }

    /** {@code length} bytes of {@code file} from {@code offset}, streamed from the store. */
    public InputStream open(File file, long offset, long length) throws IOException {
        return blobs.open(file.key(), offset, length);
    }

    /** Deletes the stored file and every file derived from it (thumbnail, avatar sizes). */
    public void deleteWithDerived(String sha) throws IOException {
        blobs.deleteStartingWith(key(sha, ""));
    }
}
