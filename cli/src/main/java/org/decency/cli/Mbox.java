package org.decency.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mail files in mbox format (one or more mails, each after a {@code From } line), as
 * {@code decency train} reads them: each mail is written to a file of its own (the engines
 * take files), without its {@code From } line and with mboxrd's {@code >From } quoting
 * undone. A file that does not start with {@code From } is a single mail, and so is an mbox
 * with one mail: the engines get such a file as it is (they skip a leading {@code From } line).
 */
final class Mbox {
    private static final byte[] FROM = "From ".getBytes(StandardCharsets.US_ASCII);

    private Mbox() {}

    static boolean isMbox(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(FROM.length);
            return java.util.Arrays.equals(head, FROM);
        }
    }

    /** Splits {@code mbox} into files in {@code dir}, in order. */
    static List<Path> split(Path mbox, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(mbox), 65536)) {
            ByteArrayOutputStream mail = null;
            boolean previousBlank = true;
            for (byte[] line; (line = readLine(in)) != null; ) {
                if (previousBlank && startsWith(line, FROM, 0)) {
                    if (mail != null) out.add(write(mail, dir, out.size()));
                    mail = new ByteArrayOutputStream();
                    previousBlank = false;
                    continue;
                }
                if (mail == null) continue; // text before the first From line
                int quotes = 0;
                while (quotes < line.length && line[quotes] == '>') quotes++;
                int from = quotes > 0 && startsWith(line, FROM, quotes) ? 1 : 0; // mboxrd: >From, >>From: one '>' less
                mail.write(line, from, line.length - from);
                previousBlank = line.length == 1 || (line.length == 2 && line[0] == '\r');
            }
            if (mail != null) out.add(write(mail, dir, out.size()));
        }
        return out;
    }

    private static Path write(ByteArrayOutputStream mail, Path dir, int index) throws IOException {
        byte[] bytes = mail.toByteArray();
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') end--; // the blank line before the next From line belongs to the mbox
        if (end > 0 && bytes[end - 1] == '\r') end--;
        Path f = dir.resolve(String.format("%06d.eml", index));
        Files.write(f, java.util.Arrays.copyOf(bytes, Math.max(0, end)));
        return f;
    }

    private static boolean startsWith(byte[] line, byte[] prefix, int at) {
        if (line.length - at < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (line[at + i] != prefix[i]) return false;
        return true;
    }

    /** A line with its end ({@code \n}), or null at the end of the input. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') break;
        }
        return b.size() == 0 && c < 0 ? null : b.toByteArray();
    }
}
