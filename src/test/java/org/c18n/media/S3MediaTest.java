package org.c18n.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;
import static org.c18n.support.TestMedia.image;
import static org.c18n.support.TestMedia.webm;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.c18n.cli.MediaCommand;
import org.c18n.client.Api;
import org.c18n.support.Accounts;
import org.c18n.support.NodeCluster;
import org.c18n.support.PlatformTest;
import org.c18n.support.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Media on an S3 API server (S3Proxy) shared by two app nodes with no shared volume: what one node
 * stores, the other serves, with ranges and the private-content rules of the local store; a store
 * that cannot be reached answers 503; {@code c18n media migrate} moves a local store into a bucket.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3MediaTest {
    static final Path DIR = Path.of("target", "test-data", "s3-" + UUID.randomUUID());
    static S3Server s3;
    static NodeCluster cluster;
    static ConfigurableApplicationContext nodeA;
    static ConfigurableApplicationContext nodeB;
    static S3Client bucketReader;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Server.start(DIR.resolve("s3"));
        cluster = NodeCluster.start(DIR);
        nodeA = node("a");
        nodeB = node("b");
        bucketReader = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create(s3.endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                // S3Proxy refuses the newer checksum headers (501), as the platform's own client is set up for.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                .build();
    }

    static ConfigurableApplicationContext node(String name) {
        return cluster.node(name, s3.platformArgs("media"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (bucketReader != null) {
            bucketReader.close();
        }
        for (AutoCloseable engine : new AutoCloseable[] {cluster, s3}) {
            if (engine != null) {
                engine.close();
            }
        }
    }

    static String url(ConfigurableApplicationContext node) {
        return NodeCluster.url(node);
    }

    static Api onA(String prefix) {
        return Accounts.signedUp(url(nodeA), PlatformTest.unique(prefix));
    }

    @Test
    @Order(1)
    void anUploadOnOneNodeIsServedByTheOtherFromTheBucket() throws Exception {
        Api ann = onA("s3ann");
        byte[] png = image("png", 800, 600, Color.ORANGE);
        var uploaded = ann.upload("/api/v1/media", "photo.png", "image/png", png);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        String id = uploaded.text("id");
        Api annOnB = new Api(url(nodeB)).token(ann.token());

        var original = annOnB.getBytes("/api/v1/media/" + id);
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(original.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(original.body()).isEqualTo(png);
        String etag = original.headers().firstValue("ETag").orElseThrow();
        assertThat(annOnB.getBytes("/api/v1/media/" + id, "If-None-Match", etag).statusCode()).isEqualTo(304);
        var thumbnail = annOnB.getBytes("/api/v1/media/" + id + "/thumbnail");
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
        assertThat(thumb.getWidth()).isEqualTo(320);

        // An avatar square made on node B is stored beside the original and served by node A as well.
        assertThat(annOnB.put("/api/v1/users/me/avatar", Map.of("mediaId", id)).status()).isEqualTo(200);
        var avatarOnB = annOnB.getBytes("/api/v1/users/" + ann.id() + "/avatar?size=48");
        assertThat(avatarOnB.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(ImageIO.read(new ByteArrayInputStream(avatarOnB.body())).getWidth()).isEqualTo(48);
        assertThat(ann.getBytes("/api/v1/users/" + ann.id() + "/avatar?size=48").body()).isEqualTo(avatarOnB.body());

        String sha = sha256(png);
        assertThat(keys("media", sha.substring(0, 2) + "/" + sha))
                .containsExactlyInAnyOrder(sha.substring(0, 2) + "/" + sha, sha.substring(0, 2) + "/" + sha + ".thumb.png",
                        sha.substring(0, 2) + "/" + sha + ".avatar48.png");
        // No node keeps the files: the bucket is the only copy.
        assertThat(DIR.resolve("node-a").resolve("media")).doesNotExist();
        assertThat(DIR.resolve("node-b").resolve("media")).doesNotExist();
    }

    @Test
    @Order(2)
    void aLargeVideoGoesUpInPartsAndSeeksWithRangedReads() throws Exception {
        Api ann = onA("s3vid");
        byte[] video = webm(9 * 1024 * 1024 + 12_345);
        var uploaded = ann.upload("/api/v1/media", "long.webm", "video/webm", video);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        String id = uploaded.text("id");
        String sha = sha256(video);
        // A multipart upload's ETag ends in the number of its parts: two of at most 8 MB.
        assertThat(bucketReader.headObject(h -> h.bucket("media").key(sha.substring(0, 2) + "/" + sha)).eTag())
                .endsWith("-2\"");

        Api onB = new Api(url(nodeB)).token(ann.token());
        var whole = onB.getBytes("/api/v1/media/" + id);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Length")).contains(String.valueOf(video.length));
        assertThat(whole.body()).isEqualTo(video);
        var head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url(nodeB) + "/api/v1/media/" + id))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + ann.token()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(video.length));
        assertThat(head.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(head.body()).isEmpty();

        var part = onB.getBytes("/api/v1/media/" + id, "Range", "bytes=9000000-9000999");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 9000000-9000999/" + video.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(video, 9_000_000, 9_001_000));
        var tail = ann.getBytes("/api/v1/media/" + id, "Range", "bytes=-100");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(video, video.length - 100, video.length));
        var two = ann.getBytes("/api/v1/media/" + id, "Range", "bytes=0-9,20-29");
        assertThat(two.statusCode()).isEqualTo(206);
        assertThat(two.headers().firstValue("Content-Range")).contains("bytes 0-29/" + video.length);
        assertThat(two.body()).isEqualTo(Arrays.copyOfRange(video, 0, 30));
        var beyond = ann.getBytes("/api/v1/media/" + id, "Range", "bytes=20000000-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */" + video.length);
    }

    @Test
    @Order(3)
    void privateMediaIsRefusedToNonMembers() throws Exception {
        Api owner = onA("s3own");
        Api member = onA("s3mem");
        Api strangerOnB = new Api(url(nodeB)).token(onA("s3str").token());
        String community = owner.post("/api/v1/communities", Map.of("name", PlatformTest.unique("Private S3 "),
                "visibility", "private")).text("id");
        String invite = owner.post("/api/v1/communities/" + community + "/invites", Map.of("userId", member.id()))
                .text("id");
        member.post("/api/v1/invites/" + invite + "/accept", null);
        String mediaId = owner.upload("/api/v1/media", "p.png", "image/png", image("png", 40, 40, Color.BLACK)).text("id");
        var post = owner.post("/api/v1/communities/" + community + "/posts", Map.of("body", "look",
                "mediaIds", List.of(mediaId)));
        assertThat(post.status()).isEqualTo(201);
        String signedUrl = post.body().path("media").get(0).path("url").asString();

        assertThat(new Api(url(nodeB)).token(member.token()).getBytes("/api/v1/media/" + mediaId).statusCode())
                .isEqualTo(200);
        assertThat(strangerOnB.getBytes("/api/v1/media/" + mediaId).statusCode()).isEqualTo(404);
        assertThat(strangerOnB.getBytes("/api/v1/media/" + mediaId + "/thumbnail").statusCode()).isEqualTo(404);
        assertThat(strangerOnB.getBytes("/api/v1/media/" + mediaId, "Range", "bytes=0-9").statusCode()).isEqualTo(404);
        assertThat(new Api(url(nodeB)).getBytes(signedUrl).statusCode()).isEqualTo(200);
        assertThat(new Api(url(nodeB)).getBytes(MediaTest.forged(signedUrl)).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void erasingAnAccountDeletesItsFilesFromTheBucket() throws Exception {
        String name = PlatformTest.unique("s3gone");
        Api gone = Accounts.signedUp(url(nodeA), name);
        byte[] png = image("png", 90, 70, Color.MAGENTA);
        String id = gone.upload("/api/v1/media", "me.png", "image/png", png).text("id");
        assertThat(gone.put("/api/v1/users/me/avatar", Map.of("mediaId", id)).status()).isEqualTo(200);
        assertThat(gone.getBytes("/api/v1/users/" + gone.id() + "/avatar?size=256").statusCode()).isEqualTo(200);
        String sha = sha256(png);
        assertThat(keys("media", sha.substring(0, 2) + "/" + sha)).hasSize(3);

        assertThat(gone.send("DELETE", "/api/v1/users/me", Map.of("password", Accounts.password(name))).status())
                .isEqualTo(204);
        assertThat(keys("media", sha.substring(0, 2) + "/" + sha)).isEmpty();
    }

    @Test
    @Order(5)
    void migrateCopiesALocalStoreIntoTheBucketVerifiesItAndCopiesNothingTheSecondTime() throws Exception {
        Path dataDir = DIR.resolve("legacy");
        byte[] photo = image("png", 64, 64, Color.GREEN);
        byte[] video = webm(9 * 1024 * 1024);
        Map<String, byte[]> files = new HashMap<>();
        for (byte[] content : List.of(photo, video)) {
            String sha = sha256(content);
            files.put(sha.substring(0, 2) + "/" + sha, content);
        }
        String photoSha = sha256(photo);
        files.put(photoSha.substring(0, 2) + "/" + photoSha + ".thumb.png", image("png", 32, 32, Color.GREEN));
        for (var file : files.entrySet()) {
            Path path = dataDir.resolve("media").resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue());
        }
        Files.write(dataDir.resolve("media").resolve(photoSha.substring(0, 2)).resolve("upload123.part"), new byte[10]);

        var first = migrate(dataDir, "legacy");
        assertThat(first.exitCode).as(first.toString()).isZero();
        assertThat(first.out).contains("3/3 files verified").contains("3 files: 3 copied").contains("3 verified");
        for (var file : files.entrySet()) {
            assertThat(bucketReader.getObjectAsBytes(g -> g.bucket("legacy").key(file.getKey())).asByteArray())
                    .isEqualTo(file.getValue());
        }
        assertThat(keys("legacy", "")).hasSize(3);

        var second = migrate(dataDir, "legacy");
        assertThat(second.exitCode).as(second.toString()).isZero();
        assertThat(second.out).contains("3 files: 0 copied").contains("3 already in the bucket").contains("3 verified");

        // An object in the bucket that differs from the local file is reported, and the run fails.
        String thumbKey = photoSha.substring(0, 2) + "/" + photoSha + ".thumb.png";
        bucketReader.putObject(p -> p.bucket("legacy").key(thumbKey), RequestBody.fromString("not the thumbnail"));
        var mismatched = migrate(dataDir, "legacy");
        assertThat(mismatched.exitCode).as(mismatched.toString()).isEqualTo(3);
        assertThat(mismatched.err).contains(thumbKey);

        assertThat(migrate(DIR.resolve("nowhere"), "legacy").exitCode).isEqualTo(1);
    }

    record Run(int exitCode, String out, String err) {}

    static Run migrate(Path dataDir, String bucket) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(s3.environment(bucket));
        env.put("C18N_DATA_DIR", dataDir.toString());
        int code = MediaCommand.run(new String[] {"migrate"}, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Last: it stops the S3 server. */
    @Test
    @Order(6)
    void aStoreThatCannotBeReachedAnswers503AndTheRestGoesOn() throws Exception {
        String name = PlatformTest.unique("s3down");
        Api ann = Accounts.signedUp(url(nodeA), name);
        String id = ann.upload("/api/v1/media", "a.png", "image/png", image("png", 50, 50, Color.RED)).text("id");
        assertThat(ann.put("/api/v1/users/me/avatar", Map.of("mediaId", id)).status()).isEqualTo(200);
        s3.close();

        assertProblem(ann.upload("/api/v1/media", "b.png", "image/png", image("png", 60, 60, Color.RED)), 503,
                "media-store-unavailable", "media store");
        var get = ann.getBytes("/api/v1/media/" + id);
        assertThat(get.statusCode()).isEqualTo(503);
        assertThat(get.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).contains("media-store-unavailable");
        // Erasing the account is refused before anything is recorded: the files must not be left behind unnamed.
        assertProblem(ann.send("DELETE", "/api/v1/users/me", Map.of("password", Accounts.password(name))), 503,
                "media-store-unavailable", "media store");
        assertThat(ann.get("/api/v1/users/me").status()).isEqualTo(200);
        // The avatar falls back to the generated one; posts, which need no file, go on.
        var avatar = new Api(url(nodeB)).getBytes("/api/v1/users/" + ann.id() + "/avatar?size=256");
        assertThat(avatar.statusCode()).isEqualTo(200);
        assertThat(avatar.headers().firstValue("Content-Type")).contains("image/svg+xml");
        String community = ann.post("/api/v1/communities", Map.of("name", PlatformTest.unique("Still on "))).text("id");
        assertThat(ann.post("/api/v1/communities/" + community + "/posts", Map.of("body", "no pictures today")).status())
                .isEqualTo(201);
    }

    /** The objects under {@code prefix} (S3Proxy's directory store also lists its directories, as "ab/": not objects). */
    static List<String> keys(String bucket, String prefix) {
        return bucketReader.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents().stream()
                .map(o -> o.key()).filter(key -> !key.endsWith("/")).toList();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
