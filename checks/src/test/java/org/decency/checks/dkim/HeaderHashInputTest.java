package org.decency.checks.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which header fields a signature covers, and how its own field goes into the hash. */
class HeaderHashInputTest {

    @Test
    void fieldsAreTakenFromTheBottomUpAndOverSigningAddsNothing() throws IOException {
        RawHeader head = RawHeader.read(stream("Received: one\r\nReceived: two\r\nFrom: a@example.com\r\n\r\nbody"), 10_000);
        String sig = "DKIM-Signature: v=1; b=XYZ;";
        String data = hashed(head, List.of("received", "from", "Received", "received", "From"), sig, Canonicalization.SIMPLE);
        assertThat(data).isEqualTo("Received: two\r\nFrom: a@example.com\r\nReceived: one\r\nDKIM-Signature: v=1; b=;");
    }

    @Test
    void theSignatureValueAndItsFoldingAreRemovedButBhStays() {
        assertThat(HeaderHashInput.withoutSignatureValue("DKIM-Signature: a=x; bh=AAA;\r\n\tb=AB\r\n\t CD; d=e"))
                .isEqualTo("DKIM-Signature: a=x; bh=AAA;\r\n\tb=; d=e");
        assertThat(HeaderHashInput.withoutSignatureValue("DKIM-Signature: b = AB CD")).isEqualTo("DKIM-Signature: b =");
    }

    @Test
    void theHeaderReaderKeepsBytesAndFoldingAndStopsAtTheBody() throws IOException {
        ByteArrayInputStream in = stream("From x  Mon Jan 1\nSubject: caf\u00e9\n  folded\nX: 1\n\nBODY\n");
        RawHeader head = RawHeader.read(in, 10_000);
        assertThat(head.fields()).extracting(RawField::name).containsExactly("Subject", "X");
        assertThat(head.fields().getFirst().text()).isEqualTo("Subject: caf\u00e9\r\n  folded");
        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("BODY\n");
    }

    private static String hashed(RawHeader head, List<String> names, String sig, Canonicalization c) {
        return new String(HeaderHashInput.build(head.fields(), names, sig, null, c), StandardCharsets.ISO_8859_1);
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
