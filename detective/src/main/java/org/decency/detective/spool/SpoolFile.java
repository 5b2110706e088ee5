package org.decency.detective.spool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layout of a {@code <id>.spool} file: a first line {@code DECENCY-SPOOL 1 <n>}, then
 * {@code n} bytes of envelope text ({@link SpooledEnvelope#write}), then the mail as
 * received. The envelope is known before DATA, so it goes first and the mail streams
 * in behind it.
 */
final class SpoolFile {
    static final String SUFFIX = ".spool";
    private static final Pattern FIRST_LINE = Pattern.compile("DECENCY-SPOOL 1 (\\d{1,9})\n");
    private static final int MAX_FIRST_LINE = 32;

    private SpoolFile() {}

    /** The first line and the envelope: what comes before the mail. */
    static byte[] prefix(SpooledEnvelope envelope) {
        byte[] env = envelope.write().getBytes(StandardCharsets.UTF_8);
        byte[] first = ("DECENCY-SPOOL 1 " + env.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(first, first.length + env.length);
        System.arraycopy(env, 0, all, first.length, env.length);
        return all;
    }

    /** The entry for a file found in the spool; one that is not a spool file is taken whole, envelope unknown. */
    static SpoolEntry read(String id, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = new byte[MAX_FIRST_LINE];
            int n = in.readNBytes(head, 0, head.length);
            int eol = -1;
            for (int i = 0; i < n; i++) {
                if (head[i] == '\n') {
                    eol = i;
                    break;
                }
            }
            Matcher m = eol < 0 ? null : FIRST_LINE.matcher(new String(head, 0, eol + 1, StandardCharsets.US_ASCII));
            if (m != null && m.matches()) {
                int envLength = Integer.parseInt(m.group(1));
                long offset = eol + 1L + envLength;
                if (offset <= Files.size(file)) {
                    byte[] env = new byte[envLength];
                    int already = n - (eol + 1);
                    int fromHead = Math.min(already, envLength);
                    System.arraycopy(head, eol + 1, env, 0, fromHead);
                    in.readNBytes(env, fromHead, envLength - fromHead);
                    return new SpoolEntry(id, file, offset, SpooledEnvelope.read(new String(env, StandardCharsets.UTF_8)), null);
                }
            }
        }
        return new SpoolEntry(id, file, 0, new SpooledEnvelope("", "", List.of(), Map.of(), "", 0), null);
    }
}
