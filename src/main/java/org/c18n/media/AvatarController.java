package org.c18n.media;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.c18n.eventlog.Commands;
import org.c18n.eventlog.Topics;
import org.c18n.identity.UserEvents;
import org.c18n.identity.UserView;
import org.c18n.identity.Users;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.Writes;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Avatars: one of the user's uploaded images (uploaded through {@code POST /media}, so with every
 * check and limit of an image), served cropped to a centred square in a list size and a profile size.
 */
@RestController
public class AvatarController {
    static final int LIST_SIZE = 48;
    static final int PROFILE_SIZE = 256;

    private final Media media;
    private final MediaStore store;
    private final Users users;
    private final Commands commands;

    public AvatarController(Media media, MediaStore store, Users users, Commands commands) {
        this.media = media;
        this.store = store;
        this.users = users;
        this.commands = commands;
    }

    public record AvatarRequest(@NotNull UUID mediaId) {}

    @PutMapping("/api/v1/users/me/avatar")
    public ResponseEntity<Object> set(CurrentUser me, @Valid @RequestBody AvatarRequest request) {
        Media.Row image = media.byId(request.mediaId())
                .filter(m -> m.ownerId().equals(me.id()))
                .orElseThrow(() -> ApiException.badRequest("validation", "mediaId: no upload of yours with that id"));
        if (!image.kind().equals("image")) {
            throw ApiException.badRequest("validation", "mediaId: an avatar must be an image");
        }
        return avatar(me, image.id());
    }

    /** Back to the generated default. */
    @DeleteMapping("/api/v1/users/me/avatar")
    public ResponseEntity<Object> remove(CurrentUser me) {
        return avatar(me, null);
    }

    private ResponseEntity<Object> avatar(CurrentUser me, UUID mediaId) {
        var outcome = commands.submit(Topics.USERS, UserEvents.AVATAR_SET, me.id(), me.id().toString(),
                new UserEvents.AvatarSet(me.id(), mediaId));
        return Writes.changed(outcome, "/api/v1/users/me",
                () -> java.util.Map.of("avatar", Users.avatarUrl(me.id()), "custom", mediaId != null));
    }

    /**
     * Served to anyone who asks, as an image tag does (it sends no token): the user's image cropped
     * square, or else an identicon drawn from the id alone (no name in it). Browsers keep it a minute
     * and then ask again with the ETag, so a change shows soon everywhere.
     */
    @GetMapping("/api/v1/users/{userId}/avatar")
    public ResponseEntity<?> get(@PathVariable UUID userId, @RequestParam(defaultValue = "256") int size) {
        if (size != LIST_SIZE && size != PROFILE_SIZE) {
            throw ApiException.badRequest("validation", "size: must be " + LIST_SIZE + " or " + PROFILE_SIZE);
        }
        UserView user = users.byId(userId).orElseThrow(() -> ApiException.notFound("User"));
        CacheControl cache = CacheControl.maxAge(Duration.ofMinutes(1)).cachePublic();
        var image = user.avatarMediaId() == null ? java.util.Optional.<Media.Row>empty() : media.byId(user.avatarMediaId());
        if (image.isPresent()) {
            try {
                MediaStore.File square = store.avatar(image.get().sha256(), size);
                // At most 256 px square: small enough to hold, and a store failure still falls back below.
                byte[] png;
                try (var in = store.open(square, 0, square.size())) {
                    png = in.readAllBytes();
                }
                return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).cacheControl(cache)
                        .eTag("\"" + image.get().sha256() + "-" + size + "\"").body(png);
            } catch (IOException | RuntimeException e) {
                // The file is gone or unreadable, or the store cannot be reached: the default stands in.
            }
        }
        return ResponseEntity.ok().contentType(MediaType.valueOf("image/svg+xml")).cacheControl(cache)
                .eTag("\"identicon-" + userId + "\"").body(Identicon.svg(userId));
    }
}
