package org.c18n.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.c18n.infra.C18nProperties;
import org.c18n.media.MediaFormat;
import org.c18n.media.MediaStore;
import org.c18n.media.MediaStoreProperties;
import org.c18n.support.S3Server;

/**
 * The media store benchmark of bench/README.md: N files of M MB stored through {@link MediaStore}
 * (hashed, then copied into the local directory or streamed to an S3Proxy bucket, in 8 MB parts)
 * and read back whole, one at a time. MB/s and this JVM's CPU seconds per GB of each phase; the
 * S3Proxy server runs in this JVM, so its CPU counts too.
 */
public final class MediaStoreBenchmark {
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        int files = Integer.getInteger("bench.files", 8);
        int megabytes = Integer.getInteger("bench.mb", 64);
        Path dir = Files.createTempDirectory("c18n-media-bench");
        List<Path> sources = new ArrayList<>();
        Random random = new Random(18);
        byte[] block = new byte[1024 * 1024];
        for (int i = 0; i < files; i++) {
            Path file = dir.resolve("source-" + i + ".bin");
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int m = 0; m < megabytes; m++) {
                    random.nextBytes(block);
                    out.write(block);
                }
            }
            sources.add(file);
        }
        System.out.printf("%d files of %d MB (%d MB), one at a time; loaded machine (2 cores shared)%n", files, megabytes,
                files * megabytes);
        System.out.printf("%-6s %-9s %9s %12s%n", "store", "phase", "MB/s", "CPU s/GB");
        run("local", new MediaStore(properties(dir.resolve("local")), new MediaStoreProperties("local", null)), sources);
        try (S3Server s3 = S3Server.start(dir.resolve("s3"))) {
            var settings = new MediaStoreProperties.S3(s3.endpoint(), "us-east-1", "bench", S3Server.ACCESS_KEY,
                    S3Server.SECRET_KEY, true);
            run("s3", new MediaStore(properties(dir.resolve("unused")), new MediaStoreProperties("s3", settings)), sources);
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static C18nProperties properties(Path dataDir) {
        return new C18nProperties(dataDir, null, null, null, null, null, null, null, null, null, null, false);
    }

    static void run(String name, MediaStore store, List<Path> sources) throws Exception {
        long bytes = 0;
        for (Path source : sources) {
            bytes += Files.size(source);
        }
        List<String> hashes = new ArrayList<>();
        measure(name, "upload", bytes, () -> {
            for (Path source : sources) {
                hashes.add(store.store(source, MediaFormat.WEBM, null).sha256());
            }
            return null;
        });
        measure(name, "download", bytes, () -> {
            byte[] buffer = new byte[64 * 1024];
            for (String sha : hashes) {
                MediaStore.File file = store.original(sha).orElseThrow();
                try (InputStream in = store.open(file, 0, file.size())) {
                    while (in.read(buffer) >= 0) {
                        // read through, as a response would
                    }
                }
            }
            return null;
        });
    }

    interface Phase {
        Object run() throws Exception;
    }

    static void measure(String name, String phase, long bytes, Phase work) throws Exception {
        long cpu = OS.getProcessCpuTime();
        long started = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = (OS.getProcessCpuTime() - cpu) / 1e9;
        System.out.printf("%-6s %-9s %9.1f %12.2f%n", name, phase, bytes / 1e6 / seconds, cpuSeconds / (bytes / 1e9));
    }
}
