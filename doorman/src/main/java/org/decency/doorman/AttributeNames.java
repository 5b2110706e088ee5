package org.decency.doorman;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attribute names Postfix sends, as shared strings: decoding a request then
 * allocates only the values. Unknown names are decoded normally.
 */
final class AttributeNames {
    private static final List<String> KNOWN = List.of(
            "request", "protocol_state", "protocol_name", "helo_name", "queue_id", "sender", "recipient",
            "recipient_count", "client_address", "client_name", "reverse_client_name", "instance",
            "sasl_method", "sasl_username", "sasl_sender", "size", "ccert_subject", "ccert_issuer",
            "ccert_fingerprint", "ccert_pubkey_fingerprint", "encryption_protocol", "encryption_cipher",
            "encryption_keysize", "etrn_domain", "stress", "client_port", "policy_context", "server_address",
            "server_port", "compatibility_level", "mail_version");
    /** Per name length, the known names and their bytes (Postfix's names are ASCII). */
    private static final String[][] NAMES = new String[64][];
    private static final byte[][][] BYTES = new byte[64][][];

    static {
        Map<Integer, List<String>> byLength = new HashMap<>();
        for (String k : KNOWN) byLength.computeIfAbsent(k.length(), n -> new java.util.ArrayList<>()).add(k);
        byLength.forEach((len, names) -> {
            NAMES[len] = names.toArray(String[]::new);
            BYTES[len] = names.stream().map(n -> n.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        });
    }

    private AttributeNames() {}

    /** The name in {@code line[from, from+len)}: a shared string when known, else a new one. */
    static String name(byte[] line, int from, int len) {
        if (len < NAMES.length && NAMES[len] != null) {
            byte[][] candidates = BYTES[len];
            for (int i = 0; i < candidates.length; i++) {
                if (Arrays.equals(line, from, from + len, candidates[i], 0, len)) return NAMES[len][i];
            }
        }
        return new String(line, from, len, StandardCharsets.UTF_8);
    }
}
