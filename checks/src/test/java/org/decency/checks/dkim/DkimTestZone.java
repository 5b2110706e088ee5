package org.decency.checks.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.decency.checks.support.DnsTestSupport;

/** Test helpers: the Mail::DKIM corpus's key records loaded into the loopback DNS server, test resources. */
final class DkimTestZone {
    private DkimTestZone() {}

    /** Serves FAKE_DNS.dat: records, NXDOMAIN (left out), timeouts and SERVFAIL. */
    static void loadFakeDns(DnsTestSupport dns) {
        for (String line : resource("dkim/FAKE_DNS.dat").split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) continue;
            String[] f = l.split("\\s+", 2);
            String value = f[1].strip();
            switch (value) {
                case "NXDOMAIN" -> { }
                case "~~Query timed out~~" -> dns.server.timeout(f[0]);
                case "~~SERVFAIL~~" -> dns.server.servfail(f[0]);
                case "\"\"" -> dns.server.add(f[0], "TXT", "");
                default -> dns.server.add(f[0], "TXT", value);
            }
        }
    }

    static String resource(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String name) {
        try (InputStream in = DkimTestZone.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("no test resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path corpusDir() {
        try {
            return Path.of(DkimTestZone.class.getClassLoader().getResource("dkim/corpus").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A verifier asking {@code dns}, with the test clock and RFC 8301's rules. */
    static DkimVerifier verifier(DnsTestSupport dns) {
        return new DkimVerifier(dns.dns, VerifierPolicy.rfc8301(Duration.ofSeconds(3), dns.clock));
    }
}
