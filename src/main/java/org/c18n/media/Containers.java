package org.c18n.media;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A structural walk of the video containers we accept, without decoding a frame: every MP4 box
 * and every WebM (EBML) element must lie inside its parent and the file, and the parts a player
 * needs must be there. Bytes that merely start like a video ({@code ftyp} at offset 4, an EBML
 * magic number) and then hold anything else are refused. No library on Maven Central parses
 * both containers without reading whole boxes into memory, so this walks them itself, seeking
 * over the media data and reading only headers.
 */
final class Containers {
    /** More elements than any real upload within the size limit has: a file of tiny ones is refused, not walked. */
    private static final int MAX_ELEMENTS = 2_000_000;

    private Containers() {}

    // ---- MP4 (ISO base media file format) ----

    /** Top-level boxes cover the file exactly; {@code ftyp} first, a {@code moov} with {@code mvhd} and a {@code trak}, and media data. */
    static boolean mp4(RandomAccessFile f) throws IOException {
        long length = f.length();
        Set<String> top = new HashSet<>();
        long pos = 0;
        int count = 0;
        while (pos < length) {
            Box box = box(f, pos, length);
            if (box == null || ++count > MAX_ELEMENTS) {
                return false;
            }
            if (count == 1 && (!box.type.equals("ftyp") || box.end - box.dataStart < 8)) {
                return false;
            }
            if (box.type.equals("moov")) {
                Set<String> children = children(f, box.dataStart, box.end);
                if (children == null || !children.contains("mvhd") || !children.contains("trak")) {
                    return false;
                }
            }
            top.add(box.type);
            pos = box.end;
        }
        return top.contains("moov") && (top.contains("mdat") || top.contains("moof"));
    }

    private record Box(String type, long dataStart, long end) {}

    private static Set<String> children(RandomAccessFile f, long start, long end) throws IOException {
        Set<String> types = new HashSet<>();
        long pos = start;
        int count = 0;
        while (pos < end) {
            Box box = box(f, pos, end);
            if (box == null || ++count > MAX_ELEMENTS) {
                return null;
            }
            types.add(box.type);
            pos = box.end;
        }
        return types;
    }

    /** The box at {@code pos}, or null when its header is malformed or it does not fit before {@code limit}. */
    private static Box box(RandomAccessFile f, long pos, long limit) throws IOException {
        if (limit - pos < 8) {
            return null;
        }
        f.seek(pos);
        long size = f.readInt() & 0xFFFFFFFFL;
        byte[] type = new byte[4];
        f.readFully(type);
        for (byte b : type) {
            if (b < 0x20 || b > 0x7E) {
                return null;
            }
        }
        long header = 8;
        if (size == 1) {
            if (limit - pos < 16) {
                return null;
            }
            size = f.readLong();
            header = 16;
        } else if (size == 0) {
            size = limit - pos;
        }
        if (size < header || size > limit - pos) {
            return null;
        }
        return new Box(new String(type, StandardCharsets.ISO_8859_1), pos + header, pos + size);
    }

    // ---- WebM (Matroska's EBML) ----

    private static final long EBML = 0x1A45DFA3L;
    private static final long DOC_TYPE = 0x4282L;
    private static final long SEGMENT = 0x18538067L;
    private static final long INFO = 0x1549A966L;
    private static final long TRACKS = 0x1654AE6BL;
    private static final long CLUSTER = 0x1F43B675L;
    /** The elements that may follow a cluster inside a segment: where a cluster of unknown size ends. */
    private static final Set<Long> SEGMENT_CHILDREN = Set.of(0x114D9B74L /* SeekHead */, INFO, TRACKS, CLUSTER,
            0x1C53BB6BL /* Cues */, 0x1043A770L /* Chapters */, 0x1254C367L /* Tags */, 0x1941A469L /* Attachments */);

