package org.decency.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 2231 parameter values, with the RFC's own examples (section 3 and 4). */
class Rfc2231Test {

    @Test
    void anExtendedValueHasItsCharsetLanguageAndOctets() {
        assertThat(Rfc2231.value(Map.of("title*", "us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A"), "title"))
                .isEqualTo("This is ***fun***");
        assertThat(Rfc2231.value(Map.of("name*", "utf-8''R%C3%A9sum%C3%A9.exe"), "name")).isEqualTo("Résumé.exe");
        assertThat(Rfc2231.value(Map.of("name*", "iso-8859-1''caf%E9.zip"), "name")).isEqualTo("café.zip");
    }

    @Test
    void sectionsAreJoinedInTheirOrderEncodedOrPlain() {
        assertThat(Rfc2231.value(Map.of("url*0", "ftp://", "url*1", "cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar"), "url"))
                .isEqualTo("ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar");
        assertThat(Rfc2231.value(Map.of("title*0*", "us-ascii'en'This%20is%20even%20more%20", "title*1*", "%2A%2A%2Afun%2A%2A%2A%20",
                "title*2", "isn't it!"), "title")).isEqualTo("This is even more ***fun*** isn't it!");
        assertThat(Rfc2231.value(Map.of("name*1", "l.exe", "name*0*", "utf-8''ev%69"), "name")).isEqualTo("evil.exe");
    }

    @Test
    void otherParametersAndBrokenValuesAreNoAnswerOrKeptAsTheyAre() {
        assertThat(Rfc2231.value(Map.of("name", "plain.txt"), "name")).isNull();
        assertThat(Rfc2231.value(Map.of("name*1", "no-first-section"), "name")).isNull();
        assertThat(Rfc2231.value(Map.of("name*", "no-quotes%2Eexe"), "name")).isEqualTo("no-quotes.exe");
        assertThat(Rfc2231.value(Map.of("name*", "bogus-charset''a%zzb%4"), "name")).isEqualTo("a%zzb%4");
    }
}
