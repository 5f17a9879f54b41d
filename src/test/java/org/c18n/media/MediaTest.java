package org.c18n.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.c18n.client.Api;
import org.c18n.support.PlatformTest;
import static org.c18n.support.TestMedia.image;
import static org.c18n.support.TestMedia.webm;
import org.junit.jupiter.api.Test;

/** Uploads are recognised by content, stored once by hash, thumbnailed, and served with ranges to who may see them. */
class MediaTest extends PlatformTest {

    @Test
    void imagesAreRecognisedStoredOnceAndThumbnailed() throws IOException {
        Api ann = signedUp("mann");
        byte[] png = image("png", 800, 600, Color.BLUE);
        // The declared name and type do not matter: the content says PNG.
        var uploaded = ann.upload("/api/v1/media", "holiday.jpg", "application/octet-stream", png);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        assertThat(uploaded.text("contentType")).isEqualTo("image/png");
        assertThat(uploaded.body().path("width").asInt()).isEqualTo(800);
        assertThat(uploaded.body().path("height").asInt()).isEqualTo(600);
        assertThat(uploaded.body().path("size").asLong()).isEqualTo(png.length);

        var again = signedUp("mbob").upload("/api/v1/media", "copy.png", "image/png", png);
        assertThat(again.text("id")).isNotEqualTo(uploaded.text("id"));
        var first = ann.getBytes("/api/v1/media/" + uploaded.text("id"));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(first.body()).isEqualTo(png);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(first.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=31536000");
        // Two uploads, one stored file (and its thumbnail) under the content's hash.
        String sha = etag.replace("\"", "");
        try (var files = Files.list(dataDir().resolve("media").resolve(sha.substring(0, 2)))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith(sha)))
                    .containsExactlyInAnyOrder(sha, sha + ".thumb.png");
        }
        assertThat(ann.getBytes("/api/v1/media/" + uploaded.text("id"), "If-None-Match", etag).statusCode()).isEqualTo(304);

        var thumbnail = ann.getBytes("/api/v1/media/" + uploaded.text("id") + "/thumbnail");
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
        assertThat(thumb.getWidth()).isEqualTo(320);
        assertThat(thumb.getHeight()).isEqualTo(240);

        byte[] webp = java.util.Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");
        var webpUpload = ann.upload("/api/v1/media", "dot.webp", "image/webp", webp);
        assertThat(webpUpload.status()).as(webpUpload.toString()).isEqualTo(201);
        assertThat(webpUpload.text("contentType")).isEqualTo("image/webp");
        assertThat(webpUpload.body().path("width").asInt()).isEqualTo(1);
        assertThat(webpUpload.body().has("thumbnailUrl")).isTrue();

