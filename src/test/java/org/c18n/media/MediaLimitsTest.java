package org.c18n.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.c18n.support.Problems.assertProblem;
import static org.c18n.support.TestMedia.box;
import static org.c18n.support.TestMedia.concat;
import static org.c18n.support.TestMedia.greyPng;
import static org.c18n.support.TestMedia.image;
import static org.c18n.support.TestMedia.mp4;
import static org.c18n.support.TestMedia.pngDeclaring;
import static org.c18n.support.TestMedia.webm;

import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.c18n.client.Api;
import org.c18n.infra.C18nProperties;
import org.c18n.support.PlatformTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What one account may not do with uploads: a decompression bomb, bytes posing as a video, more
 * than its quota or its rate; and that nothing of a refused upload stays in the data dir.
 */
class MediaLimitsTest extends PlatformTest {

    @Autowired
    C18nProperties props;

    private Set<String> stored() throws IOException {
        Path root = props.dataDir().resolve("media");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(Path::toString).collect(Collectors.toSet());
        }
    }

    /** Uploads something that must be refused, and checks that the store holds exactly what it held before. */
    private Api.Response refused(Api api, String name, byte[] bytes) throws IOException {
        Set<String> before = stored();
        var response = api.upload("/api/v1/media", name, "application/octet-stream", bytes);
        assertThat(response.status()).as(response.toString()).isBetween(400, 499);
        assertThat(stored()).as("data/media after a refused " + name).isEqualTo(before);
        return response;
    }

    @Test
    void videosMustHoldARealContainerStructure() throws IOException {
        Api ann = signedUp("vann");
        var mp4 = ann.upload("/api/v1/media", "clip.mp4", "video/mp4", mp4(50_000));
        assertThat(mp4.status()).as(mp4.toString()).isEqualTo(201);
        assertThat(mp4.text("contentType")).isEqualTo("video/mp4");
        var webm = ann.upload("/api/v1/media", "clip.webm", "video/webm", webm(50_000));
        assertThat(webm.status()).as(webm.toString()).isEqualTo(201);
        byte[] recorded;
        try (InputStream in = getClass().getResourceAsStream("/media/recorded.webm")) {
            recorded = in.readAllBytes();
        }
        // As a browser records it: segment and clusters of unknown size (the bundled clip before it got a Duration).
        var browser = ann.upload("/api/v1/media", "recorded.webm", "video/webm", recorded);
        assertThat(browser.status()).as(browser.toString()).isEqualTo(201);

        byte[] posing = new byte[200_000];
        new java.util.Random(1).nextBytes(posing);
        System.arraycopy(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'}, 0, posing, 0, 8);
        assertProblem(refused(ann, "fake.mp4", posing), 400, "corrupt-media", "video");
        byte[] ftyp = Arrays.copyOf(mp4(0), 24);
        assertProblem(refused(ann, "nomoov.mp4", concat(ftyp, box("mdat", new byte[5000]))), 400, "corrupt-media",
                "video");
        byte[] good = mp4(50_000);
        assertProblem(refused(ann, "cut.mp4", Arrays.copyOf(good, good.length - 10)), 400, "corrupt-media", "video");
        byte[] goodWebm = webm(50_000);
        assertProblem(refused(ann, "cut.webm", Arrays.copyOf(goodWebm, goodWebm.length - 10)), 400, "corrupt-media",
                "video");
        byte[] magicOnly = new byte[100_000];
        new java.util.Random(2).nextBytes(magicOnly);
        System.arraycopy(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3}, 0, magicOnly, 0, 4);
        assertProblem(refused(ann, "fake.webm", magicOnly), 400, "corrupt-media", "video");
        byte[] matroska = webm(50_000);
        int docType = indexOf(matroska, "webm".getBytes());
        System.arraycopy("wxbm".getBytes(), 0, matroska, docType, 4);
        assertProblem(refused(ann, "other.webm", matroska), 400, "corrupt-media", "video");
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void imagesAreCheckedForTheirPixelsBeforeDecodingAndThumbnailedSubsampled() throws IOException {
        Api ann = signedUp("pann");
        // 291 KB in the report; here a few hundred bytes declaring 10,000 × 10,000 (400 MB decoded).
        byte[] bomb = pngDeclaring(10_000, 10_000);
        assertThat(bomb.length).isLessThan(1000);
        assertProblem(refused(ann, "bomb.png", bomb), 413, "too-many-pixels", "10000 × 10000");
        assertProblem(refused(ann, "wide.png", pngDeclaring(1_000_000, 41)), 413, "too-many-pixels", "40 megapixels");

        // Large but allowed (35 MP): stored, and its thumbnail made from a subsampled decode.
        byte[] large = greyPng(7000, 5000);
        var uploaded = ann.upload("/api/v1/media", "large.png", "image/png", large);
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        assertThat(uploaded.body().path("width").asInt()).isEqualTo(7000);
        assertThat(uploaded.body().path("height").asInt()).isEqualTo(5000);
        var thumbnail = ann.getBytes("/api/v1/media/" + uploaded.text("id") + "/thumbnail");
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        var thumb = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
        assertThat(thumb.getWidth()).isEqualTo(320);
        assertThat(thumb.getHeight()).isBetween(228, 229);
    }

    @Test
    void eachAccountHasAQuotaAndARate() throws IOException {
        Api quota = signedUp("qann");
        // The test platform's quota is 30 MB.
        for (int i = 0; i < 2; i++) {
            byte[] video = webm(12 * 1024 * 1024 + i);
            var uploaded = quota.upload("/api/v1/media", "big.webm", "video/webm", video);
            assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
        }
        var over = refused(quota, "third.webm", webm(12 * 1024 * 1024 + 2));
        assertProblem(over, 413, "quota-exceeded", "at most 30 MB");
        // Someone else still may.
        assertThat(signedUp("qbob").upload("/api/v1/media", "big.webm", "video/webm", webm(12 * 1024 * 1024 + 3))
                .status()).isEqualTo(201);

        Api fast = signedUp("rann");
        int perMinute = props.media().uploadsPerMinute();
        Api.Response limited = null;
        int accepted = 0;
        for (int i = 0; i < perMinute * 2 && limited == null; i++) {
            byte[] png = image("png", 8, 8, new Color(i, 0, 0));
            Set<String> before = stored();
            var response = fast.upload("/api/v1/media", "p" + i + ".png", "image/png", png);
            if (response.status() == 429) {
                limited = response;
                assertThat(stored()).isEqualTo(before);
            } else {
                assertThat(response.status()).as(response.toString()).isEqualTo(201);
                accepted++;
            }
        }
        assertThat(limited).as("no 429 after " + accepted + " uploads").isNotNull();
        assertThat(accepted).isGreaterThanOrEqualTo(perMinute);
        assertProblem(limited, 429, "rate-limited", "uploads");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
    }
}
