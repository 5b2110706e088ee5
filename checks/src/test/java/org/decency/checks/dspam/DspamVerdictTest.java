package org.decency.checks.dspam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading DSPAM's answer: every form it writes a verdict in, and what is not a verdict. */
class DspamVerdictTest {

    static DspamVerdict output(String... lines) throws DspamException {
        return DspamVerdict.of(DspamAnswer.of(List.of(lines)));
    }

    static DspamVerdict status(String... lines) throws DspamException {
        return DspamVerdict.of(DspamAnswer.of(new LmtpReply(LmtpReply.codeOf(lines[0]), List.of(lines))));
    }

    @Test
    void theSummaryLineOfDeliverSummary() throws DspamException {
        DspamVerdict v = output("X-DSPAM-Result: bob@example.org; result=\"Spam\"; class=\"Spam\"; probability=0.9900; confidence=0.80; "
                + "signature=4b11c532158749980119923");

        assertThat(v.spam()).isTrue();
        assertThat(v.detail()).isEqualTo("Result: Spam, probability 0.99, confidence 0.80");
        assertThat(v.signature()).isEqualTo("4b11c532158749980119923");
    }

    @Test
    void theOlderClassifyLineWithoutClassOrSignature() throws DspamException {
        DspamVerdict v = output("X-DSPAM-Result: User; result=\"Spam\"; probability=1.0000; confidence=0.80");

        assertThat(v.spam()).isTrue();
        assertThat(v.detail()).isEqualTo("Result: Spam, probability 1.00, confidence 0.80");
        assertThat(v.signature()).isEmpty();
    }

    @Test
    void whitelistedIsInnocentAndSaysSo() throws DspamException {
        DspamVerdict v = output("X-DSPAM-Result: bob; result=\"Innocent\"; class=\"Whitelisted\"; probability=0.0000; confidence=0.99; "
                + "signature=N/A");

        assertThat(v.spam()).isFalse();
        assertThat(v.detail()).isEqualTo("Result: Innocent (Whitelisted), probability 0.00, confidence 0.99");
        assertThat(v.signature()).isEmpty();
    }

    @Test
    void spaceAndCaseAndMissingNumbersAreTolerated() throws DspamException {
        DspamVerdict v = output("x-dspam-result:bob ;RESULT=innocent;  Class = Innocent ; probability= ; confidence=\"1.00\"");

        assertThat(v.spam()).isFalse();
        assertThat(v.detail()).isEqualTo("Result: Innocent, confidence 1.00");
    }

    @Test
    void theHeaderFieldsOfAMailPassedThroughWithStdout() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/dspam/stdout-whitelisted.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }

        DspamVerdict v = DspamVerdict.of(DspamAnswer.of(lines));

        assertThat(v.spam()).isFalse();
        assertThat(v.detail()).isEqualTo("Result: Innocent (Whitelisted), probability 0.00, confidence 1.00");
        assertThat(v.signature()).isEqualTo("1,52e9868836001165617631");
    }

    @Test
    void theOtherSpamClassesAreSpam() throws DspamException {
        for (String c : List.of("Spam", "Virus", "Blacklisted", "Blocklisted")) {
            assertThat(output("X-DSPAM-Result: " + c).spam()).as(c).isTrue();
        }
        assertThat(output("X-DSPAM-Result: Virus").detail()).isEqualTo("Result: Spam (Virus)");
        assertThat(output("X-Daemon-Classification: SPAM", "Subject: x").spam()).isTrue();
    }

    @Test
    void thePerRecipientReplyOfDlmtpWithoutOutput() throws DspamException {
        assertThat(status("250 2.6.0 <bob> Message accepted for delivery: SPAM").detail()).isEqualTo("Result: Spam");
        assertThat(status("250 2.6.0 <bob> Message accepted for delivery: INNOCENT").spam()).isFalse();
    }

    @Test
    void refusalsAndGarbageAreFailuresNotVerdicts() {
        assertThatThrownBy(() -> status("421 4.3.0 <bob> Error occured during processing"))
                .isInstanceOf(DspamException.class).hasMessage("DSPAM refused the mail: 421 4.3.0 <bob> Error occured during processing");
        assertThatThrownBy(() -> status("250 2.6.0 <bob> Message accepted for delivery"))
                .hasMessageContaining("names no class");
        assertThatThrownBy(() -> output()).hasMessage("no X-DSPAM-Result in DSPAM's answer (it began with nothing)");
        assertThatThrownBy(() -> output("I am not DSPAM")).hasMessage("no X-DSPAM-Result in DSPAM's answer (it began with \"I am not DSPAM\")");
        assertThatThrownBy(() -> output("X-DSPAM-Result: bob; result=\"Maybe\"")).hasMessage("unknown DSPAM result \"Maybe\"");
        assertThatThrownBy(() -> output("X-DSPAM-Result: bob; class=\"Spam\"")).hasMessageContaining("has no result");
        assertThatThrownBy(() -> output("X-DSPAM-Result: Unsure")).hasMessage("unknown DSPAM class \"Unsure\"");
        assertThatThrownBy(() -> output("X-DSPAM-Result: bob; result=\"Spam\"; probability=1.7"))
                .hasMessage("DSPAM's probability is not a number from 0 to 1: \"1.7\"");
        assertThatThrownBy(() -> output("X-DSPAM-Result: bob; result=\"Spam\"; confidence=high"))
                .hasMessage("DSPAM's confidence is not a number from 0 to 1: \"high\"");
    }

    @Test
    void aFieldInTheBodyOrAControlCharacterDoesNotGetThrough() throws DspamException {
        assertThatThrownBy(() -> output("Subject: x", "", "X-DSPAM-Result: Spam")).hasMessageContaining("no X-DSPAM-Result");
        assertThatThrownBy(() -> output("X-DSPAM-Result: bob; result=\"Sp\u0007am\""))
                .hasMessage("unknown DSPAM result \"Sp?am\"");
        assertThat(output("X-DSPAM-Result: bob; result=\"Innocent\"; class=\"White\u001blisted<script>\"").detail())
                .isEqualTo("Result: Innocent (Whitelistedscript)");
    }
}
