package org.c18n.infra;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data dir holds the log, the database (with the key that signs access tokens) and the
 * engines' credentials: only the account running the platform may read it.
 */
public final class PrivateFiles {
    private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Whether this file system has owner/group/other permissions (not so on Windows: there the profile's ACLs decide). */
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    static {
        if (!POSIX) {
            log.warn("This file system has no POSIX permissions: protect the data dir with its own access control");
        }
    }

    private PrivateFiles() {}

    /** Creates {@code dir} (and its parents) if missing and makes it {@code 0700}, also when it existed before. */
    public static Path ownerOnlyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            restrict(dir, OWNER_DIR);
        } catch (IOException e) {
            // A mounted volume owned by someone else: the mount decides, as the operator set it up.
            log.warn("Cannot make {} readable by its owner only: {}", dir, e.toString());
        }
        return dir;
    }

    /** A secret of 32 random bytes, URL-safe base64 (no quotes or spaces, safe in any config syntax). */
    public static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes {@code text} to {@code file}, created {@code 0600} before any byte is written. */
    public static void writeSecret(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (POSIX) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } else {
            Files.createFile(temp);
        }
        Files.writeString(temp, text, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Makes an existing secret file {@code 0600} (one written by an older version may be world-readable). */
    public static void tighten(Path file) throws IOException {
        restrict(file, OWNER_FILE);
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        if (POSIX && !Files.getPosixFilePermissions(path).equals(permissions)) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }
}
