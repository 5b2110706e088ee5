package org.decency.checks.spamassassin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** spamd's answers as spamd 4.0 writes them, and the liberties a reader must allow. */
class SpamAssassinReplyTest {

    static SpamdReply read(String answer) throws IOException {
        return SpamdReply.read(new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)), SpamdClient.MAX_ANSWER_BODY);
    }

    @Test
    void symbols() throws IOException {
        SpamdReply r = read("SPAMD/1.1 0 EX_OK\r\nContent-length: 21\r\nSpam: True ; 1000.0 / 5.0\r\n\r\nGTUBE,NO_RECEIVED,END");

        assertThat(r.ok()).isTrue();
        assertThat(r.header("content-LENGTH")).isEqualTo("21");
        SpamdVerdict v = SpamdVerdict.of(r, false);
        assertThat(v.spam()).isTrue();
        assertThat(v.score()).isEqualTo(1000.0);
        assertThat(v.tests()).containsExactly("GTUBE", "NO_RECEIVED", "END");
        assertThat(v.status()).isEqualTo("Yes, score=1000.0 required=5.0 tests=GTUBE,NO_RECEIVED,END");
    }

    @Test
    void symbolsOfAMailThatHitNothing() throws IOException {
        SpamdVerdict v = SpamdVerdict.of(read("SPAMD/1.1 0 EX_OK\r\nContent-length: 0\r\nSpam: False ; -0.0 / 5.0\r\n\r\n"), false);

        assertThat(v.spam()).isFalse();
        assertThat(v.status()).isEqualTo("No, score=0.0 required=5.0 tests=none");
    }

    @Test
    void reportTableWithDescriptionsOverSeveralLines() throws IOException {
        String body = """
                Spam detection software, running on the system "mx",
                has identified this incoming email as possible spam.
                ---- a line of the site's own template
                Content analysis details:   (1002.5 points, 5.0 required)

                 pts rule name              description
                ---- ---------------------- --------------------------------------------------
                1000 GTUBE                  BODY: Generic Test for Unsolicited Bulk Email
                 2.5 DECENCY_TEST           BODY: No description available.
                -0.0 NO_RELAYS              Informational: message was not relayed via SMTP
                                            and goes on here
                """;
        SpamdVerdict v = SpamdVerdict.of(read("SPAMD/1.1 0 EX_OK\r\nContent-length: " + body.getBytes(StandardCharsets.UTF_8).length
                + "\r\nSpam: True ; 1002.5 / 5.0\r\n\r\n" + body), true);

        assertThat(v.tests()).containsExactly("GTUBE=1000", "DECENCY_TEST=2.5", "NO_RELAYS=-0.0");
    }

    @Test
    void pongComesWithoutHeaders() throws IOException {
        SpamdReply r = read("SPAMD/1.5 0 PONG\r\n");

        assertThat(r.ok()).isTrue();
        assertThat(r.message()).isEqualTo("PONG");
        assertThat(r.headers()).isEmpty();
    }

    @Test
    void tellAnswersWithDidSetAndAnExtraLine() throws IOException {
        SpamdReply r = read("SPAMD/1.1 0 EX_OK\r\nDidSet: local\r\n\r\n\r\n");

        assertThat(r.header("DidSet")).isEqualTo("local");
        assertThat(r.body()).isEqualTo("\r\n");
    }

    @Test
    void bareLineFeedsAreRead() throws IOException {
        SpamdVerdict v = SpamdVerdict.of(read("SPAMD/1.1 0 EX_OK\nSpam: yes;7.2/5.0\n\nA_RULE\n"), false);

        assertThat(v.status()).isEqualTo("Yes, score=7.2 required=5.0 tests=A_RULE");
    }

    @Test
    void anErrorIsTheStatusLineAlone() throws IOException {
        SpamdReply r = read("SPAMD/1.0 69 Service Unavailable: TELL commands are not enabled, set the --allow-tell switch.\r\n");

        assertThat(r.ok()).isFalse();
        assertThat(r.describe()).isEqualTo("spamd answered 69 Service Unavailable: TELL commands are not enabled, set the --allow-tell switch.");
    }
}
