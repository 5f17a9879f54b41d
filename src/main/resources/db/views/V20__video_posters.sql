-- A video's poster is an image upload that names the video (media.uploaded posterOf). Kept on the
-- image's own row, so a poster applied before its video (another partition, on replay) is not lost.
ALTER TABLE media ADD COLUMN poster_of uuid;
CREATE INDEX media_poster_of ON media (poster_of) WHERE poster_of IS NOT NULL;
