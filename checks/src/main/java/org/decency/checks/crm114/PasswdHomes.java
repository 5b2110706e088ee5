package org.decency.checks.crm114;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The seeds' CRM114 user fallback: a recipient whose local part is a system account
 * gets {@code <home>/.crm114/}. Looked up in {@code /etc/passwd} only (not LDAP or other
 * NSS sources).
 */
final class PasswdHomes {
    private final Path passwd;

    PasswdHomes(Path passwd) {
        this.passwd = passwd;
    }

    static PasswdHomes system() {
        return new PasswdHomes(Path.of("/etc/passwd"));
    }

    /** {@code <home>/.crm114/} of the account {@code localPart}; empty when there is none. */
    Optional<String> crm114Dir(String localPart) throws IOException {
        if (localPart == null || localPart.isEmpty() || !Files.isReadable(passwd)) return Optional.empty();
        for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
            String[] f = line.split(":", -1);
            if (f.length >= 7 && f[0].equals(localPart) && f[5].startsWith("/")) {
                String home = f[5].endsWith("/") ? f[5] : f[5] + "/";
                return Optional.of(home + ".crm114/");
            }
        }
        return Optional.empty();
    }
}
