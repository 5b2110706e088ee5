package org.decency.doorman;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
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
    private static final Map<Integer, List<String>> BY_LENGTH = new HashMap<>();

    static {
        for (String k : KNOWN) BY_LENGTH.computeIfAbsent(k.length(), n -> new java.util.ArrayList<>()).add(k);
    }

    private AttributeNames() {}

    static String name(ByteBuf in, int from, int len) {
        List<String> candidates = BY_LENGTH.get(len);
        if (candidates != null) {
            for (String k : candidates) {
                if (matches(in, from, k)) return k;
            }
        }
        return in.toString(from, len, StandardCharsets.UTF_8);
    }

    private static boolean matches(ByteBuf in, int from, String k) {
        for (int i = 0; i < k.length(); i++) {
            if (in.getByte(from + i) != k.charAt(i)) return false;
        }
        return true;
    }
}
