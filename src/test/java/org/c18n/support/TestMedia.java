package org.c18n.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Real image and video files made in the test, and hostile ones. */
public final class TestMedia {
    private TestMedia() {}

    public static byte[] image(String format, int width, int height, Color color) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    /**
     * A structurally valid WebM file of exactly {@code size} bytes: an EBML header of DocType webm,
     * a segment with Info, Tracks (one VP8 track) and a cluster whose one block fills the rest.
     */
    public static byte[] webm(int size) {
        byte[] header = ebml(0x1A45DFA3, concat(ebml(0x4286, new byte[] {1}), ebml(0x4282, ascii("webm"))));
        byte[] info = ebml(0x1549A966, ebml(0x2AD7B1, new byte[] {0x0F, 0x42, 0x40}));
        byte[] tracks = ebml(0x1654AE6B, ebml(0xAE, concat(ebml(0xD7, new byte[] {1}), ebml(0x86, ascii("V_VP8")))));
        // Fixed-width sizes: the overhead does not depend on the payload's length.
        int overhead = concat(header, ebml(0x18538067, concat(info, tracks,
                ebml(0x1F43B675, concat(ebml(0xE7, new byte[] {0}), ebml(0xA3, new byte[0])))))).length;
        byte[] block = new byte[size - overhead];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31);
        }
        byte[] cluster = ebml(0x1F43B675, concat(ebml(0xE7, new byte[] {0}), ebml(0xA3, block)));
        byte[] bytes = concat(header, ebml(0x18538067, concat(info, tracks, cluster)));
        if (bytes.length != size) {
            throw new IllegalStateException("webm of " + bytes.length + " bytes, not " + size);
        }
        return bytes;
    }

    /** A structurally valid MP4 file: ftyp, a moov with mvhd and one trak, and {@code payload} bytes of media data. */
    public static byte[] mp4(int payload) {
        byte[] ftyp = box("ftyp", concat(ascii("isom"), new byte[] {0, 0, 2, 0}, ascii("isommp41")));
        byte[] moov = box("moov", concat(box("mvhd", new byte[100]), box("trak", box("tkhd", new byte[84]))));
        byte[] data = new byte[payload];
        for (int i = 0; i < payload; i++) {
            data[i] = (byte) (i * 7);
        }
        return concat(ftyp, moov, box("mdat", data));
    }

    /** An EBML element with a fixed-width id and an 8-byte size. */
    public static byte[] ebml(int id, byte[] data) {
        int idLength = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
        byte[] out = new byte[idLength + 8 + data.length];
        for (int i = 0; i < idLength; i++) {
            out[i] = (byte) (id >>> (8 * (idLength - 1 - i)));
        }
        out[idLength] = 0x01;
        long size = data.length;
        for (int i = 0; i < 7; i++) {
            out[idLength + 1 + i] = (byte) (size >>> (8 * (6 - i)));
        }
        System.arraycopy(data, 0, out, idLength + 8, data.length);
        return out;
    }

    public static byte[] box(String type, byte[] data) {
        byte[] out = new byte[8 + data.length];
        int size = out.length;
        out[0] = (byte) (size >>> 24);
        out[1] = (byte) (size >>> 16);
        out[2] = (byte) (size >>> 8);
        out[3] = (byte) size;
        System.arraycopy(ascii(type), 0, out, 4, 4);
        System.arraycopy(data, 0, out, 8, data.length);
        return out;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * A real PNG of {@code width} × {@code height} grey pixels, small on disk however large: the
     * rows are streamed through the compressor, never held whole.
     */
    public static byte[] greyPng(int width, int height) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (var z = new java.util.zip.DeflaterOutputStream(idat, new java.util.zip.Deflater(9))) {
            byte[] row = new byte[width + 1];
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        return concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, chunk("IHDR", ihdr.array()),
                chunk("IDAT", idat.toByteArray()), chunk("IEND", new byte[0]));
    }

    /**
     * A PNG that declares {@code width} × {@code height} in its header but holds the pixels of a
     * 1 × 1 image: what a decompression bomb looks like to a reader that trusts the header.
     */
    public static byte[] pngDeclaring(int width, int height) throws IOException {
        byte[] png = image("png", 1, 1, Color.RED);
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(width).putInt(height);
        var crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17);
        java.nio.ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        return png;
    }

    private static byte[] chunk(String type, byte[] data) {
        var crc = new java.util.zip.CRC32();
        crc.update(ascii(type));
        crc.update(data);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(12 + data.length);
        out.putInt(data.length).put(ascii(type)).put(data).putInt((int) crc.getValue());
        return out.array();
    }
}
