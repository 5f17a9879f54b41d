package org.c18n.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies the local store ({@code <data dir>/media}) into an S3 bucket under the same keys, then
 * reads every object back and compares its size and SHA-256 with the local file's. An object
 * already there is not copied again, only verified: a second run copies nothing.
 */
public final class MediaMigration {
    public record Summary(int files, int copied, long bytesCopied, List<String> mismatches) {}

    private MediaMigration() {}

    public static Summary toS3(Path dataDir, MediaStoreProperties.S3 settings, PrintStream out) throws IOException {
        Path root = MediaStore.localRoot(dataDir);
        if (!Files.isDirectory(root)) {
            throw new IOException("no local media store at " + root.toAbsolutePath());
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            // .part files are copies that were never finished.
            files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".part"))
                    .sorted().toList();
        }
        int copied = 0;
        long bytes = 0;
        List<String> mismatches = new ArrayList<>();
        try (S3Blobs bucket = new S3Blobs(settings)) {
            bucket.createBucketIfMissing();
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                long size = Files.size(file);
                if (bucket.size(key) < 0) {
                    bucket.put(key, file);
                    copied++;
                    bytes += size;
                }
                long stored = bucket.size(key);
                String localHash;
                try (InputStream in = Files.newInputStream(file)) {
                    localHash = sha256(in);
                }
                String storedHash = null;
                if (stored == size) {
                    try (InputStream in = bucket.open(key, 0, stored)) {
                        storedHash = sha256(in);
                    }
                }
                if (stored != size || !localHash.equals(storedHash)) {
                    mismatches.add(key + ": local " + size + " bytes sha256 " + localHash + ", bucket " + stored
                            + " bytes" + (storedHash == null ? "" : " sha256 " + storedHash));
                }
                out.printf("\r  %,d/%,d files verified, %,d copied (%,.1f MB), %d mismatched", i + 1, files.size(),
                        copied, bytes / 1e6, mismatches.size());
                out.flush();
            }
        }
        out.println();
        return new Summary(files.size(), copied, bytes, mismatches);
    }

    private static String sha256(InputStream in) throws IOException {
        try (DigestInputStream digest = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
            digest.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
