package org.c18n.workload;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Real image files drawn in-process: a gradient sky with hills or circles (no text: a fresh
 * machine may have no fonts), in varied
 * sizes and colours, as PNG or JPEG. Each call draws a different picture.
 */
final class GeneratedImages {
    record Image(byte[] bytes, String filename, String contentType) {}

    private GeneratedImages() {}

    static Image draw(Random random) {
        int width = 480 + random.nextInt(5) * 80;
        int height = 320 + random.nextInt(4) * 80;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float hue = random.nextFloat();
        g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue, 0.6f, 0.95f), 0, height,
                Color.getHSBColor((hue + 0.15f) % 1, 0.7f, 0.55f)));
        g.fillRect(0, 0, width, height);
        if (random.nextBoolean()) {
            for (int layer = 0; layer < 3; layer++) {
                g.setColor(Color.getHSBColor((hue + 0.3f + layer * 0.05f) % 1, 0.5f, 0.3f + layer * 0.15f));
                int base = height - layer * height / 6;
                int[] xs = new int[12];
                int[] ys = new int[12];
                for (int i = 0; i < 10; i++) {
                    xs[i] = i * width / 9;
                    ys[i] = base - height / 4 - random.nextInt(height / 4);
                }
                xs[10] = width;
                ys[10] = height;
                xs[11] = 0;
                ys[11] = height;
                g.fillPolygon(xs, ys, 12);
            }
        } else {
            for (int i = 0; i < 6 + random.nextInt(10); i++) {
                g.setColor(Color.getHSBColor(random.nextFloat(), 0.7f, 0.9f));
                int r = 20 + random.nextInt(Math.min(width, height) / 4);
                g.setStroke(new BasicStroke(2 + random.nextInt(6)));
                if (random.nextBoolean()) {
                    g.fillOval(random.nextInt(width), random.nextInt(height), r, r);
                } else {
                    g.drawOval(random.nextInt(width), random.nextInt(height), r, r);
                }
            }
        }
        g.dispose();
        boolean png = random.nextInt(3) == 0;
        var out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, png ? "png" : "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Image(out.toByteArray(), png ? "picture.png" : "picture.jpg", png ? "image/png" : "image/jpeg");
    }
}
