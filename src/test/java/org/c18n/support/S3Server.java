package org.c18n.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 API server (S3Proxy over a directory, with signed requests checked) on a free port of
 * 127.0.0.1, for the tests and the bench: what the platform's S3 media store talks to.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "c18n-test-access";
    public static final String SECRET_KEY = "c18n-test-secret-key";

    private final S3Proxy proxy;
    private final BlobStoreContext context;

    private S3Server(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
    }

    /** Starts one keeping its buckets as directories under {@code dir}. */
    public static S3Server start(Path dir) throws Exception {
        Files.createDirectories(dir);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials("unused", "unused")
                .overrides(properties).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!proxy.getState().equals("STARTED")) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new S3Server(proxy, context);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** The platform's settings for a media store in {@code bucket} of this server, as command-line arguments. */
    public List<String> platformArgs(String bucket) {
        return List.of("--c18n.media-store.type=s3", "--c18n.media-store.s3.endpoint=" + endpoint(),
                "--c18n.media-store.s3.bucket=" + bucket, "--c18n.media-store.s3.access-key=" + ACCESS_KEY,
                "--c18n.media-store.s3.secret-key=" + SECRET_KEY, "--c18n.media-store.s3.path-style=true");
    }

    /** The same settings as the environment variables an operator sets (for {@code c18n media migrate}). */
    public Map<String, String> environment(String bucket) {
        return Map.of("C18N_S3_ENDPOINT", endpoint(), "C18N_S3_BUCKET", bucket, "C18N_S3_ACCESS_KEY", ACCESS_KEY,
                "C18N_S3_SECRET_KEY", SECRET_KEY, "C18N_S3_PATH_STYLE", "true");
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