        for (String format : List.of("jpg", "gif")) {
            var other = ann.upload("/api/v1/media", "x." + format, "image/" + format, image(format, 64, 48, Color.RED));
            assertThat(other.status()).as(other.toString()).isEqualTo(201);
            assertThat(other.body().path("width").asInt()).isEqualTo(64);
        }
    }

    @Test
    void wrongContentTruncationAndSizeAreRefused() throws IOException {
        Api ann = signedUp("mbad");
        byte[] html = "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
        assertProblem(ann.upload("/api/v1/media", "cat.png", "image/png", html), 415, "unsupported-media-type", "JPEG");
        byte[] elf = new byte[64];
        elf[0] = 0x7F;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        assertProblem(ann.upload("/api/v1/media", "cat.png", "image/png", elf), 415, "unsupported-media-type", "JPEG");
        byte[] png = image("png", 200, 200, Color.GREEN);
        assertProblem(ann.upload("/api/v1/media", "cut.png", "image/png", Arrays.copyOf(png, png.length / 2)),
                400, "corrupt-media", "truncated");
        byte[] jpeg = image("jpg", 200, 200, Color.GREEN);
        assertProblem(ann.upload("/api/v1/media", "cut.jpg", "image/jpeg", Arrays.copyOf(jpeg, jpeg.length - 10)),
                400, "corrupt-media", "truncated");
        byte[] huge = Arrays.copyOf(png, 11 * 1024 * 1024);
        assertProblem(ann.upload("/api/v1/media", "huge.png", "image/png", huge), 413, "too-large", "10 MB");
        assertProblem(ann.upload("/api/v1/media", "empty.png", "image/png", new byte[0]), 400, "validation", "file");
        assertThat(new Api(base()).upload("/api/v1/media", "x.png", "image/png", png).status()).isEqualTo(401);
    }

    @Test
    void videosSeekWithByteRanges() {
        Api ann = signedUp("mvid");
        byte[] video = webm(100_000);
        var uploaded = ann.upload("/api/v1/media", "clip.webm", "video/webm", video);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        assertThat(uploaded.text("kind")).isEqualTo("video");
        assertThat(uploaded.body().has("thumbnailUrl")).isFalse();
        String id = uploaded.text("id");
        var part = ann.getBytes("/api/v1/media/" + id, "Range", "bytes=1000-1999");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 1000-1999/100000");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(video, 1000, 2000));
        assertThat(ann.getBytes("/api/v1/media/" + id, "Range", "bytes=200000-").statusCode()).isEqualTo(416);
        assertThat(ann.getBytes("/api/v1/media/" + id).headers().firstValue("Accept-Ranges")).contains("bytes");
    }

    @Test
    void aVideosPosterIsAnImageItsOwnerUploadsAndIsShownWhereverTheVideoIs() throws IOException {
        Api ann = signedUp("mpan");
        Api bob = signedUp("mpbo");
        String video = ann.upload("/api/v1/media", "clip.webm", "video/webm", webm(20_000)).text("id");
        byte[] frame = image("jpg", 320, 180, Color.GREEN);

        assertProblem(ann.upload("/api/v1/media?poster=" + video, "p.webm", "video/webm", webm(5_000)), 400,
                "validation", "image");
        String picture = ann.upload("/api/v1/media", "a.png", "image/png", image("png", 20, 20, Color.RED)).text("id");
        assertProblem(ann.upload("/api/v1/media?poster=" + picture, "p.jpg", "image/jpeg", frame), 400, "validation",
                "not a video");
        assertProblem(ann.upload("/api/v1/media?poster=" + java.util.UUID.randomUUID(), "p.jpg", "image/jpeg", frame),
                404, "not-found", "Video");
        assertProblem(ann.upload("/api/v1/media?poster=nope", "p.jpg", "image/jpeg", frame), 400, "validation", "poster");
        // Someone else's video: unseen, as if it did not exist.
        assertProblem(bob.upload("/api/v1/media?poster=" + video, "p.jpg", "image/jpeg", frame), 404, "not-found",
                "Video");

        var poster = ann.upload("/api/v1/media?poster=" + video, "p.jpg", "image/jpeg", frame);
        assertThat(poster.status()).as(poster.toString()).isEqualTo(201);
        assertThat(poster.text("kind")).isEqualTo("image");
        // The poster is seen where its video is: nowhere yet, then by the readers of the post it is attached to.
        assertThat(bob.getBytes("/api/v1/media/" + poster.text("id")).statusCode()).isEqualTo(404);
        String community = ann.post("/api/v1/communities", Map.of("name", unique("Posters "))).text("id");
        String post = ann.post("/api/v1/communities/" + community + "/posts", Map.of("body", "watch",
                "mediaIds", List.of(video))).text("id");
        var shown = bob.get("/api/v1/posts/" + post).body().path("media").get(0);
        assertThat(shown.path("posterId").asString()).isEqualTo(poster.text("id"));
        var bytes = new Api(base()).getBytes(shown.path("posterUrl").asString());
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.body()).isEqualTo(frame);
        assertThat(bob.getBytes("/api/v1/media/" + poster.text("id")).statusCode()).isEqualTo(200);
        // Seen in a post, the video is still not bob's to change.
        assertProblem(bob.upload("/api/v1/media?poster=" + video, "p.jpg", "image/jpeg", frame), 403, "forbidden",
                "owner");
    }

    @Test
    void mediaOfPrivatePostsIsServedOnlyToTheirReaders() throws IOException {
        Api owner = signedUp("mown");
        Api member = signedUp("mmem");
        Api stranger = signedUp("mstr");
        String community = owner.post("/api/v1/communities", Map.of("name", unique("Private media "),
                "visibility", "private")).text("id");
        String invite = owner.post("/api/v1/communities/" + community + "/invites", Map.of("userId", member.id()))
                .text("id");
        member.post("/api/v1/invites/" + invite + "/accept", null);
        var media = owner.upload("/api/v1/media", "p.png", "image/png", image("png", 40, 40, Color.BLACK));
        String mediaId = media.text("id");
        // Before it is attached, only its owner sees it.
        assertThat(member.getBytes("/api/v1/media/" + mediaId).statusCode()).isEqualTo(404);
        assertProblem(member.post("/api/v1/communities/" + community + "/posts", Map.of("body", "mine?",
                "mediaIds", List.of(mediaId))), 400, "validation", "mediaIds");

        var post = owner.post("/api/v1/communities/" + community + "/posts", Map.of("body", "look",
                "mediaIds", List.of(mediaId)));
        assertThat(post.status()).isEqualTo(201);
        String signedUrl = post.body().path("media").get(0).path("url").asString();
        assertThat(member.getBytes("/api/v1/media/" + mediaId).statusCode()).isEqualTo(200);
        assertThat(stranger.getBytes("/api/v1/media/" + mediaId).statusCode()).isEqualTo(404);
        assertThat(new Api(base()).getBytes("/api/v1/media/" + mediaId).statusCode()).isEqualTo(404);
        // The signed URL handed to readers works without a token (img and video tags), a forged one does not.
        assertThat(new Api(base()).getBytes(signedUrl).statusCode()).isEqualTo(200);
        assertThat(new Api(base()).getBytes(forged(signedUrl)).statusCode()).isEqualTo(404);
        assertThat(stranger.getBytes("/api/v1/media/" + java.util.UUID.randomUUID()).statusCode()).isEqualTo(404);
    }

    /** The signed address with the first character of its signature changed to another one. */
    static String forged(String signedUrl) {
        int sig = signedUrl.indexOf("sig=") + 4;
        return signedUrl.substring(0, sig) + (signedUrl.charAt(sig) == 'A' ? 'B' : 'A') + signedUrl.substring(sig + 1);
    }
}
