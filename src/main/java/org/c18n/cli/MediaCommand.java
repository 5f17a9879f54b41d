package org.c18n.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.c18n.eventlog.Refused;
import org.c18n.media.MediaMigration;
import org.c18n.media.MediaStoreProperties;

/**
 * {@code c18n media migrate}: copies the local media store ({@code $C18N_DATA_DIR/media}) into the
 * S3 bucket named by the {@code C18N_S3_*} variables, with a progress line and a summary, and
 * verifies every object (size and SHA-256). Safe to run again: what is there is only verified.
 * Exit code 0 when every object matches, 3 on any mismatch, 1 when the store or directory cannot
 * be read. Run it before switching the nodes to {@code C18N_MEDIA_STORE=s3}, and once more after
 * stopping them, for the uploads that came in meanwhile.
 */
public final class MediaCommand {
    private static final String USAGE = "usage: c18n media migrate   (reads C18N_DATA_DIR and C18N_S3_ENDPOINT, C18N_S3_REGION,"
            + " C18N_S3_BUCKET, C18N_S3_ACCESS_KEY, C18N_S3_SECRET_KEY, C18N_S3_PATH_STYLE)";

    private MediaCommand() {}

    public static int run(String[] args) {
        return run(args, System.getenv(), System.out, System.err);
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length != 1 || !args[0].equals("migrate")) {
            err.println(USAGE);
            return 2;
        }
        Path dataDir = Path.of(env.getOrDefault("C18N_DATA_DIR", "./data"));
        var settings = new MediaStoreProperties.S3(env.get("C18N_S3_ENDPOINT"), env.getOrDefault("C18N_S3_REGION", "us-east-1"),
                env.getOrDefault("C18N_S3_BUCKET", "c18n-media"), env.get("C18N_S3_ACCESS_KEY"), env.get("C18N_S3_SECRET_KEY"),
                Boolean.parseBoolean(env.getOrDefault("C18N_S3_PATH_STYLE", "false")));
        out.printf("Copying %s into bucket %s%s...%n", dataDir.resolve("media"), settings.bucket(),
                settings.endpoint() == null ? "" : " at " + settings.endpoint());
        long started = System.nanoTime();
        MediaMigration.Summary summary;
        try {
            summary = MediaMigration.toS3(dataDir, settings, out);
        } catch (IOException | Refused | IllegalArgumentException e) {
            out.println();
            err.println("media migrate: " + e.getMessage());
            return 1;
        }
        out.printf("%,d files: %,d copied (%,.1f MB), %,d already in the bucket; %,d verified by size and SHA-256 in %,d ms.%n",
                summary.files(), summary.copied(), summary.bytesCopied() / 1e6, summary.files() - summary.copied(),
                summary.files() - summary.mismatches().size(), (System.nanoTime() - started) / 1_000_000);
        if (!summary.mismatches().isEmpty()) {
            err.println(summary.mismatches().size() + " object(s) differ from the local files:");
            summary.mismatches().forEach(m -> err.println("  " + m));
            return 3;
        }
        return 0;
    }
}
