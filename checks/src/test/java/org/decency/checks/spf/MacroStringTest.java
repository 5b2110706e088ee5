package org.decency.checks.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import org.decency.core.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Macro expansion by the examples of RFC 7208 §7.4, and what is no macro. */
class MacroStringTest {
    static final SpfRequest REQUEST = SpfRequest.mailFrom(IpAddress.parse("192.0.2.3").orElseThrow(),
            "strong-bad@email.example.com", "mx.example.org");

    private static String expand(String macro, SpfRequest request) throws SpfSyntaxException {
        MacroContext c = new MacroContext(request, request.startDomain(), "receiver.test", Clock.systemUTC(), d -> "unknown");
        return MacroString.parse(macro, true).expand(c);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%{s}|strong-bad@email.example.com",
        "%{o}|email.example.com",
        "%{d}|email.example.com",
        "%{d4}|email.example.com",
        "%{d3}|email.example.com",
        "%{d2}|example.com",
        "%{d1}|com",
        "%{dr}|com.example.email",
        "%{d2r}|example.email",
        "%{l}|strong-bad",
        "%{l-}|strong.bad",
        "%{lr}|strong-bad",
        "%{lr-}|bad.strong",
        "%{l1r-}|strong",
        "%{ir}.%{v}._spf.%{d2}|3.2.0.192.in-addr._spf.example.com",
        "%{lr-}.lp._spf.%{d2}|bad.strong.lp._spf.example.com",
        "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}|bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
        "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}|3.2.0.192.in-addr.strong.lp._spf.example.com",
        "%{d2}.trusted-domains.example.net|example.com.trusted-domains.example.net",
        "%{S}|strong-bad%40email.example.com",
        "%%%_%-|% %20",
        "%{h} %{c} %{r}|mx.example.org 192.0.2.3 receiver.test",
    })
    void theRfcExamplesExpandAsTheRfcSays(String macro, String expected) throws Exception {
        assertThat(expand(macro, REQUEST)).isEqualTo(expected);
    }

    @Test
    void anIpv6ClientIsWrittenInNibblesForIAndCompactlyForC() throws Exception {
        SpfRequest six = SpfRequest.mailFrom(IpAddress.parse("2001:db8::cb01").orElseThrow(), "strong-bad@email.example.com", "h");

        assertThat(expand("%{ir}.%{v}._spf.%{d2}", six))
                .isEqualTo("1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6._spf.example.com");
        assertThat(expand("%{c}", six)).isEqualTo("2001:db8::cb01");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%a", "%{", "%{x}", "%{d0}", "%{d2q}", "%{}", "a b", "caf\u00e9"})
    void whatIsNoMacroStringIsASyntaxError(String text) {
        assertThatThrownBy(() -> MacroString.parse(text, false)).isInstanceOf(SpfSyntaxException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%{c}", "%{r}", "%{t}"})
    void cRAndTAreForExplanationsOnly(String text) throws Exception {
        assertThatThrownBy(() -> MacroString.parse(text, false)).isInstanceOf(SpfSyntaxException.class);
        assertThat(MacroString.parse(text, true).isEmpty()).isFalse();
    }

    @Test
    void readableIpv6FollowsRfc5952() {
        assertThat(IpText.readable(IpAddress.parse("2001:db8:0:0:1:0:0:1").orElseThrow())).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpText.readable(IpAddress.parse("2001:db8:0:1:1:1:1:1").orElseThrow())).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(IpText.readable(IpAddress.parse("::").orElseThrow())).isEqualTo("::");
        assertThat(IpText.readable(IpAddress.parse("fe80::").orElseThrow())).isEqualTo("fe80::");
        assertThat(IpText.readable(IpAddress.parse("::1").orElseThrow())).isEqualTo("::1");
    }
}
