package org.c18n.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.c18n.eventlog.Refused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The store as an S3 bucket, over the JDK's HTTP client. Files larger than {@link #PART_SIZE} go
 * up in parts of that size, each read from the file as it is sent: nothing is held whole in memory.
 */
final class S3Blobs implements Blobs, AutoCloseable {
    static final long PART_SIZE = 8L * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(S3Blobs.class);

    private final S3Client s3;
    private final String bucket;
    /** Whether the bucket is known to exist: a store that was down at start is checked again at the first upload. */
    private volatile boolean bucketReady;

    S3Blobs(MediaStoreProperties.S3 settings) {
        if (settings == null || settings.bucket() == null || settings.bucket().isBlank()) {
            throw new IllegalArgumentException("the S3 media store needs a bucket (C18N_S3_BUCKET)");
        }
        this.bucket = settings.bucket().strip();
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(30)))
                .region(Region.of(blankOr(settings.region(), "us-east-1")))
                .forcePathStyle(settings.pathStyle())
                // Checksums only where S3 requires them: self-hosted stores differ in the newer trailing ones.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(settings.accessKey() == null || settings.accessKey().isBlank()
                        ? DefaultCredentialsProvider.builder().build()
                        : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(),
                                blankOr(settings.secretKey(), ""))));
        if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(settings.endpoint().strip()));
        }
        this.s3 = builder.build();
    }

    private static String blankOr(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    String bucket() {
        return bucket;
    }

    /** Creates the bucket if it is missing; a store that cannot be reached now is only logged (media answers 503 until it can). */
    void createBucketIfMissing() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            bucketReady = true;
        } catch (NoSuchBucketException e) {
            createBucket();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                createBucket();
            } else {
                log.warn("The media bucket {} cannot be checked: {}", bucket, e.getMessage());
            }
        } catch (SdkException e) {
            log.warn("The media store cannot be reached (uploads and media answer 503 until it can): {}", e.getMessage());
        }
    }

    private void createBucket() {
        try {
            s3.createBucket(b -> b.bucket(bucket));
            bucketReady = true;
            log.info("Created the media bucket {}", bucket);
        } catch (SdkException e) {
            log.warn("The media bucket {} cannot be created: {}", bucket, e.getMessage());
        }
    }

    @Override
    public long size(String key) {
        try {
            return s3.headObject(h -> h.bucket(bucket).key(key)).contentLength();
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw unavailable(e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        if (length <= 0) {
            return InputStream.nullInputStream();
        }
        try {
            return s3.getObject(g -> g.bucket(bucket).key(key).range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void put(String key, Path file) throws IOException {
        long size = Files.size(file);
        if (!bucketReady) {
            createBucketIfMissing();
        }
        try {
            if (size <= PART_SIZE) {
                s3.putObject(p -> p.bucket(bucket).key(key).contentLength(size), RequestBody.fromFile(file));
            } else {
                putInParts(key, file, size);
            }
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    private void putInParts(String key, Path file, long size) {
        String upload = s3.createMultipartUpload(c -> c.bucket(bucket).key(key)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (int number = 1; (long) (number - 1) * PART_SIZE < size; number++) {
                long offset = (number - 1) * PART_SIZE;
                long length = Math.min(PART_SIZE, size - offset);
                int partNumber = number;
                // A provider, not a stream: the SDK may read a part twice (signing, a retry).
                String etag = s3.uploadPart(u -> u.bucket(bucket).key(key).uploadId(upload).partNumber(partNumber)
                                .contentLength(length),
                        RequestBody.fromContentProvider(() -> slice(file, offset, length), length,
                                "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(c -> c.bucket(bucket).key(key).uploadId(upload)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(a -> a.bucket(bucket).key(key).uploadId(upload));
            } catch (SdkException abort) {
                log.warn("Could not abort the multipart upload of {}: {}", key, abort.getMessage());
            }
            throw e;
        }
    }

    private static InputStream slice(Path file, long offset, long length) {
        try {
            return LocalBlobs.slice(file, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void deleteStartingWith(String prefix) {
        try {
            for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents()) {
                s3.deleteObject(d -> d.bucket(bucket).key(object.key()));
            }
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    private Refused unavailable(SdkException e) {
        log.warn("The media store (bucket {}) failed: {}", bucket, e.getMessage());
        return new Refused(Refused.Kind.UNAVAILABLE, "media-store-unavailable",
                "The media store cannot be reached; try again in a moment");
    }

    @Override
    public void close() {
        s3.close();
    }
}
