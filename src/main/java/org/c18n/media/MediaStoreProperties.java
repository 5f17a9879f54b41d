package org.c18n.media;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where uploads are kept: {@code local} (default), a directory under the data dir, or {@code s3},
 * a bucket of any S3-compatible store shared by every node. An empty endpoint means AWS itself;
 * empty keys mean the SDK's default credentials (environment, profile, instance role).
 */
@ConfigurationProperties("c18n.media-store")
public record MediaStoreProperties(String type, S3 s3) {
    public record S3(String endpoint, String region, String bucket, String accessKey, String secretKey,
                     boolean pathStyle) {}

    public boolean s3Enabled() {
        return "s3".equalsIgnoreCase(type == null ? "" : type.strip());
    }
}
