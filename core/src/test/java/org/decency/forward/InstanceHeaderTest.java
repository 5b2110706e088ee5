package org.decency.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstanceHeaderTest {

    @Test
    void writesTheSeedsLayoutWithSortedFlags() {
        InstanceHeader h = InstanceHeader.of("1234abcdefghijklm", -3.5, 1700000000, Set.of("whitelisted", "honey"),
                List.of("Module: A; Score: -4; x|y", "Module: B; Score: 0.5"));
        assertThat(h.value()).isEqualTo("1234abcdefghijklm|unsigned|-3.5|1700000000|honey,whitelisted|Module: A; Score: -4; x/y|Module: B; Score: 0.5");
        assertThat(h.withoutSignature()).isEqualTo("1234abcdefghijklm|-3.5|1700000000|honey,whitelisted|Module: A; Score: -4; x/y|Module: B; Score: 0.5");
        assertThat(h.signed()).isFalse();
    }

    @Test
    void parsesWhatItWrites() {
        InstanceHeader h = InstanceHeader.of("1234abcdefghijklm", -30, 1700000000, Set.of("spf_pass"), List.of("one", "two"))
                .withSignature("c2ln");
        InstanceHeader back = InstanceHeader.parse(" " + h.value() + " ");
        assertThat(back).isEqualTo(h);
        assertThat(back.scoreValue()).isEqualTo(-30);
        assertThat(back.signed()).isTrue();
        assertThat(InstanceHeader.parse("id1|unsigned|0|1|").flags()).isEmpty();
        assertThat(InstanceHeader.parse("id1|unsigned|0|1|").details()).isEmpty();
    }

    @Test
    void textsLoseControlBytesPipesAndNonAscii() {
        InstanceHeader h = InstanceHeader.of("id1", 0, 1, Set.of("a|b", "c,d"), List.of("Zürich\r\nBcc: x|y"));
        assertThat(h.value()).isEqualTo("id1|unsigned|0|1|a/b,c_d|Z?rich  Bcc: x/y");
    }

    @Test
    void malformedValuesSayWhy() {
        assertThatThrownBy(() -> InstanceHeader.parse("1234abcdefghijklm")).hasMessageContaining("got 1 fields");
        assertThatThrownBy(() -> InstanceHeader.parse("id1|sig|lots|1|")).hasMessageContaining("bad score \"lots\"");
        assertThatThrownBy(() -> InstanceHeader.parse("id1|sig|NaN|1|")).hasMessageContaining("bad score");
        assertThatThrownBy(() -> InstanceHeader.parse("id1|sig|1|-5|")).hasMessageContaining("bad epoch");
        assertThatThrownBy(() -> InstanceHeader.parse("id1|sig|1|soon|")).hasMessageContaining("bad epoch");
        assertThatThrownBy(() -> InstanceHeader.parse("a b|sig|1|1|")).hasMessageContaining("bad id");
        assertThatThrownBy(() -> InstanceHeader.parse("id1||1|1|")).hasMessageContaining("empty signature");
    }

    @Test
    void fittingKeepsWholeDetailsFromTheFirstOnWithinTheLine() {
        List<String> details = new ArrayList<>();
        for (int i = 0; i < 40; i++) details.add("Module: M" + i + "; Score: -1; " + "x".repeat(30));
        InstanceHeader h = InstanceHeader.of("1234abcdefghijklm", -40, 1700000000, Set.of(), details);
        InstanceHeader fitted = h.fitted(512).withSignature("s".repeat(512));
        assertThat(fitted.value().length()).isLessThanOrEqualTo(InstanceHeader.MAX_VALUE)
                .isGreaterThan(InstanceHeader.MAX_VALUE - 50);
        assertThat(fitted.details()).isNotEmpty().isEqualTo(details.subList(0, fitted.details().size()));
        InstanceHeader small = InstanceHeader.of("id1", 0, 1, Set.of(), List.of("a"));
        assertThat(small.fitted(86)).isSameAs(small);
    }

    @Test
    void theSignedTextPutsTheEnvelopeFirstOneFieldALine() {
        InstanceHeader h = InstanceHeader.of("1234abcdefghijklm", -30, 1700000000, Set.of("spf_pass"), List.of("Module: Basic; Score: -30"));
        EnvelopeBinding mail = EnvelopeBinding.of("192.0.2.1", "alice@example.net", "bob@example.org");
        assertThat(new String(h.signedBytes(mail), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("""
                decency-instance-v1
                192.0.2.1
                alice@example.net
                bob@example.org
                1234abcdefghijklm|-30|1700000000|spf_pass|Module: Basic; Score: -30""");
    }

    @Test
    void theBindingIsNormalizedAsBothServersSeeTheMail() {
        assertThat(EnvelopeBinding.of("IPv6:2001:DB8::0:1", "<Alice@Example.NET>", "Bob+ext@EXAMPLE.org"))
                .isEqualTo(new EnvelopeBinding("2001:db8:0:0:0:0:0:1", "alice@example.net", "bob+ext@example.org"));
        assertThat(EnvelopeBinding.of("[192.0.2.1]", "<>", "x@y")).isEqualTo(new EnvelopeBinding("192.0.2.1", "", "x@y"));
        assertThat(EnvelopeBinding.of(null, null, "a\n@b").recipient()).isEqualTo("a @b");
    }
}
