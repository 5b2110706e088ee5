package org.decency.checks.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.decency.checks.support.DnsTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Mail::DKIM verifier corpus against our verifier, its keys served by the loopback DNS
 * server. Most of the corpus is from 2006-2008: rsa-sha1 signatures and RSA keys of 512 and
 * 768 bits, which RFC 8301 forbids. So every mail is verified twice: with Mail::DKIM's
 * leniency (rsa-sha1 and 512-bit keys allowed), where the file name tells the result, and
 * with the default RFC 8301 rules, where no such signature may pass.
 */
class DkimCorpusTest {
    /** Mail::DKIM's own test skips these: draft-00 signatures (2005) had no bh= at all. */
    static final List<String> PRE_STANDARD = List.of("good_ietf00_1.txt", "good_ietf00_2.txt", "good_ietf00_3.txt",
            "good_ietf00_4.txt", "good_ietf00_5.txt");
    /** Signatures made with rsa-sha256 and a key of 1024 bits or more, or ed25519: RFC 8301 changes nothing for them. */
    static final List<String> MODERN = List.of("mine_ietf01_3.txt", "mine_ietf01_4.txt", "goodkey_ed25519.txt",
            "badkey1_ed25519.txt", "badkey2_ed25519.txt", "badkey3_ed25519.txt", "badkey4_ed25519.txt", "badkey5_ed25519.txt");

    @TempDir
    static Path dir;
    static DnsTestSupport dns;
    static final Map<String, Integer> counts = new TreeMap<>();

    @BeforeAll
    static void zone() {
        dns = new DnsTestSupport(dir);
        DkimTestZone.loadFakeDns(dns);
    }

    @AfterAll
    static void stop() {
        dns.close();
        System.out.println("DKIM corpus checked per category: " + counts);
    }

    @TestFactory
    Stream<DynamicTest> eachMailAsMailDkimExpects() throws IOException {
        DkimVerifier lenient = new DkimVerifier(dns.dns, DkimTestZone.verifier(dns).policy().withSha1(true, 512));
        return files().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            String name = f.getFileName().toString();
            List<SignatureResult> results = verify(lenient, f);
            DkimResult overall = DkimSummary.overall(results, true);
            String category = category(name);
            counts.merge(category, 1, Integer::sum);
            switch (category) {
                case "domainkeys" -> assertThat(results).as("DomainKeys is not DKIM: no DKIM-Signature").isEmpty();
                case "pre-standard" -> assertThat(results).singleElement().satisfies(r -> {
                    assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
                    assertThat(r.why()).isEqualTo("missing bh=");
                });
                case "ignore" -> assertThat(results).isNotEmpty().allSatisfy(r -> {
                    assertThat(r.result()).as(r.describe()).isEqualTo(DkimResult.NONE);
                    assertThat(r.why()).startsWith("ignored: ");
                });
                default -> assertThat(overall).as(results.toString()).isEqualTo(expected(name));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> eachMailUnderRfc8301() throws IOException {
        DkimVerifier strict = DkimTestZone.verifier(dns);
        return files().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            String name = f.getFileName().toString();
            List<SignatureResult> results = verify(strict, f);
            if (MODERN.contains(name)) {
                assertThat(DkimSummary.overall(results, true)).as(results.toString()).isEqualTo(expected(name));
            } else {
                assertThat(results).as("rsa-sha1 or a key under 1024 bits never passes")
                        .noneMatch(r -> r.result() == DkimResult.PASS);
            }
            for (SignatureResult r : results) {
                if (r.algorithm().equals("rsa-sha1") && r.result() != DkimResult.NONE && r.result() != DkimResult.PERMERROR) {
                    assertThat(r.result()).as(name + ": " + r.describe()).isEqualTo(DkimResult.POLICY);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> detailsSayWhy() {
        DkimVerifier lenient = new DkimVerifier(dns.dns, DkimTestZone.verifier(dns).policy().withSha1(true, 512));
        Map<String, String> why = Map.ofEntries(
                Map.entry("bad_ietf01_1.txt", "body hash mismatch"),
                Map.entry("bad_ietf01_2.txt", "signature mismatch"),
                Map.entry("badkey_1.txt", "no key at nonexistent._domainkey.messiah.edu"),
                Map.entry("badkey_2.txt", "key revoked (empty p=)"),
                Map.entry("badkey_3.txt", "key version v=DKIM3 is not DKIM1"),
                Map.entry("badkey_4.txt", "key syntax error: \"t\" has no \"=\""),
                Map.entry("badkey_5.txt", "unknown key type k=foobar"),
                Map.entry("badkey_6.txt", "key is not for email (s=chat)"),
                Map.entry("badkey_7.txt", "key does not allow sha1 (h=)"),
                Map.entry("badkey_8.txt", "key's g= does not match i="),
                Map.entry("badkey_10.txt", "key allows no subdomain in i= (t=s)"),
                Map.entry("badkey_14.txt", "key lookup of test3._domainkey.blackhole.messiah.edu timed out"),
                Map.entry("badkey_15.txt", "key lookup of test3._domainkey.blackhole2.messiah.edu failed (SERVFAIL)"),
                Map.entry("badkey1_ed25519.txt", "ed25519 key p= has 44 bytes, not 32 (RFC 8463)"),
                Map.entry("ignore_1.txt", "ignored: version v=5 is not supported"),
                Map.entry("ignore_2.txt", "ignored: unknown algorithm rsa-md5"),
                Map.entry("ignore_4.txt", "ignored: unknown canonicalization future"),
                Map.entry("ignore_5.txt", "ignored: unknown query method http"),
                Map.entry("ignore_7.txt", "ignored: expired at 2007-10-24T12:45:46Z"),
                Map.entry("ignore_8.txt", "ignored: i= jon@example.org is not within d=messiah.edu"));
        return why.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> DynamicTest.dynamicTest(e.getKey(), () ->
                assertThat(verify(lenient, DkimTestZone.corpusDir().resolve(e.getKey()))).singleElement()
                        .extracting(SignatureResult::why).isEqualTo(e.getValue())));
    }

    static String category(String name) {
        if (name.startsWith("dk_") || name.contains("_dk_")) return "domainkeys";
        if (PRE_STANDARD.contains(name)) return "pre-standard";
        if (name.startsWith("ignore_")) return "ignore";
        if (name.startsWith("badkey")) return "badkey";
        int cut = name.indexOf('_');
        return name.substring(0, cut);
    }

    /** The result of the whole mail, as Mail::DKIM's verifier.t expects it (DNS failures: temperror, RFC 6376 6.1.2). */
    static DkimResult expected(String name) {
        if (name.startsWith("good") || name.startsWith("mine_") || name.startsWith("no_body_") || name.startsWith("multiple_")) {
            return DkimResult.PASS;
        }
        if (name.startsWith("bad_") || name.equals("badkey2_ed25519.txt") || name.equals("badkey3_ed25519.txt")) return DkimResult.FAIL;
        if (name.equals("badkey_14.txt") || name.equals("badkey_15.txt")) return DkimResult.TEMPERROR;
        if (name.startsWith("badkey")) return DkimResult.PERMERROR;
        throw new IllegalArgumentException("no expectation for " + name);
    }

    static Stream<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(DkimTestZone.corpusDir())) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList().stream();
        }
    }

    static List<SignatureResult> verify(DkimVerifier v, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return v.verify(in);
        }
    }
}
