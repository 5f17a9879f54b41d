package org.c18n.media;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The store as a directory (by default {@code <data dir>/media}): the key is the path under it. */
final class LocalBlobs implements Blobs {
    private final Path root;

    LocalBlobs(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    Path root() {
        return root;
    }

    private Path path(String key) {
        return root.resolve(key);
    }

    @Override
    public long size(String key) throws IOException {
        try {
            return Files.size(path(key));
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) throws IOException {
        return slice(path(key), offset, length);
    }

    /** {@code length} bytes of {@code file} from {@code offset}, read as they are asked for. */
    static InputStream slice(Path file, long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(file);
        channel.position(offset);
        return new FilterInputStream(Channels.newInputStream(channel)) {
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                left--;
                return super.read();
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(buffer, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }

    /** Copied in under a temporary name, then moved: a reader never sees half a file. */
    @Override
    public void put(String key, Path file) throws IOException {
        Path target = path(key);
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "upload", ".part");
        try {
            Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void deleteStartingWith(String prefix) throws IOException {
        Path dir = path(prefix).getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.newDirectoryStream(dir, path(prefix).getFileName() + "*")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }
}
