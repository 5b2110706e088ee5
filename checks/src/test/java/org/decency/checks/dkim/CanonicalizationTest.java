package org.decency.checks.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Header and body canonicalization: RFC 6376 3.4.5's example and the corner cases of the body. */
class CanonicalizationTest {

    @Test
    void relaxedHeadersAsInTheRfcExample() {
        assertThat(HeaderCanonicalizer.canonicalize("A: X", Canonicalization.RELAXED)).isEqualTo("a:X\r\n");
        assertThat(HeaderCanonicalizer.canonicalize("B : Y\t\r\n\tZ  ", Canonicalization.RELAXED)).isEqualTo("b:Y Z\r\n");
        assertThat(HeaderCanonicalizer.canonicalize("B : Y\t\r\n\tZ  ", Canonicalization.SIMPLE)).isEqualTo("B : Y\t\r\n\tZ  \r\n");
    }

    @Test
    void relaxedHeadersKeepBlanksAroundInnerColons() {
        assertThat(HeaderCanonicalizer.canonicalize("Subject:   a :  b", Canonicalization.RELAXED)).isEqualTo("subject:a : b\r\n");
        assertThat(HeaderCanonicalizer.canonicalize("X-Empty:  ", Canonicalization.RELAXED)).isEqualTo("x-empty:\r\n");
    }

    @Test
    void bodiesAsInTheRfcExample() throws IOException {
        String body = " C \r\nD \t E\r\n\r\n\r\n";
        assertThat(canon(body, Canonicalization.SIMPLE)).isEqualTo(" C \r\nD \t E\r\n");
        assertThat(canon(body, Canonicalization.RELAXED)).isEqualTo(" C\r\nD E\r\n");
    }

    @Test
    void emptyBodiesAndTrailingEmptyLines() throws IOException {
        assertThat(canon("", Canonicalization.SIMPLE)).isEqualTo("\r\n");
        assertThat(canon("", Canonicalization.RELAXED)).isEmpty();
        assertThat(canon("\r\n\r\n", Canonicalization.SIMPLE)).isEqualTo("\r\n");
        assertThat(canon(" \t\r\n\r\n", Canonicalization.RELAXED)).isEmpty();
        assertThat(canon(" \t\r\n\r\n", Canonicalization.SIMPLE)).isEqualTo(" \t\r\n");
        assertThat(canon("a\r\n\r\nb\r\n\r\n", Canonicalization.RELAXED)).isEqualTo("a\r\n\r\nb\r\n");
    }

    @Test
    void aLastLineWithoutLineEndGetsOne() throws IOException {
        assertThat(canon("text", Canonicalization.SIMPLE)).isEqualTo("text\r\n");
        assertThat(canon("text  ", Canonicalization.RELAXED)).isEqualTo("text\r\n");
    }

    @Test
    void bareLineFeedsAreLineEnds() throws IOException {
        assertThat(canon("one\ntwo  \n\n", Canonicalization.SIMPLE)).isEqualTo("one\r\ntwo  \r\n");
        assertThat(canon("one\ntwo  \n\n", Canonicalization.RELAXED)).isEqualTo("one\r\ntwo\r\n");
        assertThat(canon("a\rb\r\n", Canonicalization.SIMPLE)).as("a bare CR is data").isEqualTo("a\rb\r\n");
    }

    @Test
    void chunksMakeNoDifference() throws IOException {
        String body = "Hello  \t world \r\n\r\n  indented\r\nlast line \r\n \r\n\r\n";
        for (Canonicalization c : Canonicalization.values()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (BodyCanonicalizer b = new BodyCanonicalizer(c, out)) {
                for (byte x : body.getBytes(StandardCharsets.US_ASCII)) b.write(x);
            }
            assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(canon(body, c));
        }
    }

    @Test
    void theEmptyBodyHashesAreTheKnownOnes() throws IOException {
        // RFC 6376 3.4.3/3.4.4: sha256 of CRLF (simple) and of nothing (relaxed)
        assertThat(bodyHash("", Canonicalization.SIMPLE, -1)).isEqualTo("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
        assertThat(bodyHash("", Canonicalization.RELAXED, -1)).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    @Test
    void aLengthLimitHashesOnlyThatManyBytesButCountsThemAll() throws IOException {
        DigestSink sink = new DigestSink("SHA-256", 5);
        try (BodyCanonicalizer b = new BodyCanonicalizer(Canonicalization.SIMPLE, sink)) {
            b.write("Hello world\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(sink.offered()).isEqualTo(13);
        assertThat(sink.hash()).isEqualTo(sha256("Hello"));
    }

    static String canon(String body, Canonicalization c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BodyCanonicalizer b = new BodyCanonicalizer(c, out)) {
            b.write(body.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static String bodyHash(String body, Canonicalization c, long limit) throws IOException {
        DigestSink sink = new DigestSink("SHA-256", limit);
        try (BodyCanonicalizer b = new BodyCanonicalizer(c, sink)) {
            b.write(body.getBytes(StandardCharsets.ISO_8859_1));
        }
        return Base64.getEncoder().encodeToString(sink.hash());
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
