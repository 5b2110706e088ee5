package org.decency.checks.dspam;

import org.decency.config.ConfigNode;

/**
 * The seeds' {@code client_ident}, {@code secret@Relay1}: the password and the relay name
 * of a {@code ServerPass.Relay1 "secret"} line in dspam.conf. The client greets with
 * {@code LHLO Relay1} and authenticates with {@code MAIL FROM:<secret@Relay1>}, as
 * DSPAM's own client does. DSPAM splits the address at its {@code @}s, so neither part
 * may hold one; {@link #toString()} leaves the password out.
 */
record ClientIdent(String password, String relay) {
    static final String DEFAULT = "secret@Relay1";

    static ClientIdent read(ConfigNode n) {
        ConfigNode node = n.child("client_ident", "dspam_client_ident").orElse(null);
        String text = node == null ? DEFAULT : node.text().strip();
        int at = text.indexOf('@');
        boolean ok = at > 0 && at < text.length() - 1 && text.indexOf('@', at + 1) < 0;
        for (char c : text.toCharArray()) if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == 0x7f) ok = false;
        if (!ok) {
            throw node.error("expected password@relay as in dspam.conf's ServerPass.<relay> \"<password>\" (one @, no spaces, "
                    + "quotes or angle brackets), e.g. secret@Relay1");
        }
        return new ClientIdent(text.substring(0, at), text.substring(at + 1));
    }

    /** The address of the MAIL FROM command. */
    String address() {
        return password + "@" + relay;
    }

    @Override
    public String toString() {
        return "client_ident ...@" + relay;
    }
}
