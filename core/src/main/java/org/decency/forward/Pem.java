package org.decency.forward;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM text (RFC 7468): {@code -----BEGIN <type>-----}, base64 lines, {@code -----END <type>-----}. */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** One block: its type ({@code PRIVATE KEY}, {@code PUBLIC KEY}, ...) and its DER bytes. */
    public record Block(String type, byte[] der) {}

    private Pem() {}

    /**
     * The blocks of {@code text}, in order.
     *
     * @throws IllegalArgumentException when a block is encrypted (RFC 1421 headers) or not base64
     */
    public static List<Block> decode(String text) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains(":")) {
                throw new IllegalArgumentException("the " + m.group(1) + " is encrypted (it has PEM headers such as Proc-Type); decrypt it first");
            }
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body.strip())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the " + m.group(1) + " is not valid base64: " + e.getMessage());
            }
        }
        return out;
    }

    public static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
