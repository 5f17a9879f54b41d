package org.c18n.media;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.c18n.infra.C18nProperties;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.Refused;
import org.c18n.eventlog.Topics;
import org.c18n.eventlog.Uuids;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.CurrentUserResolver;
import org.c18n.web.RateBudgets;
import org.c18n.web.Writes;
import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartFile;

/** Upload of images and videos, and serving them with caching and byte ranges (video seeking). */
@RestController
public class MediaController {
    private final MediaStore store;
    private final Media media;
    private final MediaUrls urls;
    private final Commands commands;
    private final C18nProperties props;
    private final RateBudgets<UUID> uploadBudgets = new RateBudgets<>(100_000);

    public MediaController(MediaStore store, Media media, MediaUrls urls, Commands commands, C18nProperties props) {
        this.store = store;
        this.media = media;
        this.urls = urls;
        this.commands = commands;
        this.props = props;
    }

    /**
     * Checks in order of cost: the user's upload rate (429), the declared type and size, the
     * user's quota (413), then the file itself: an image's declared pixels before it is decoded
     * (413), a video's container structure (400). Only an upload that passes all of them reaches
     * the store; a refused one leaves nothing there (its temporary copy is deleted either way).
     * With {@code poster}, the upload is the poster of that video: an image, and the video the user's own.
     */
    @PostMapping(path = "/api/v1/media", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<Object> upload(CurrentUser me, @RequestParam("file") MultipartFile file,
                                         @RequestParam(required = false) UUID poster) throws IOException {
        rateLimit(me);
        if (poster != null) {
            requireOwnVideo(me, poster);
        }
        if (file.isEmpty()) {
            throw ApiException.badRequest("validation", "file: is empty");
        }
        byte[] head;
        try (InputStream in = file.getInputStream()) {
            head = in.readNBytes(16);
        }
        MediaFormat format = MediaFormat.sniff(head).orElseThrow(() -> new ApiException(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "Only JPEG, PNG, GIF and WebP images and MP4 and WebM videos are accepted"));
        if (poster != null && !format.isImage()) {
            throw ApiException.badRequest("validation", "file: a poster must be an image");
        }
        long limit = (format.isImage() ? props.media().maxImageBytes() : props.media().maxVideoBytes()).toBytes();
        if (file.getSize() > limit) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "too-large",
                    "file: " + format.kind + "s may be at most " + limit / (1024 * 1024) + " MB");
        }
        long quota = props.media().quota().toBytes();
        long used = media.bytesOf(me.id());
        if (used + file.getSize() > quota) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "quota-exceeded",
                    "file: your uploads may take at most " + quota / (1024 * 1024) + " MB in all; " + used / (1024 * 1024)
                            + " MB are taken");
        }
        Path upload = Files.createTempFile("c18n-upload", ".bin");
        try {
            file.transferTo(upload);
            if (!format.complete(upload)) {
                throw ApiException.badRequest("corrupt-media", "file: the " + format.kind + " is truncated or damaged");
            }
            int[] dimensions = format.isImage() ? requirePixels(upload) : null;
            MediaStore.Stored stored;
            try {
                stored = store.store(upload, format, dimensions);
            } catch (Refused e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw ApiException.badRequest("corrupt-media", "file: the image cannot be read");
            }
            UUID id = Uuids.v7();
            var outcome = commands.submit(Topics.MEDIA, MediaEvents.UPLOADED, me.id(), id.toString(),
                    new MediaEvents.Uploaded(id, me.id(), stored.sha256(), format.contentType, format.kind, stored.size(),
                            stored.width(), stored.height(), stored.thumbnail(), poster));
            return Writes.created(outcome, "/api/v1/media/" + id, () -> media.json(media.byId(id).orElseThrow()));
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    private void requireOwnVideo(CurrentUser me, UUID videoId) {
        Media.Row video = media.byId(videoId).filter(v -> media.visibleTo(v, me.id()))
                .orElseThrow(() -> ApiException.notFound("Video"));
        if (!video.ownerId().equals(me.id())) {
            throw ApiException.forbidden("poster: only the video's owner may set its poster");
        }
        if (!video.isVideo()) {
            throw ApiException.badRequest("validation", "poster: " + videoId + " is an image, not a video");
        }
    }

    /** Uploads started per user and minute (on this node), refused or not: a refused upload costs work too. */
    private void rateLimit(CurrentUser me) {
        int perMinute = props.media().uploadsPerMinute();
        long seconds = uploadBudgets.secondsToWait(me.id(), () -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build());
        if (seconds > 0) {
            throw ApiException.tooManyRequests("rate-limited",
                    "Too many uploads: at most " + perMinute + " a minute; try again in " + seconds + " s", seconds);
        }
    }

    /**
     * The width and height the header declares, read without decoding and refused when too many
     * pixels: a small file may declare a huge image.
     */
    private int[] requirePixels(Path upload) {
        int[] size;
        try {
            size = MediaStore.dimensions(upload);
        } catch (IOException | RuntimeException e) {
            throw ApiException.badRequest("corrupt-media", "file: the image cannot be read");
        }
        long pixels = (long) size[0] * size[1];
        long max = props.media().maxImagePixels();
        if (size[0] <= 0 || size[1] <= 0 || pixels > max) {
            throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "too-many-pixels",
                    "file: images may have at most " + max / 1_000_000 + " megapixels; this one declares "
                            + size[0] + " × " + size[1]);
        }
        return size;
    }

    @GetMapping("/api/v1/media/{id}")
    public ResponseEntity<Resource> get(@PathVariable UUID id, @RequestParam(required = false) Long exp,
                                        @RequestParam(required = false) String sig,
                                        @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
                                        WebRequest request, HttpMethod method) throws IOException {
        Media.Row row = readable(id, exp, sig);
        if (request.checkNotModified(etag(row))) {
            return null;
        }
        MediaStore.File file = store.original(row.sha256()).orElseThrow(() -> ApiException.notFound("Media file"));
        return file(row, file, row.contentType(), range, method);
    }

    @GetMapping("/api/v1/media/{id}/thumbnail")
    public ResponseEntity<Resource> thumbnail(@PathVariable UUID id, @RequestParam(required = false) Long exp,
                                              @RequestParam(required = false) String sig,
                                              @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
                                              WebRequest request, HttpMethod method) throws IOException {
        Media.Row row = readable(id, exp, sig);
        if (!row.thumbnail()) {
            throw ApiException.notFound("Thumbnail");
        }
        if (request.checkNotModified(etag(row))) {
            return null;
        }
        MediaStore.File file = store.thumbnail(row.sha256()).orElseThrow(() -> ApiException.notFound("Thumbnail"));
        return file(row, file, MediaType.IMAGE_PNG_VALUE, range, method);
    }

    private Media.Row readable(UUID id, Long exp, String sig) {
        Media.Row row = media.byId(id).orElseThrow(() -> ApiException.notFound("Media"));
        boolean allowed = urls.valid(id, exp, sig)
                || CurrentUserResolver.current().map(me -> me.admin() || media.visibleTo(row, me.id())).orElse(false);
        if (!allowed) {
            throw ApiException.notFound("Media");
        }
        return row;
    }

    private static String etag(Media.Row row) {
        return "\"" + row.sha256() + "\"";
    }

    /**
     * The file streamed from the store: whole, or the byte range asked for (206; 416 beyond the
     * end), read from the store as that range only, so seeking in a long video costs what it shows.
     * Several ranges in one request are coalesced into the one range that covers them, as HTTP allows.
     * A HEAD request gets the same headers and never reads the store.
     */
    private ResponseEntity<Resource> file(Media.Row row, MediaStore.File file, String contentType, String range, HttpMethod method) {
        if (range == null) {
            var whole = headers(HttpStatus.OK, row, contentType).contentLength(file.size());
            return method == HttpMethod.HEAD ? whole.build() : whole.body(body(file, 0, file.size()));
        }
        long start = Long.MAX_VALUE;
        long end = -1;
        try {
            for (HttpRange asked : HttpRange.parseRanges(range)) {
                start = Math.min(start, asked.getRangeStart(file.size()));
                end = Math.max(end, asked.getRangeEnd(file.size()));
            }
        } catch (IllegalArgumentException e) {
            end = -1;
        }
        if (start >= file.size() || end < start) {
            return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .header(HttpHeaders.CONTENT_RANGE, "bytes */" + file.size()).build();
        }
        var part = headers(HttpStatus.PARTIAL_CONTENT, row, contentType)
                .header(HttpHeaders.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + file.size())
                .contentLength(end - start + 1);
        return method == HttpMethod.HEAD ? part.build() : part.body(body(file, start, end - start + 1));
    }

    private static ResponseEntity.BodyBuilder headers(HttpStatus status, Media.Row row, String contentType) {
        return ResponseEntity.status(status)
                .contentType(MediaType.parseMediaType(contentType))
                .eTag(etag(row))
                .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .cacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePrivate().immutable());
    }

    /** Opened only when the body is written: a 304 never reads the store. */
    private Resource body(MediaStore.File file, long offset, long length) {
        return new AbstractResource() {
            @Override
            public InputStream getInputStream() throws IOException {
                return store.open(file, offset, length);
            }

            @Override
            public long contentLength() {
                return length;
            }

            @Override
            public boolean exists() {
                return true;
            }

            @Override
            public String getDescription() {
                return "media " + file.key();
            }
        };
    }
}