    /**
     * An EBML header of DocType {@code webm}, then a segment (its size may be unknown, as browsers
     * record it) holding Info, Tracks and at least one Cluster; every element of a known size fits
     * in its parent, and only clusters may have an unknown size.
     */
    static boolean webm(RandomAccessFile f) throws IOException {
        long length = f.length();
        Element header = element(f, 0, length);
        if (header == null || header.id != EBML || header.unknown()) {
            return false;
        }
        String docType = null;
        long pos = header.dataStart;
        while (pos < header.end) {
            Element e = element(f, pos, header.end);
            if (e == null || e.unknown()) {
                return false;
            }
            if (e.id == DOC_TYPE && e.end - e.dataStart <= 64) {
                byte[] value = new byte[(int) (e.end - e.dataStart)];
                f.seek(e.dataStart);
                f.readFully(value);
                docType = new String(value, StandardCharsets.US_ASCII).replace("\0", "");
            }
            pos = e.end;
        }
        if (!"webm".equals(docType)) {
            return false;
        }
        Element segment = element(f, header.end, length);
        if (segment == null || segment.id != SEGMENT) {
            return false;
        }
        long segmentEnd = segment.unknown() ? length : segment.end;
        Set<Long> seen = new HashSet<>();
        pos = segment.dataStart;
        int[] count = {0};
        while (pos < segmentEnd) {
            Element e = element(f, pos, segmentEnd);
            if (e == null || ++count[0] > MAX_ELEMENTS) {
                return false;
            }
            if (e.unknown()) {
                if (e.id != CLUSTER) {
                    return false;
                }
                pos = clusterEnd(f, e.dataStart, segmentEnd, count);
                if (pos < 0) {
                    return false;
                }
            } else {
                pos = e.end;
            }
            seen.add(e.id);
        }
        // Anything after a segment of known size is more top-level elements, each of which must fit.
        while (pos < length) {
            Element e = element(f, pos, length);
            if (e == null || e.unknown() || ++count[0] > MAX_ELEMENTS) {
                return false;
            }
            pos = e.end;
        }
        return seen.contains(INFO) && seen.contains(TRACKS) && seen.contains(CLUSTER);
    }

    /** Where a cluster of unknown size ends: at the next segment-level element, or the segment's end; -1 if malformed. */
    private static long clusterEnd(RandomAccessFile f, long start, long segmentEnd, int[] count) throws IOException {
        long pos = start;
        while (pos < segmentEnd) {
            Long id = id(f, pos, segmentEnd);
            if (id == null) {
                return -1;
            }
            if (SEGMENT_CHILDREN.contains(id)) {
                return pos;
            }
            Element e = element(f, pos, segmentEnd);
            if (e == null || e.unknown() || ++count[0] > MAX_ELEMENTS) {
                return -1;
            }
            pos = e.end;
        }
        return pos;
    }

    private record Element(long id, long dataStart, long end) {
        boolean unknown() {
            return end < 0;
        }
    }

    /** The element at {@code pos} ({@code end} -1 when its size is unknown), or null when malformed or too long. */
    private static Element element(RandomAccessFile f, long pos, long limit) throws IOException {
        byte[] head = new byte[12];
        f.seek(pos);
        int available = (int) Math.min(head.length, limit - pos);
        f.readFully(head, 0, available);
        int idLength = vintLength(head[0]);
        if (idLength == 0 || idLength > 4 || idLength >= available) {
            return null;
        }
        long id = 0;
        for (int i = 0; i < idLength; i++) {
            id = id << 8 | (head[i] & 0xFF);
        }
        int sizeLength = vintLength(head[idLength]);
        if (sizeLength == 0 || idLength + sizeLength > available) {
            return null;
        }
        long size = head[idLength] & (0xFF >> sizeLength);
        boolean allOnes = size == (0xFF >> sizeLength);
        for (int i = 1; i < sizeLength; i++) {
            int b = head[idLength + i] & 0xFF;
            allOnes &= b == 0xFF;
            size = size << 8 | b;
        }
        long dataStart = pos + idLength + sizeLength;
        if (allOnes) {
            return new Element(id, dataStart, -1);
        }
        if (size < 0 || size > limit - dataStart) {
            return null;
        }
        return new Element(id, dataStart, dataStart + size);
    }

    private static Long id(RandomAccessFile f, long pos, long limit) throws IOException {
        f.seek(pos);
        int first = f.read();
        int length = first < 0 ? 0 : vintLength((byte) first);
        if (length == 0 || length > 4 || length > limit - pos) {
            return null;
        }
        long id = first;
        for (int i = 1; i < length; i++) {
            id = id << 8 | f.read();
        }
        return id;
    }

    /** The length of a variable-size integer from its first byte (the position of its first set bit); 0 if none. */
    private static int vintLength(byte first) {
        int b = first & 0xFF;
        return b == 0 ? 0 : Integer.numberOfLeadingZeros(b) - 23;
    }
}
