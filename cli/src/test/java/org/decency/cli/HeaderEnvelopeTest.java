package org.decency.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.decency.core.MailAddress;
import org.decency.mail.SpooledMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The envelope check-message guesses from a mail's header. */
class HeaderEnvelopeTest {
    @TempDir
    Path dir;

    private SpooledMessage mail(String header) throws Exception {
        return new SpooledMessage(Files.writeString(dir.resolve("m" + System.nanoTime() + ".eml"), header + "\r\nbody\r\n"));
    }

    @Test
    void returnPathAndDeliveredToWin() throws Exception {
        SpooledMessage m = mail("Return-Path: <bounce@example.net>\r\nFrom: \"Doe, John\" <john@example.net>\r\n"
                + "Delivered-To: alice@example.org\r\nTo: list@example.org\r\n");

        assertThat(HeaderEnvelope.sender(m).raw()).isEqualTo("bounce@example.net");
        assertThat(HeaderEnvelope.recipients(m)).extracting(MailAddress::raw).containsExactly("alice@example.org");
    }

    @Test
    void otherwiseFromAndEveryAddressOfToAndCc() throws Exception {
        SpooledMessage m = mail("From: \"Doe, John\" <john@example.net>\r\nTo: \"Smith, A\" <a@example.org>, b@example.org\r\n"
                + "Cc: c@example.org (Carl)\r\n");

        assertThat(HeaderEnvelope.sender(m).raw()).isEqualTo("john@example.net");
        assertThat(HeaderEnvelope.recipients(m)).extracting(MailAddress::raw)
                .containsExactly("a@example.org", "b@example.org", "c@example.org");
    }

    @Test
    void anEmptyReturnPathIsABounce() throws Exception {
        SpooledMessage m = mail("Return-Path: <>\r\nFrom: MAILER-DAEMON@example.net\r\n");

        assertThat(HeaderEnvelope.sender(m).isNull()).isTrue();
        assertThat(HeaderEnvelope.recipients(m)).isEmpty();
    }
}
